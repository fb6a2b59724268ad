/**
 * What every PostHog component shares, in one place: how it reaches PostHog's stores (env built from
 * the stores' typed outputs and Secret references, so every URL names a Service and a Secret this
 * program creates), the generated application secrets, the wait-for-migrations init container, the
 * GeoIP database step, and the builder for the services that run the `posthog/posthog` image (web,
 * worker, migrations: same image, same env, same volumes).
 *
 * Connection URLs embed credentials only through Kubernetes' `$(VAR)` expansion of Secret-backed env
 * vars defined earlier in the list; no credential is ever written as text.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { ContainerPort, ContainerSpec, EnvVar, Probe, Volume, secretEnv } from "../../kit/container";
import { ServiceEndpoint, clusterHost, primaryHttpUrl } from "../../kit/endpoint";
import { Identity, imageVersion, selectorLabels } from "../../kit/labels";
import { Admission, Dependency } from "../../kit/network-policy";
import { GeneratedSecret } from "../../kit/secret";
import { Workload, WorkloadContext } from "../../kit/workload";
import { KafkaOutputs } from "../kafka/kafka";
import { ClickhouseOutputs } from "../clickhouse/clickhouse";
import { ObjectStore } from "../minio/object-store";
import { DatabaseConnection } from "../postgresql/postgresql";
import { RedisOutputs } from "../redis/redis";
import { POSTHOG_CLICKHOUSE_CLUSTERS } from "./clickhouse-config";

/**
 * The posthog/posthog image's files belong to its `posthog` user in group 1000 (a system UID the
 * Dockerfile does not fix) and are world-readable; the posthog-node image's user is 1000:1000. Both
 * run as 1000: they read the image and write only to their emptyDirs.
 */
export const POSTHOG_UID = 1000;
/** PostHog's Rust images (capture, feature flags) run as `nobody` (Debian's 65534), as their Dockerfile says. */
export const POSTHOG_RUST_UID = 65534;
/** Where the GeoLite2 database is shared with the plugin server and the flags service. */
export const GEOIP_DIR = "/share";
export const GEOIP_FILE = `${GEOIP_DIR}/GeoLite2-City.mmdb`;
/** Where the posthog/posthog image ships the GeoLite2 database (downloaded at image build time). */
const GEOIP_IN_IMAGE = "/code/share/GeoLite2-City.mmdb";

/** PostHog's stores, as the storage and messaging builders returned them. */
export interface PosthogStores {
  postgres: DatabaseConnection;
  postgresEndpoint: ServiceEndpoint;
  redis: RedisOutputs;
  clickhouse: ClickhouseOutputs;
  kafka: KafkaOutputs;
  objectStore: ObjectStore;
}

/** Everything a PostHog component needs to be wired. */
export interface PosthogWiring {
  namespace: string;
  /** The public URL (SITE_URL). */
  siteUrl: string;
  /** The pinned posthog/posthog image (web, worker, migrations, init steps). */
  image: string;
  stores: PosthogStores;
  /** SECRET_KEY, SALT_KEY, ENCRYPTION_SALT_KEYS. */
  secrets: GeneratedSecret;
  /** The plugin server's and the flags service's endpoints (known before they exist: named by the layer). */
  plugins: ServiceEndpoint;
  flags: ServiceEndpoint;
}

/** NetworkPolicy dependencies on the stores every PostHog-image service talks to. */
export function storeDependencies(w: PosthogWiring): Dependency[] {
  const s = w.stores;
  return [
    { endpoint: s.postgresEndpoint },
    { endpoint: s.redis.endpoint },
    { endpoint: s.clickhouse.endpoint },
    { endpoint: s.kafka.endpoint, ports: ["client"] },
    { endpoint: s.objectStore.endpoint },
  ];
}

