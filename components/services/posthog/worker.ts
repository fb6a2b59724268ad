/**
 * PostHog worker: Celery with the beat scheduler (`./bin/docker-worker-celery --with-scheduler`), the
 * same image and env as web. The script starts no HTTP server, so there is nothing to probe over HTTP:
 * the probes ask the worker itself, through its broker, with Celery's remote-control ping (answered by
 * this pod's node, `celery@<hostname>`). Nothing calls the worker, so it has no Service.
 */
import * as pulumi from "@pulumi/pulumi";
import { execProbe } from "../../kit/container";
import { WorkloadContext } from "../../kit/workload";
import { PosthogServiceArgs, posthogImageService } from "./posthog-app";

export const WORKER_COMMAND = ["./bin/docker-worker-celery", "--with-scheduler"];
/** Celery's default node name is celery@<hostname>; a pod's hostname is its name. */
export const WORKER_PING = ["sh", "-c", 'exec celery -A posthog inspect ping --timeout 10 -d "celery@$HOSTNAME"'];

export function posthogWorker(args: PosthogServiceArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  // Loading Django for each ping takes seconds: probe rarely, with room to answer.
  const ping = execProbe(WORKER_PING, { periodSeconds: 60, timeoutSeconds: 45, failureThreshold: 3 });
  posthogImageService(
    {
      ...args,
      id: { name: "posthog-worker", component: "analytics-worker" },
      command: WORKER_COMMAND,
      ports: [],
      clientPorts: [],
      // Up to ten minutes to start (imports, broker connection), checked every 30 seconds.
      probes: { startup: { ...ping, periodSeconds: 30, failureThreshold: 20 }, readiness: ping, liveness: ping },
      terminationGracePeriodSeconds: 60,
      dependencies: [{ endpoint: args.wiring.plugins }, { endpoint: args.wiring.flags }],
    },
    ctx,
    parent,
  );
}
