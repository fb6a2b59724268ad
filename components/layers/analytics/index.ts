/**
 * The analytics layer (seeds 000-002): PostHog, in the mode stack config chose.
 *   cloud        a Secret with the project key for the Model Router; nothing deployed
 *   self-hosted  every component of PostHog's own self-hosted deployment, in PostHog's namespace, with
 *                its own PostgreSQL, Redis, Kafka, ClickHouse + ZooKeeper and a session-replay bucket
 *   disabled     nothing
 * Whatever the mode, `connection` tells the Model Router how to reach PostHog.
 *
 * Self-hosted startup order: stores -> feature flags, capture, replay capture (need only the stores)
 * -> the migration Job -> plugin server, web and worker, whose init containers wait until the Job has
 * applied this release's migrations, and the property-definitions service. Pulumi also orders them
 * after the Job (dependsOn).
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES } from "../../config/catalog";
import { IMAGES } from "../../config/images";
import { PlatformConfig } from "../../config/schema";
import { labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, hexKey, password } from "../../kit/secret";
import { kafka } from "../../services/kafka/kafka";
import { clickhouse } from "../../services/clickhouse/clickhouse";
import { CnpgOperatorOutputs } from "../../services/cnpg-operator/cnpg-operator";
import { ObjectStore } from "../../services/minio/object-store";
import { postgresql } from "../../services/postgresql/postgresql";
import { redis } from "../../services/redis/redis";
import { LayerArgs, contextFor, isDeployed } from "../context";
import { posthogClickhouseConfig, posthogClickhouseExtension } from "../../services/posthog/clickhouse-config";
import { posthogCapture } from "../../services/posthog/capture";
import { PosthogConnection, cloudConnection, disabledConnection } from "../../services/posthog/connection";
import { FLAGS_ID, FLAGS_PORT, posthogFeatureFlags } from "../../services/posthog/feature-flags";
import { posthogMigrate } from "../../services/posthog/migrate";
import { posthogPropertyDefs } from "../../services/posthog/property-defs";
import { PLUGINS_ID, PLUGINS_PORT, posthogPlugins } from "../../services/posthog/plugins";
import { PosthogWiring, plannedEndpoint } from "../../services/posthog/posthog-app";
import { posthogWeb } from "../../services/posthog/web";
import { posthogWorker } from "../../services/posthog/worker";
import { zookeeper } from "../../services/posthog/zookeeper";
import { BackupTarget } from "../../services/backup/target";
import { primaryHttpUrl } from "../../kit/endpoint";

function missingPlaintextListener(): never {
  throw new Error("posthog-kafka: PostHog's ClickHouse and Rust services need the broker's plaintext listener");
}

/** Seed 004's retention for PostHog's broker too: ingestion lag beyond a week is lost anyway. */
const KAFKA_RETENTION_HOURS = 168;

type SelfHostedPosthog = Extract<PlatformConfig["posthog"], { mode: "self-hosted" }>;

export interface AnalyticsLayerArgs extends LayerArgs {
  posthog: PlatformConfig["posthog"];
  /** Namespace of PostHog's consumers (the Model Router): where the cloud key's Secret lives. */
  consumerNamespace: string;
  /** Self-hosted: the object store as PostHog's client sees it (its own user and bucket). */
  objectStore?: ObjectStore;
  /** Self-hosted: where PostHog's database backups go. */
  backupTarget?: BackupTarget;
  /** Days PostHog's database backups are kept. @default 30 */
  postgresqlRetentionDays?: number;
  /** Recreate PostHog's PostgreSQL cluster from its backups (`restore.postgresql`). */
  restorePostgresql?: { targetTime?: string };
  /** Self-hosted: the CloudNativePG operator, when this stack installs it. */
  cnpgOperator?: CnpgOperatorOutputs;
}

export class AnalyticsLayer extends pulumi.ComponentResource {
  /** How the Model Router reaches PostHog, in every mode. */
  readonly connection: PosthogConnection;

