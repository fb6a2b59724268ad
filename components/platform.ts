/**
 * The root component: creates the layers the deploy mode selected and wires their typed outputs.
 * This is the only place where one layer's outputs become another layer's inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { CATALOG, NAMESPACES, NamespaceRole, PLATFORM_NAMESPACES, ServiceName } from "./config/catalog";
import { PlatformConfig } from "./config/schema";
import { LayerArgs } from "./layers/context";
import { EndpointRegistry } from "./layers/endpoint-registry";
import { AiLayer } from "./layers/ai";
import { AnalyticsLayer } from "./layers/analytics";
import { PosthogConnection, disabledConnection } from "./services/posthog/connection";
import { AppsLayer } from "./layers/apps";
import { AppSettings } from "./layers/app-settings";
import { BackupLayer } from "./layers/backup";
import { Prerequisites } from "./layers/prerequisites";
import { EdgeLayer } from "./layers/edge";
import { MeshLayer, AMBIENT_LABEL, ISTIO_SYSTEM_PRIVILEGED } from "./layers/mesh";
import { MessagingLayer } from "./layers/messaging";
import { ObservabilityLayer, prometheusScrapers, samplingRateOf, tracingCollector } from "./layers/observability";
import { StorageLayer } from "./layers/storage";
import { Backends } from "./services/wiring";

const FLUENTD_PRIVILEGED = "Fluentd reads every node's container logs from hostPath volumes as root, which only the privileged level admits";

/** The LoadBalancer Services the stack creates, by namespace: the Gateway's proxy (HTTP + HTTPS) and voice media (one UDP port). */
function publicLoadBalancers(cfg: PlatformConfig, deployed: readonly ServiceName[]): Partial<Record<NamespaceRole, { services: number; ports: number }>> {
  const lbs: { role: NamespaceRole; ports: number }[] = [];
  if (cfg.edge.mode === "gateway-api" && deployed.includes("edge-gateway")) lbs.push({ role: CATALOG["edge-gateway"].namespace, ports: 2 });
  if (cfg.voiceMedia.mode === "load-balancer" && deployed.includes("voice-service")) lbs.push({ role: CATALOG["voice-service"].namespace, ports: 1 });
  const out: Partial<Record<NamespaceRole, { services: number; ports: number }>> = {};
  for (const lb of lbs) {
    const cur = out[lb.role] ?? { services: 0, ports: 0 };
    out[lb.role] = { services: cur.services + 1, ports: cur.ports + lb.ports };
  }
  return out;
}

export class Platform extends pulumi.ComponentResource {
  /** Client endpoints of every deployed service, by catalog name: the one registry every layer registers into. */
  readonly endpoints = new EndpointRegistry();
  /** The services the deploy mode selected (with what they need). */
  readonly deployed: ServiceName[];
  /** Public URLs of the services the edge exposes. */
  readonly urls: Partial<Record<ServiceName, string>> = {};
  /** How the Model Router reaches PostHog (cloud, self-hosted or disabled). */
  readonly posthog: PosthogConnection = disabledConnection();