/** DATABASE_URL (+ the PG* variables PostHog's scripts use), from the posthog role's Secret. */
export function databaseEnv(w: PosthogWiring, urlName = "DATABASE_URL"): EnvVar[] {
  const db = w.stores.postgres;
  return [
    secretEnv("PGUSER", db.username.in(w.namespace)),
    secretEnv("PGPASSWORD", db.password.in(w.namespace)),
    { name: "PGHOST", value: db.host },
    { name: "PGPORT", value: String(db.port) },
    { name: urlName, value: `postgres://$(PGUSER):$(PGPASSWORD)@${db.host}:${db.port}/${db.database}` },
  ];
}

/** REDIS_URL from Redis' generated password. */
export function redisEnv(w: PosthogWiring): EnvVar[] {
  const r = w.stores.redis;
  return [secretEnv("REDIS_PASSWORD", r.password.in(w.namespace)), { name: "REDIS_URL", value: `redis://:$(REDIS_PASSWORD)@${r.endpoint.host}:${r.endpoint.ports.redis}/` }];
}

/** The broker's unauthenticated listener: PostHog's Rust services have no SASL settings (only TLS). */
export function plaintextKafkaHosts(w: PosthogWiring): string {
  const hosts = w.stores.kafka.plaintextBootstrapServers;
  if (!hosts) throw new Error("PostHog's broker needs its plaintext listener for the Rust services and ClickHouse");
  return hosts;
}

/** The broker and its SASL/PLAIN login (Python and Node clients). */
export function kafkaEnv(w: PosthogWiring): EnvVar[] {
  const k = w.stores.kafka;
  return [
    { name: "KAFKA_HOSTS", value: k.bootstrapServers },
    // The broker list the migrations write into ClickHouse's Kafka-engine tables (releases that do not
    // use the msk_cluster collection): the listener ClickHouse is admitted to.
    { name: "KAFKA_URL_FOR_CLICKHOUSE", value: plaintextKafkaHosts(w) },
    { name: "KAFKA_SECURITY_PROTOCOL", value: "SASL_PLAINTEXT" },
    { name: "KAFKA_SASL_MECHANISM", value: "PLAIN" },
    { name: "KAFKA_SASL_USER", value: k.username },
    secretEnv("KAFKA_SASL_PASSWORD", k.password.in(w.namespace)),
  ];
}

/**
 * ClickHouse for every PostHog role. PostHog's compose gives the API and app query roles their own users
 * (`api`, `app`) and the logs product its own connection (host `localhost` and TLS on by default):
 * here every role logs in as the one generated user, over plain TCP inside the cluster.
 */
export function clickhouseEnv(w: PosthogWiring): EnvVar[] {
  const c = w.stores.clickhouse;
  const user = c.user.in(w.namespace);
  const password = c.password.in(w.namespace);
  return [
    { name: "CLICKHOUSE_HOST", value: c.endpoint.host },
    { name: "CLICKHOUSE_DATABASE", value: "posthog" },
    secretEnv("CLICKHOUSE_USER", user),
    secretEnv("CLICKHOUSE_PASSWORD", password),
    ...(["API", "APP"] as const).flatMap((role) => [secretEnv(`CLICKHOUSE_${role}_USER`, user), secretEnv(`CLICKHOUSE_${role}_PASSWORD`, password)]),
    { name: "CLICKHOUSE_LOGS_CLUSTER_HOST", value: c.endpoint.host },
    { name: "CLICKHOUSE_LOGS_CLUSTER_SECURE", value: "false" },
    secretEnv("CLICKHOUSE_LOGS_CLUSTER_USER", user),
    secretEnv("CLICKHOUSE_LOGS_CLUSTER_PASSWORD", password),
    { name: "CLICKHOUSE_SECURE", value: "false" },
    { name: "CLICKHOUSE_VERIFY", value: "false" },
    { name: "CLICKHOUSE_CLUSTER", value: POSTHOG_CLICKHOUSE_CLUSTERS.main },
    { name: "CLICKHOUSE_MIGRATIONS_CLUSTER", value: POSTHOG_CLICKHOUSE_CLUSTERS.migrations },
    { name: "CLICKHOUSE_SINGLE_SHARD_CLUSTER", value: POSTHOG_CLICKHOUSE_CLUSTERS.singleShard },
  ];
}