  constructor(name: string, args: AnalyticsLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:analytics:AnalyticsLayer", name, {}, opts);
    const { posthog } = args;
    switch (posthog.mode) {
      case "cloud":
        this.connection = cloudConnection({ host: posthog.host, apiKey: posthog.apiKey, namespace: args.consumerNamespace }, this);
        break;
      case "disabled":
        this.connection = disabledConnection();
        break;
      case "self-hosted":
        this.connection = this.selfHosted(args, posthog);
        break;
    }
    this.registerOutputs({ healthUrl: this.connection.healthUrl });
  }

  private selfHosted(args: AnalyticsLayerArgs, posthog: SelfHostedPosthog): PosthogConnection {
    if (!isDeployed(args, "posthog-web")) return disabledConnection(posthog.host);
    if (!args.objectStore || !args.backupTarget) throw new Error("posthog-web needs the object store (session replay, database backups), which this stack does not deploy");
    const ns = NAMESPACES.posthog;
    const s = args.sizes;
    const ctx = (service: Parameters<typeof contextFor>[1], role: "data" | "platform") => contextFor(args, service, role);
    const opts = { parent: this };

    const secrets = new GeneratedSecret(
      "posthog-secrets",
      {
        namespace: ns,
        labels: labelsOf({ name: "posthog", component: "analytics", version: "generated" }),
        generate: {
          // Django's SECRET_KEY (32+ characters); SALT_KEY; ENCRYPTION_SALT_KEYS: 16 random bytes as 32 hex characters.
          "secret-key": password(64),
          "salt-key": password(40),
          "encryption-salt-keys": hexKey(16),
        },
      },
      opts,
    );

    const pg = postgresql(
      {
        name: "posthog-postgresql",
        databases: ["posthog"],
        maxConnections: "200",
        image: IMAGES.postgresql,
        size: s["posthog-postgresql"],
        operator: args.cnpgOperator,
        backupTarget: args.backupTarget,
        retentionDays: args.postgresqlRetentionDays,
        restore: args.restorePostgresql,
      },
      ctx("posthog-postgresql", "data"),
      this,
    );
    // Redis holds Celery's queue and ingestion state: data, not cache, so nothing is evicted.
    const rd = redis(
      { name: "posthog-redis", image: IMAGES.posthogRedis, exporterImage: IMAGES.redisExporter, size: s["posthog-redis"], jobSize: s["posthog-migrate"], evictionPolicy: "noeviction" },
      ctx("posthog-redis", "data"),
      this,
    );
    const zk = zookeeper({ name: "posthog-zookeeper", image: IMAGES.posthogZookeeper, size: s["posthog-zookeeper"] }, ctx("posthog-zookeeper", "data"), this);
    const kf = kafka(
      {
        name: "posthog-kafka",
        image: IMAGES.kafka,
        exporterImage: IMAGES.kafkaExporter,
        size: s["posthog-kafka"],
        retentionHours: KAFKA_RETENTION_HOURS,
        autoCreateTopics: true,
        plaintextListener: true,
      },
      ctx("posthog-kafka", "data"),
      this,
    );
    const ch = clickhouse(
      {
        name: "posthog-clickhouse",
        image: IMAGES.posthogClickhouse,
        size: s["posthog-clickhouse"],
        extraConfig: posthogClickhouseConfig(zk.nodes, zk.port),
        // Its Kafka-engine tables read from the listener ClickHouse is admitted to (no SASL settings).
        extension: posthogClickhouseExtension(IMAGES.posthog, kf.plaintextBootstrapServers ?? missingPlaintextListener()),
        // ZooKeeper for replication; Kafka for PostHog's Kafka-engine tables (ingestion into ClickHouse).
        dependencies: [{ endpoint: zk.endpoint }, { endpoint: kf.endpoint, ports: ["plaintext"] }],
      },
      ctx("posthog-clickhouse", "data"),
      this,
    );
    args.endpoints.registerAll({
      "posthog-postgresql": pg.endpoint,
      "posthog-redis": rd.endpoint,
      "posthog-zookeeper": zk.endpoint,
      "posthog-clickhouse": ch.endpoint,
      "posthog-kafka": kf.endpoint,
    });

    const w: PosthogWiring = {
      namespace: ns,
      siteUrl: posthog.host,
      image: IMAGES.posthog,
      stores: { postgres: pg.databases.posthog, postgresEndpoint: pg.endpoint, redis: rd, clickhouse: ch, kafka: kf, objectStore: args.objectStore },
      secrets,
      plugins: plannedEndpoint(PLUGINS_ID.name, PLUGINS_ID.component, ns, PLUGINS_PORT),
      flags: plannedEndpoint(FLAGS_ID.name, FLAGS_ID.component, ns, FLAGS_PORT),
    };

    const flags = posthogFeatureFlags({ wiring: w, image: IMAGES.posthogFeatureFlags, size: s["posthog-feature-flags"] }, ctx("posthog-feature-flags", "platform"), this);
    const capture = posthogCapture({ wiring: w, mode: "events", image: IMAGES.posthogCapture, size: s["posthog-capture"] }, ctx("posthog-capture", "platform"), this);
    const replay = posthogCapture({ wiring: w, mode: "recordings", image: IMAGES.posthogCapture, size: s["posthog-replay-capture"] }, ctx("posthog-replay-capture", "platform"), this);
    const migrate = posthogMigrate({ wiring: w, size: s["posthog-migrate"] }, ctx("posthog-migrate", "platform"), this);
    const after = [migrate];
    const plugins = posthogPlugins({ wiring: w, image: IMAGES.posthogNode, size: s["posthog-plugins"], after }, ctx("posthog-plugins", "platform"), this);
    const web = posthogWeb({ wiring: w, size: s["posthog-web"], after }, ctx("posthog-web", "platform"), this);
    posthogWorker({ wiring: w, size: s["posthog-worker"], after }, ctx("posthog-worker", "platform"), this);
    posthogPropertyDefs({ wiring: w, image: IMAGES.posthogPropertyDefs, size: s["posthog-property-defs"], after }, ctx("posthog-property-defs", "platform"), this);
    for (const [planned, built] of [
      [w.plugins, plugins],
      [w.flags, flags],
    ] as const) {
      if (planned.host !== built.host || JSON.stringify(planned.selector) !== JSON.stringify(built.selector)) {
        throw new Error(`${built.service}: its endpoint differs from the one the other PostHog services were wired to`);
      }
    }
    args.endpoints.registerAll({
      "posthog-feature-flags": flags,
      "posthog-capture": capture,
      "posthog-replay-capture": replay,
      "posthog-plugins": plugins,
      "posthog-web": web,
    });

    // PostHog creates a project (and its phc_ key) only after the first login, so the first deploy has
    // no key: the Model Router then runs with analytics off until `posthogApiKey` is set (README).
    const key = posthog.apiKey
      ? new GeneratedSecret("posthog-project-key", { namespace: ns, labels: labelsOf({ name: "posthog", component: "analytics", version: "config" }), supplied: { "api-key": posthog.apiKey } }, opts)
      : undefined;
    if (!key) {
      pulumi.log.warn(
        `PostHog is self-hosted but posthogApiKey is not set: the Model Router runs with POSTHOG_ENABLED=false. Log in at ${posthog.host}, create the project, then \`pulumi config set --secret posthogApiKey phc_...\` and run \`pulumi up\` again.`,
        this,
      );
    }
    const webUrl = primaryHttpUrl(web);
    return {
      enabled: key !== undefined,
      mode: "self-hosted",
      // In-cluster, as in seed 001: the Model Router talks to PostHog without leaving the cluster.
      host: webUrl,
      apiKey: key?.credential("api-key"),
      endpoints: [web, capture, flags],
      external: false,
      healthUrl: `${webUrl}/_health`,
    };
  }
}
