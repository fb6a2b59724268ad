/**
 * PostHog's plugin server (`posthog/posthog-node`, the same release as the Django image): Node
 * ingestion, CDP and webhooks on 6738, started by the image's own command (compose's
 * `bin/plugin-server` first runs Python's `bin/migrate-check`, which the Node image does not have: the
 * init container waits for migrations instead). Two init steps: the GeoLite2 database copied from the
 * Django image, and the wait for migrations. Every Redis role it knows is pointed explicitly at
 * PostHog's Redis (they default to 127.0.0.1), without TLS inside the cluster; its librdkafka clients
 * get the broker and login under their own variables (they ignore KAFKA_HOSTS and KAFKA_SASL_*).
 */
import * as pulumi from "@pulumi/pulumi";
import { EnvVar, httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion } from "../../kit/labels";
import { Workload, WorkloadContext } from "../../kit/workload";
import {
  GEOIP_FILE,
  POSTHOG_UID,
  PosthogServiceArgs,
  PosthogWiring,
  clickhouseEnv,
  databaseEnv,
  encryptionEnv,
  geoipStep,
  kafkaEnv,
  librdkafkaEnv,
  objectStorageEnv,
  redisEnv,
  storeDependencies,
  waitForMigrations,
} from "./posthog-app";

export const PLUGINS_PORT = 6738;
export const PLUGINS_ID = { name: "posthog-plugins", component: "analytics-plugins" } as const;

/** The plugin server's Redis roles; each needs its host set or it looks for Redis on 127.0.0.1. */
export const PLUGIN_REDIS_ROLES = ["POSTHOG", "CDP", "LOGS", "TRACES", "COOKIELESS", "SESSION_RECORDING_API"] as const;

function redisRoleEnv(w: PosthogWiring): EnvVar[] {
  const r = w.stores.redis;
  return PLUGIN_REDIS_ROLES.flatMap((role) => [
    { name: `${role}_REDIS_HOST`, value: r.endpoint.host },
    { name: `${role}_REDIS_PORT`, value: String(r.endpoint.ports.redis) },
    secretEnv(`${role}_REDIS_PASSWORD`, r.password.in(w.namespace)),
    { name: `${role}_REDIS_TLS`, value: "false" },
  ]);
}

export function posthogPlugins(args: PosthogServiceArgs & { image: string }, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const { wiring: w, image, size } = args;
  const geoip = geoipStep(w);
  const health = httpProbe("/_health", "http");
  return new Workload(
    {
      id: { ...PLUGINS_ID, version: imageVersion(image) },
      size,
      runAsUser: POSTHOG_UID,
      initContainers: [geoip.init, waitForMigrations(w)],
      containers: [
        {
          name: "plugins",
          image,
          env: [
            ...databaseEnv(w),
            // PostHog's compose points the persons and behavioural-cohorts databases at the main one.
            { name: "PERSONS_DATABASE_URL", value: "$(DATABASE_URL)" },
            { name: "BEHAVIORAL_COHORTS_DATABASE_URL", value: "$(DATABASE_URL)" },
            ...redisEnv(w),
            ...redisRoleEnv(w),
            ...kafkaEnv(w),
            ...librdkafkaEnv(w),
            ...clickhouseEnv(w),
            ...objectStorageEnv(w),
            ...encryptionEnv(w),
            { name: "SITE_URL", value: w.siteUrl },
            { name: "MMDB_FILE_LOCATION", value: GEOIP_FILE },
            // Its default is relative to the image's working directory, on the read-only root filesystem.
            { name: "SESSION_RECORDING_LOCAL_DIRECTORY", value: "/tmp/sessions" },
            { name: "HOME", value: "/tmp" },
          ],
          ports: [{ name: "http", containerPort: PLUGINS_PORT }],
          volumeMounts: [geoip.mount],
          writablePaths: ["/tmp"],
          probes: { startup: startupAllowance(health, 10), readiness: health, liveness: health },
        },
      ],
      volumes: [geoip.volume],
      dependencies: storeDependencies(w),
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    { parent, dependsOn: args.after },
  ).endpoint;
}