  constructor(name: string, cfg: PlatformConfig, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:platform:Platform", name, {}, opts);
    this.deployed = cfg.services;

    const namespaces = [...new Set(cfg.services.map((s) => CATALOG[s].namespace))] as NamespaceRole[];
    // Fluentd reads the nodes' logs as root from hostPath volumes, which no Pod Security level below
    // privileged admits; the monitoring namespace enforces privileged only while Fluentd runs (it
    // runs when Elasticsearch does), and still warns and audits at restricted.
    const runsFluentd = this.deployed.includes("fluentd") && this.deployed.includes("elasticsearch");
    const ambient = cfg.services.includes("ztunnel");
    const meshed = namespaces.filter((n) => PLATFORM_NAMESPACES.includes(n));
    const prerequisites = new Prerequisites(
      "prerequisites",
      {
        tier: cfg.tier,
        services: cfg.services,
        sizes: cfg.sizes,
        bootstrapJobSize: cfg.bootstrapJobSize,
        namespaces,
        podSecurity: {
          ...(ambient ? { istio: { level: "privileged" as const, reason: ISTIO_SYSTEM_PRIVILEGED } } : {}),
          ...(runsFluentd ? { monitoring: { level: "privileged" as const, reason: FLUENTD_PRIVILEGED } } : {}),
        },
        namespaceLabels: ambient ? Object.fromEntries(meshed.map((n) => [n, AMBIENT_LABEL])) : {},
        loadBalancers: publicLoadBalancers(cfg, this.deployed),
      },
      { parent: this },
    );
    if (this.deployed.includes("istiod")) {
      new MeshLayer(
        "mesh",
        {
          mesh: ambient,
          installCharts: cfg.cluster.externalCharts,
          meshedNamespaces: meshed,
          sizes: { istiod: cfg.sizes.istiod, ztunnel: cfg.sizes.ztunnel, "istio-cni": cfg.sizes["istio-cni"] },
        },
        { parent: this, dependsOn: [prerequisites] },
      );
    }

    const base: LayerArgs = {
      services: this.deployed,
      sizes: cfg.sizes,
      bootstrapJobSize: cfg.bootstrapJobSize,
      protectData: cfg.protectData,
      storageClass: cfg.storageClass,
      skipAwait: cfg.cluster.skipAwait,
      externalCharts: cfg.cluster.externalCharts,
      priorityClasses: prerequisites.priorityClasses,
      // Prometheus' identity is known before it exists: every layer's metrics ports admit it.
      scrapers: this.deployed.includes("prometheus") ? prometheusScrapers() : undefined,
      ambient,
      endpoints: this.endpoints,
      // Jaeger runs only on Elasticsearch (the observability layer skips it otherwise).
      tracing: this.deployed.includes("jaeger") && this.deployed.includes("elasticsearch") ? { collector: tracingCollector(), samplingRate: samplingRateOf } : undefined,
    };
    // The in-house services' shared settings, in their namespace once prerequisites created it.
    if (this.deployed.some((s) => ["ai", "apps"].includes(CATALOG[s].layer))) {
      base.appSettings = new AppSettings("app-settings", { stack: cfg.stack, app: cfg.app }, { parent: this, dependsOn: [prerequisites] }).settings;
    }
    const after = (...deps: pulumi.Resource[]) => ({ parent: this, dependsOn: [prerequisites, ...deps] });
    const hasLayer = (layer: string) => this.deployed.some((s) => CATALOG[s].layer === layer);

    const storage = hasLayer("storage")
      ? new StorageLayer(
          "storage",
          {
            ...base,
            neo4j: cfg.neo4j,
            retention: cfg.retention,
            backup: cfg.backup,
            stack: cfg.stack,
            restorePostgresql: cfg.restore.postgresql?.clusters.includes("postgresql") ? cfg.restore.postgresql : undefined,
            restoreRedis: cfg.restore.redis,
          },
          after(),
        )
      : undefined;
    const messaging = hasLayer("messaging") ? new MessagingLayer("messaging", base, after()) : undefined;

    // PostHog: self-hosted in its own namespace on its own stores, or a connection to PostHog Cloud.
    if (hasLayer("analytics") || cfg.services.includes("model-router")) {
      const analytics = new AnalyticsLayer(
        "analytics",
        {
          ...base,
          posthog: cfg.posthog,
          consumerNamespace: NAMESPACES[CATALOG["model-router"].namespace],
          objectStore: storage?.objectStores?.posthog,
          backupTarget: storage?.backupTarget,
          postgresqlRetentionDays: cfg.backup.retentionDays.postgresql,
          restorePostgresql: cfg.restore.postgresql?.clusters.includes("posthog-postgresql") ? cfg.restore.postgresql : undefined,
          cnpgOperator: storage?.cnpgOperator,
        },
        after(...[storage, messaging].filter((l): l is NonNullable<typeof l> => l !== undefined)),
      );
      this.posthog = analytics.connection;
    }

    // The typed outputs the in-house services are wired from.
    const backends: Backends = {
      redis: storage?.redis,
      postgresql: storage?.postgresql,
      objectStore: storage?.objectStores?.apps,
      kafka: messaging?.kafka,
      nats: messaging?.nats,
      rabbitmq: messaging?.rabbitmq,
      nacos: storage?.nacos,
      milvus: storage?.milvus,
      neo4j: storage?.neo4j,
      elasticsearch: storage?.elasticsearch,
    };
    const imageOf = (service: string) => `${cfg.images.registry}/${service}:${cfg.images.tag}`;
    const below = [storage, messaging].filter((l): l is NonNullable<typeof l> => l !== undefined);

    // The Model Router's view of PostHog: the analytics layer's connection (cloud, self-hosted, or off).
    const posthog: PosthogConnection = this.posthog;

    const ai = hasLayer("ai")
      ? new AiLayer(
          "ai",
          {
            ...base,
            image: imageOf,
            backends,
            backupTarget: storage?.backupTarget,
            faissRetentionDays: cfg.backup.retentionDays.faiss,
            restoreFaiss: cfg.restore.faiss,
            posthog,
            llm: cfg.llm,
          },
          after(...below),
        )
      : undefined;

    if (hasLayer("apps")) {
      new AppsLayer("apps", { ...base, image: imageOf, backends, voiceMedia: cfg.voiceMedia, domain: cfg.domain }, after(...below, ...(ai ? [ai] : [])));
    }

    if (hasLayer("observability")) {
      // Only after storage (Elasticsearch backs Jaeger and Fluentd), not the apps: monitoring should be
      // up before the services it watches.
      new ObservabilityLayer(
        "observability",
        {
          ...base,
          clusterName: cfg.stack,
          alerting: cfg.alerting,
          metrics: cfg.metrics,
          // Each its own user: Fluentd writes only logs, Jaeger only traces.
          elasticsearchAuth: storage?.elasticsearch && { logs: storage.elasticsearch.clients.logs, traces: storage.elasticsearch.clients.traces, logsReader: storage.elasticsearch.clients.logsReader },
          elasticsearchIndices: storage?.elasticsearch?.indices,
        },
        after(...(storage ? [storage] : [])),
      );
    }

    if (hasLayer("backup") && storage?.objectStores && storage.backupTarget) {
      new BackupLayer(
        "backup",
        {
          ...base,
          objectStore: storage.objectStores.backup,
          target: storage.backupTarget,
          redis: storage.redis,
          nacosMysql: storage.nacosMysql,
          milvusEtcd: storage.milvusEtcd,
          retentionDays: cfg.backup.retentionDays,
          mirror: cfg.backup.mirror,
          restoreObjectStore: cfg.restore.minio && storage.minio ? { admin: storage.minio.admin } : undefined,
        },
        after(storage),
      );
    }

    // The edge comes last: it routes to whatever the layers below deployed.
    if (cfg.edge.publicServices.some((s) => this.deployed.includes(s))) {
      const edge = new EdgeLayer("edge", { ...base, domain: cfg.domain, edge: cfg.edge, tls: cfg.tls }, { parent: this, dependsOn: [prerequisites] });
      this.urls = edge.urls;
    }

    this.registerOutputs({ deployed: this.deployed, urls: this.urls, posthogHealthUrl: this.posthog.healthUrl });
  }
}
