/**
 * PostHog web: the Django app and API (`./bin/docker-server`) on 8000, metrics on 8001. It serves only
 * once the migration Job has run (see posthog-app.ts); a preStop pause lets the edge stop routing to a
 * terminating pod before it closes connections.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { httpProbe, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { WorkloadContext } from "../../kit/workload";
import { PosthogWiring, posthogImageService } from "./posthog-app";

export const WEB_PORT = 8000;

export function posthogWeb(w: PosthogWiring, size: ServiceSize, ctx: WorkloadContext, opts: pulumi.ComponentResourceOptions): ServiceEndpoint {
  const live = httpProbe("/_livez", "http");
  return posthogImageService(
    w,
    {
      id: { name: "posthog-web", component: "analytics-web" },
      size,
      command: ["./bin/docker-server"],
      ports: [
        { name: "http", containerPort: WEB_PORT },
        { name: "metrics", containerPort: 8001 },
      ],
      clientPorts: ["http"],
      probes: { startup: startupAllowance(live, 10), readiness: httpProbe("/_readyz?role=web", "http"), liveness: live },
      metrics: { port: "metrics", path: "/metrics" },
      lifecycle: { preStop: { exec: { command: ["sleep", "20"] } } },
      terminationGracePeriodSeconds: 55,
      dependencies: [{ endpoint: w.plugins }, { endpoint: w.flags }],
    },
    ctx,
    opts,
  ).endpoint;
}
