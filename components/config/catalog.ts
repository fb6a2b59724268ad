/**
 * The service catalog: every service the platform can deploy, the layer and namespace it lives in,
 * and the service graph. `needs` are hard dependencies (deploying a service deploys what it needs);
 * `uses` are optional integrations, wired only when the other service is deployed anyway.
 *
 * Deploy modes pick root services; the closure over `needs` is what gets deployed. Wiring (env vars,
 * NetworkPolicies) is derived from the same graph, so "who talks to whom" is stated once, here.
 */

export const LAYERS = ["prerequisites", "storage", "messaging", "ai", "apps", "analytics", "observability", "mesh", "edge", "backup"] as const;
export type Layer = (typeof LAYERS)[number];

/** Namespaces by role; their names are fixed so DNS names stay stable and readable. */
export const NAMESPACES = {
  apps: "voicehelper",
  storage: "voicehelper-storage",
  monitoring: "voicehelper-monitoring",
  posthog: "voicehelper-posthog",
  // Operators keep their conventional namespaces: their charts and docs assume them.
  istio: "istio-system",
  certManager: "cert-manager",
} as const;
export type NamespaceRole = keyof typeof NAMESPACES;
/** Namespaces that hold the platform's own services: quotas are sized from the services in them. */
export const PLATFORM_NAMESPACES: readonly NamespaceRole[] = ["apps", "storage", "monitoring", "posthog"];

export interface CatalogEntry {
  layer: Layer;
  namespace: NamespaceRole;
  /** One line for humans: what the service is. */
  description: string;
  /** Part of the product's core path: deployed by `deployMode: minimal`. */
  core?: boolean;
  /** Hard dependencies: deployed whenever this service is. */
  needs?: readonly string[];
  /** Optional integrations: wired only when the other service is deployed anyway. */
  uses?: readonly string[];
  /** Runs once or on a schedule rather than continuously (no probes, no PDB, no HPA). */
  batch?: boolean;
  /** Runs one pod per node (a DaemonSet): its footprint scales with the cluster, not with replicas. */
  daemon?: boolean;
  /**
   * Reachable from outside through the edge at `<host>.<domain>` ("" = the domain itself). Services
   * that are not public by default (no authentication of their own, or internal tools) are exposed only
   * when `edge.expose` names them.
   */
  public?: { host: string; byDefault: boolean };
  /** Can use a GPU: `overrides.<service>.gpu` may give it one (seed clusters have none, so no tier does). */
  gpu?: boolean;
}