/** The plugin server's librdkafka clients: each reads its settings from `KAFKA_<TARGET>_*`, not KAFKA_HOSTS. */
export const LIBRDKAFKA_TARGETS = ["CONSUMER", "PRODUCER", "CDP_PRODUCER", "WARPSTREAM_PRODUCER"] as const;

/**
 * The broker and SASL login for every librdkafka client of the plugin server. Each `KAFKA_<TARGET>_X_Y`
 * becomes librdkafka's `x.y`; without them the clients dial `kafka:9092` in plain text.
 */
export function librdkafkaEnv(w: PosthogWiring): EnvVar[] {
  const k = w.stores.kafka;
  return LIBRDKAFKA_TARGETS.flatMap((t) => [
    { name: `KAFKA_${t}_METADATA_BROKER_LIST`, value: k.bootstrapServers },
    { name: `KAFKA_${t}_SECURITY_PROTOCOL`, value: "SASL_PLAINTEXT" },
    { name: `KAFKA_${t}_SASL_MECHANISMS`, value: "PLAIN" },
    { name: `KAFKA_${t}_SASL_USERNAME`, value: k.username },
    secretEnv(`KAFKA_${t}_SASL_PASSWORD`, k.password.in(w.namespace)),
  ]);
}

/** The session-replay bucket: the object store's PostHog client (its own user, limited to the bucket). */
export function objectStorageEnv(w: PosthogWiring): EnvVar[] {
  const o = w.stores.objectStore;
  const access = o.accessKey.in(w.namespace);
  const secret = o.secretKey.in(w.namespace);
  return [
    { name: "OBJECT_STORAGE_ENABLED", value: "true" },
    { name: "OBJECT_STORAGE_ENDPOINT", value: o.url },
    { name: "OBJECT_STORAGE_BUCKET", value: o.buckets.posthog },
    secretEnv("OBJECT_STORAGE_ACCESS_KEY_ID", access),
    secretEnv("OBJECT_STORAGE_SECRET_ACCESS_KEY", secret),
    { name: "SESSION_RECORDING_V2_S3_ENDPOINT", value: o.url },
    { name: "SESSION_RECORDING_V2_S3_BUCKET", value: o.buckets.posthog },
    { name: "SESSION_RECORDING_V2_S3_REGION", value: "us-east-1" },
    secretEnv("SESSION_RECORDING_V2_S3_ACCESS_KEY_ID", access),
    secretEnv("SESSION_RECORDING_V2_S3_SECRET_ACCESS_KEY", secret),
  ];
}

/** The encryption salt keys: the same for Python and Node, stable across deploys (generated once). */
export function encryptionEnv(w: PosthogWiring): EnvVar[] {
  return [secretEnv("ENCRYPTION_SALT_KEYS", w.secrets.ref("encryption-salt-keys"))];
}

/** The full environment of the posthog/posthog image (Django web, Celery, migrations). */
export function djangoEnv(w: PosthogWiring): EnvVar[] {
  return [
    secretEnv("SECRET_KEY", w.secrets.ref("secret-key")),
    secretEnv("SALT_KEY", w.secrets.ref("salt-key")),
    ...encryptionEnv(w),
    { name: "SITE_URL", value: w.siteUrl },
    ...databaseEnv(w),
    ...redisEnv(w),
    ...clickhouseEnv(w),
    ...kafkaEnv(w),
    ...objectStorageEnv(w),
    { name: "CDP_API_URL", value: primaryHttpUrl(w.plugins) },
    { name: "FEATURE_FLAGS_SERVICE_URL", value: primaryHttpUrl(w.flags) },
    // TLS ends at the edge; Django sees plain HTTP from the gateway.
    { name: "IS_BEHIND_PROXY", value: "true" },
    { name: "DISABLE_SECURE_SSL_REDIRECT", value: "true" },
    // As PostHog's own compose runs it: a self-hosted deployment, no OpenTelemetry exporter, and no
    // dedicated flags Redis (the flags service shares PostHog's Redis).
    { name: "DEPLOYMENT", value: "hobby" },
    { name: "OTEL_SDK_DISABLED", value: "true" },
    { name: "FLAGS_REDIS_ENABLED", value: "false" },
    { name: "HOME", value: "/tmp" },
  ];
}

