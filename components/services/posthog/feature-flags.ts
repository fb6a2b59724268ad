/**
 * PostHog's feature-flag service (Rust) on 3001: evaluates flags from Postgres (read and write URLs)
 * with Redis as cache, and GeoIP properties from the GeoLite2 database copied in by an init step.
 */
import * as pulumi from "@pulumi/pulumi";
import { httpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion } from "../../kit/labels";
import { Workload, WorkloadContext } from "../../kit/workload";
import { GEOIP_FILE, POSTHOG_RUST_UID, PosthogServiceArgs, databaseEnv, geoipStep, redisEnv } from "./posthog-app";

export const FLAGS_PORT = 3001;
export const FLAGS_ID = { name: "posthog-feature-flags", component: "analytics-flags" } as const;

export function posthogFeatureFlags(args: PosthogServiceArgs & { image: string }, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const { wiring: w, image, size } = args;
  const geoip = geoipStep(w);
  return new Workload(
    {
      id: { ...FLAGS_ID, version: imageVersion(image) },
      size,
      runAsUser: POSTHOG_RUST_UID,
      initContainers: [geoip.init],
      containers: [
        {
          name: "feature-flags",
          image,
          env: [
            { name: "ADDRESS", value: `0.0.0.0:${FLAGS_PORT}` },
            ...databaseEnv(w, "READ_DATABASE_URL"),
            { name: "WRITE_DATABASE_URL", value: "$(READ_DATABASE_URL)" },
            ...redisEnv(w),
            { name: "MAXMIND_DB_PATH", value: GEOIP_FILE },
            // Cookieless mode's Redis client has a host and port but no password (it defaults to
            // localhost): pointed at PostHog's Redis and switched off, because that Redis requires auth.
            { name: "COOKIELESS_REDIS_HOST", value: w.stores.redis.endpoint.host },
            { name: "COOKIELESS_REDIS_PORT", value: String(w.stores.redis.endpoint.ports.redis) },
            { name: "COOKIELESS_DISABLED", value: "true" },
          ],
          ports: [{ name: "http", containerPort: FLAGS_PORT }],
          volumeMounts: [geoip.mount],
          writablePaths: ["/tmp"],
          probes: { readiness: httpProbe("/_readiness", "http"), liveness: httpProbe("/_liveness", "http") },
        },
      ],
      volumes: [geoip.volume],
      dependencies: [{ endpoint: w.stores.postgresEndpoint }, { endpoint: w.stores.redis.endpoint }],
      terminationGracePeriodSeconds: 30,
    },
    ctx,
    { parent, dependsOn: args.after },
  ).endpoint;
}