const entries = {
  // storage
  "cnpg-operator": { layer: "storage", namespace: "storage", description: "CloudNativePG operator managing the PostgreSQL clusters" },
  postgresql: {
    layer: "storage",
    namespace: "storage",
    description: "PostgreSQL (CloudNativePG Cluster) for identity, conversation, knowledge and model_router",
    core: true,
    needs: ["cnpg-operator", "minio"],
  },
  "postgresql-pooler": { layer: "storage", namespace: "storage", description: "PgBouncer pooler in front of PostgreSQL", needs: ["postgresql"] },
  redis: { layer: "storage", namespace: "storage", description: "Redis cache and session store (standalone, or Redis Cluster in production)", core: true },
  minio: { layer: "storage", namespace: "storage", description: "S3-compatible object store (documents, multimodal, milvus-bucket, backups)", core: true },
  neo4j: { layer: "storage", namespace: "storage", description: "Neo4j knowledge graph" },
  elasticsearch: { layer: "storage", namespace: "storage", description: "Elasticsearch for logs, traces and full-text search" },
  milvus: { layer: "storage", namespace: "storage", description: "Milvus vector database (standalone)", needs: ["milvus-etcd", "minio"] },
  "milvus-etcd": { layer: "storage", namespace: "storage", description: "etcd holding Milvus metadata" },
  clickhouse: { layer: "storage", namespace: "storage", description: "ClickHouse for analytics events" },
  nacos: { layer: "storage", namespace: "storage", description: "Nacos configuration and service registry", needs: ["nacos-mysql"] },
  "nacos-mysql": { layer: "storage", namespace: "storage", description: "MySQL holding Nacos' configuration" },

  // messaging
  kafka: { layer: "messaging", namespace: "storage", description: "Kafka in KRaft mode: event streams" },
  "kafka-ui": { layer: "messaging", namespace: "storage", description: "Kafka web console behind a login", needs: ["kafka"], public: { host: "kafka-ui", byDefault: false } },
  nats: { layer: "messaging", namespace: "storage", description: "NATS with JetStream: realtime messaging", core: true },
  rabbitmq: { layer: "messaging", namespace: "storage", description: "RabbitMQ task queues" },

  // ai
  "bge-service": { layer: "ai", namespace: "apps", description: "BGE text embeddings", core: true, gpu: true, public: { host: "bge", byDefault: false } },
  "faiss-service": {
    layer: "ai",
    namespace: "apps",
    description: "FAISS vector search with its index on a volume",
    core: true,
    gpu: true,
    needs: ["minio"],
    public: { host: "faiss", byDefault: false },
  },
  "llm-proxy": { layer: "ai", namespace: "apps", description: "LLM gateway in front of OpenAI and Anthropic", core: true, needs: ["redis"] },
  "speech-service": { layer: "ai", namespace: "apps", description: "Speech recognition (ASR)", core: true, gpu: true, needs: ["minio"] },
  "tts-service": { layer: "ai", namespace: "apps", description: "Speech synthesis (TTS)", core: true, gpu: true, needs: ["minio"] },
  "model-router": {
    layer: "ai",
    namespace: "apps",
    description: "Model Router: routes requests across models and A/B-tests them through PostHog",
    core: true,
    needs: ["postgresql", "redis", "llm-proxy"],
    uses: ["posthog-web", "posthog-capture", "posthog-feature-flags"],
    public: { host: "model-router", byDefault: false },
  },

  // apps
  gateway: {
    layer: "apps",
    namespace: "apps",
    description: "API gateway (Go): the single entry for the API",
    core: true,
    needs: ["redis", "algo-service", "voice-service", "model-router"],
    uses: ["nacos", "postgresql"],
    public: { host: "api", byDefault: true },
  },
  "algo-service": {
    layer: "apps",
    namespace: "apps",
    description: "Algorithm service (Python): retrieval and orchestration",
    core: true,
    needs: ["postgresql", "redis", "minio", "bge-service", "faiss-service", "llm-proxy"],
    uses: ["milvus", "neo4j", "elasticsearch", "kafka", "rabbitmq", "nats", "nacos"],
  },
  "voice-service": { layer: "apps", namespace: "apps", description: "Voice service (WebRTC)", core: true, needs: ["speech-service", "tts-service", "redis", "nats"], uses: ["kafka"] },
  frontend: { layer: "apps", namespace: "apps", description: "Web frontend (Next.js)", core: true, needs: ["gateway"], public: { host: "", byDefault: true } },
  "admin-portal": { layer: "apps", namespace: "apps", description: "Admin portal (React)", needs: ["gateway"], public: { host: "admin", byDefault: false } },

  // analytics: self-hosted PostHog, its own stores in its own namespace
  "posthog-web": {
    layer: "analytics",
    namespace: "posthog",
    description: "PostHog web and API (Django)",
    needs: ["posthog-migrate", "posthog-postgresql", "posthog-redis", "posthog-clickhouse", "posthog-kafka", "minio"],
    uses: ["posthog-plugins", "posthog-feature-flags"],
    public: { host: "posthog", byDefault: true },
  },
  "posthog-worker": {
    layer: "analytics",
    namespace: "posthog",
    description: "PostHog Celery worker and scheduler",
    needs: ["posthog-migrate", "posthog-postgresql", "posthog-redis", "posthog-clickhouse", "posthog-kafka", "minio"],
    uses: ["posthog-plugins", "posthog-feature-flags"],
  },
  "posthog-plugins": {
    layer: "analytics",
    namespace: "posthog",
    description: "PostHog plugin server (Node ingestion and CDP)",
    needs: ["posthog-migrate", "posthog-postgresql", "posthog-redis", "posthog-clickhouse", "posthog-kafka", "minio"],
  },
  "posthog-capture": { layer: "analytics", namespace: "posthog", description: "PostHog event capture", needs: ["posthog-kafka", "posthog-redis"] },
  "posthog-replay-capture": { layer: "analytics", namespace: "posthog", description: "PostHog session-replay capture", needs: ["posthog-kafka", "posthog-redis"] },
  "posthog-feature-flags": { layer: "analytics", namespace: "posthog", description: "PostHog feature-flag evaluation service", needs: ["posthog-postgresql", "posthog-redis"] },
  "posthog-property-defs": {
    layer: "analytics",
    namespace: "posthog",
    description: "PostHog event and property definitions from ingested events",
    needs: ["posthog-migrate", "posthog-postgresql", "posthog-kafka"],
  },
  "posthog-migrate": {
    layer: "analytics",
    namespace: "posthog",
    description: "PostHog migrations, run as a Job before web, worker and plugins",
    batch: true,
    needs: ["posthog-postgresql", "posthog-clickhouse", "posthog-kafka", "posthog-redis", "minio"],
  },
  "posthog-postgresql": { layer: "analytics", namespace: "posthog", description: "PostHog's PostgreSQL (backups to the object store)", needs: ["cnpg-operator", "minio"] },
  "posthog-redis": { layer: "analytics", namespace: "posthog", description: "PostHog's Redis (PostHog requires Redis 7)" },
  "posthog-kafka": { layer: "analytics", namespace: "posthog", description: "PostHog's Kafka-compatible broker" },
  "posthog-clickhouse": {
    layer: "analytics",
    namespace: "posthog",
    description: "PostHog's ClickHouse (PostHog's supported version range; ingests from Kafka)",
    needs: ["posthog-zookeeper", "posthog-kafka"],
  },
  "posthog-zookeeper": { layer: "analytics", namespace: "posthog", description: "Coordination for PostHog's ClickHouse" },

  // observability
  prometheus: {
    layer: "observability",
    namespace: "monitoring",
    description: "Prometheus: metrics and alert rules",
    needs: ["alertmanager", "kube-state-metrics"],
    public: { host: "prometheus", byDefault: false },
  },
  alertmanager: { layer: "observability", namespace: "monitoring", description: "Alertmanager: alert routing" },
  "kube-state-metrics": { layer: "observability", namespace: "monitoring", description: "kube-state-metrics: object state (restarts, replicas) of the platform namespaces as metrics" },
  grafana: {
    layer: "observability",
    namespace: "monitoring",
    description: "Grafana dashboards and log search",
    needs: ["prometheus"],
    uses: ["jaeger", "elasticsearch"],
    public: { host: "grafana", byDefault: true },
  },
  jaeger: { layer: "observability", namespace: "monitoring", description: "Jaeger v2 tracing on Elasticsearch", needs: ["elasticsearch"], public: { host: "jaeger", byDefault: false } },
  fluentd: { layer: "observability", namespace: "monitoring", description: "Fluentd DaemonSet shipping container logs to Elasticsearch", daemon: true, needs: ["elasticsearch"] },

  // mesh and edge
  istiod: { layer: "mesh", namespace: "istio", description: "Istio control plane (also implements the Gateway API edge)" },
  ztunnel: { layer: "mesh", namespace: "istio", description: "Istio ambient node proxy: mTLS between pods without sidecars", daemon: true, needs: ["istiod"] },
  "istio-cni": { layer: "mesh", namespace: "istio", description: "Istio CNI node agent: redirects pod traffic to ztunnel", daemon: true, needs: ["istiod"] },
  "edge-gateway": { layer: "edge", namespace: "apps", description: "The public Gateway's proxy (Gateway API, deployed by Istio)", needs: ["istiod"] },
  "cert-manager": { layer: "edge", namespace: "certManager", description: "cert-manager issuing the public TLS certificates" },

  // backup
  backup: { layer: "backup", namespace: "storage", description: "Backup jobs (Redis RDB, MinIO mirror, FAISS index) writing to the backup target", batch: true, needs: ["minio"] },
} as const satisfies Record<string, CatalogEntry>;

