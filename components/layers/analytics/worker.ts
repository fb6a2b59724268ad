/**
 * PostHog worker: Celery with the beat scheduler (`./bin/docker-worker-celery --with-scheduler`), the
 * same image and env as web. Nothing calls it, so it has no Service; its health endpoint is probed only.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { httpProbe, startupAllowance } from "../../kit/container";
import { WorkloadContext } from "../../kit/workload";
import { PosthogWiring, posthogImageService } from "./posthog-app";

export function posthogWorker(w: PosthogWiring, size: ServiceSize, ctx: WorkloadContext, opts: pulumi.ComponentResourceOptions): void {
  const ready = httpProbe("/_readyz?role=worker", "health");
  posthogImageService(
    w,
    {
      id: { name: "posthog-worker", component: "analytics-worker" },
      size,
      command: ["./bin/docker-worker-celery", "--with-scheduler"],
      ports: [{ name: "health", containerPort: 8000 }],
      clientPorts: [],
      probes: { startup: startupAllowance(ready, 10), readiness: ready, liveness: httpProbe("/_livez", "health") },
      terminationGracePeriodSeconds: 60,
      dependencies: [{ endpoint: w.plugins }, { endpoint: w.flags }],
    },
    ctx,
    opts,
  );
}
