/**
 * PostHog web: the Django app and API on 8000, metrics on 8001. The image's own start script
 * (`bin/docker-server`, a copy of `bin/docker-server-unit`) runs NGINX Unit as root (`--user root`,
 * applications as `nobody`) and writes its config under /docker-entrypoint.d, which a non-root pod with
 * a read-only root filesystem cannot do. So the pod runs the same WSGI app with the gunicorn the image
 * ships (`gunicorn.config.py` serves the multiprocess metrics on PROMETHEUS_METRICS_EXPORT_PORT), as
 * PostHog's gunicorn-based start script did; migrations are checked by the init container instead of
 * `bin/migrate-check`. A preStop pause lets the edge stop routing to a terminating pod first.
 */
import * as pulumi from "@pulumi/pulumi";
import { httpProbe, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { WorkloadContext } from "../../kit/workload";
import { PosthogServiceArgs, posthogImageService } from "./posthog-app";

export const WEB_PORT = 8000;
export const WEB_METRICS_PORT = 8001;
/** prometheus_client's shared registry for gunicorn's worker processes (an emptyDir under /tmp). */
const METRICS_DIR = "/tmp/prometheus-multiproc";

/** gunicorn serving posthog.wsgi with PostHog's gunicorn config, bound to every address on WEB_PORT. */
export const WEB_SERVER = [
  "gunicorn",
  "posthog.wsgi",
  "--config",
  "gunicorn.config.py",
  "--bind",
  `0.0.0.0:${WEB_PORT}`,
  "--log-file",
  "-",
  "--access-logfile",
  "-",
  "--worker-tmp-dir",
  "/tmp",
  "--workers=2",
  "--threads=16",
  "--worker-class=gthread",
  "--limit-request-line=8190",
];

export function posthogWeb(args: PosthogServiceArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const live = httpProbe("/_livez", "http");
  return posthogImageService(
    {
      ...args,
      id: { name: "posthog-web", component: "analytics-web" },
      command: ["sh", "-c", `mkdir -p "$PROMETHEUS_MULTIPROC_DIR" && exec ${WEB_SERVER.join(" ")}`],
      env: [
        { name: "PROMETHEUS_MULTIPROC_DIR", value: METRICS_DIR },
        { name: "PROMETHEUS_METRICS_EXPORT_PORT", value: String(WEB_METRICS_PORT) },
      ],
      ports: [
        { name: "http", containerPort: WEB_PORT },
        { name: "metrics", containerPort: WEB_METRICS_PORT },
      ],
      clientPorts: ["http"],
      probes: { startup: startupAllowance(live, 10), readiness: httpProbe("/_readyz?role=web", "http"), liveness: live },
      metrics: { port: "metrics", path: "/metrics" },
      lifecycle: { preStop: { exec: { command: ["sleep", "20"] } } },
      terminationGracePeriodSeconds: 55,
      dependencies: [{ endpoint: args.wiring.plugins }, { endpoint: args.wiring.flags }],
    },
    ctx,
    parent,
  ).endpoint;
}