export type ServiceName = keyof typeof entries;
export const CATALOG: Readonly<Record<ServiceName, CatalogEntry>> = entries;
export const SERVICE_NAMES = Object.keys(entries) as ServiceName[];

export function isServiceName(name: string): name is ServiceName {
  return Object.prototype.hasOwnProperty.call(entries, name);
}

export const DEPLOY_MODES = ["full", "minimal", "storage-only", "ai-only", "monitoring-only"] as const;
export type DeployMode = (typeof DEPLOY_MODES)[number];

/** The services a deploy mode starts from, before the closure over `needs`. */
export function rootServices(mode: DeployMode): ServiceName[] {
  const byLayer = (...layers: Layer[]) => SERVICE_NAMES.filter((s) => layers.includes(CATALOG[s].layer));
  switch (mode) {
    case "full":
      return [...SERVICE_NAMES];
    case "minimal":
      return SERVICE_NAMES.filter((s) => CATALOG[s].core === true);
    case "storage-only":
      return byLayer("storage", "backup");
    case "ai-only":
      return byLayer("ai");
    case "monitoring-only":
      return byLayer("observability");
  }
}

/** Every service reachable from `roots` through `needs`, in catalog order. */
export function closure(roots: Iterable<ServiceName>, excluded: ReadonlySet<ServiceName> = new Set()): ServiceName[] {
  const seen = new Set<ServiceName>();
  const visit = (s: ServiceName) => {
    if (seen.has(s) || excluded.has(s)) return;
    seen.add(s);
    for (const dep of (CATALOG[s].needs ?? []) as ServiceName[]) visit(dep);
  };
  for (const r of roots) visit(r);
  return SERVICE_NAMES.filter((s) => seen.has(s));
}

/**
 * Services installed only from remote Helm charts: with `externalCharts: false` the stack creates nothing
 * of theirs (they are installed by other means), so its `deployed` output does not list them.
 */
export const FROM_REMOTE_CHARTS: ReadonlySet<ServiceName> = new Set<ServiceName>(["cnpg-operator", "cert-manager", "istiod", "ztunnel", "istio-cni"]);