/**
 * Waits until the migration Job has applied every Postgres migration of this image (`migrate --check`
 * exits non-zero while any is unapplied), so a pod of a new release never serves on an old schema.
 */
export function waitForMigrations(w: PosthogWiring): ContainerSpec {
  return {
    name: "wait-for-migrations",
    image: w.image,
    command: ["sh", "-c", "until python manage.py migrate --check >/dev/null 2>&1; do echo 'waiting for posthog-migrate'; sleep 10; done"],
    env: djangoEnv(w),
    writablePaths: ["/tmp"],
  };
}

/** Copies the GeoLite2 database from the posthog/posthog image into a volume the main container reads. */
export function geoipStep(w: PosthogWiring): { init: ContainerSpec; volume: Volume; mount: { name: string; mountPath: string; readOnly: boolean } } {
  return {
    init: {
      name: "geoip",
      image: w.image,
      command: ["sh", "-c", `cp ${GEOIP_IN_IMAGE} ${GEOIP_FILE}`],
      volumeMounts: [{ name: "geoip", mountPath: GEOIP_DIR }],
    },
    volume: { name: "geoip", emptyDir: {} },
    mount: { name: "geoip", mountPath: GEOIP_DIR, readOnly: true },
  };
}

/** What every PostHog service builder takes. */
export interface PosthogServiceArgs {
  wiring: PosthogWiring;
  size: ServiceSize;
  /** Resources the service starts after (PostHog's migrations). @default none */
  after?: pulumi.Resource[];
}

export interface PosthogImageServiceArgs extends PosthogServiceArgs {
  id: Omit<Identity, "version">;
  command: string[];
  /** Env beyond the shared Django env (e.g. the web server's metrics directory). @default none */
  env?: EnvVar[];
  ports: ContainerPort[];
  /** Client ports (none for the worker: nothing calls it). */
  clientPorts: string[];
  probes: { startup?: Probe; readiness: Probe; liveness: Probe };
  metrics?: { port: string; path: string };
  lifecycle?: ContainerSpec["lifecycle"];
  terminationGracePeriodSeconds?: number;
  /** Dependencies beyond the stores (the plugin server, the flags service). */
  dependencies?: Dependency[];
  admissions?: Admission[];
}

/** A long-running service of the posthog/posthog image: the shared env, and it starts only once migrations are applied. */
export function posthogImageService(args: PosthogImageServiceArgs, ctx: WorkloadContext, parent: pulumi.Resource): Workload {
  const w = args.wiring;
  return new Workload(
    {
      id: { ...args.id, version: imageVersion(w.image) },
      size: args.size,
      runAsUser: POSTHOG_UID,
      initContainers: [waitForMigrations(w)],
      containers: [
        {
          name: args.id.name.replace(/^posthog-/, ""),
          image: w.image,
          command: args.command,
          env: [...djangoEnv(w), ...(args.env ?? [])],
          ports: args.ports,
          writablePaths: ["/tmp"],
          probes: args.probes,
          lifecycle: args.lifecycle,
        },
      ],
      clientPorts: args.clientPorts,
      metrics: args.metrics,
      dependencies: [...storeDependencies(w), ...(args.dependencies ?? [])],
      admissions: args.admissions,
      terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
    },
    ctx,
    { parent, dependsOn: args.after },
  );
}

/** The endpoint a PostHog HTTP service will have, before it exists (its Service name and selector are fixed). */
export function plannedEndpoint(name: string, component: string, namespace: string, httpPort: number): ServiceEndpoint {
  return {
    service: name,
    namespace,
    host: clusterHost(name, namespace),
    selector: selectorLabels({ name, component }),
    ports: { http: httpPort },
    primaryPort: "http",
  };
}
