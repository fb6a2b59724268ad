/**
 * Every third-party image the platform runs, pinned to an exact version, in one place.
 * Upstream images only (Bitnami's free images are gone). Review a change here like an
 * API change: it upgrades a data store in every environment.
 *
 * In-house images (gateway, model-router, ...) are not here: their registry and tag come from stack
 * config `voicehelper:images`, because they are released with the product, not with this program.
 */
/**
 * The PostHog release (a PostHog/posthog commit) every PostHog image is built from. PostHog's CI tags
 * the Django image with the full commit and its Rust services with `sha-<first 7 characters>`, and
 * builds each only when the commit touches its sources (docs/posthog-upstream.md): whether all the
 * images exist for this commit cannot be checked from here. Confirm before deploying (README).
 */
export const POSTHOG_RELEASE = "a62d71f8979a1d3b0c46271e11143856ac5d0a0b";
/** The tag PostHog's Rust image workflow gives an image built from POSTHOG_RELEASE. */
export const POSTHOG_RUST_TAG = `sha-${POSTHOG_RELEASE.slice(0, 7)}`;

/**
 * Metrics exporters that run beside a store (docs/metrics-upstream.md has the release each tag was
 * confirmed from and the source its metric names were read in). A block of their own, spread into IMAGES.
 */
const EXPORTER_IMAGES = {
  redisExporter: "docker.io/oliver006/redis_exporter:v1.91.1",
  natsExporter: "docker.io/natsio/prometheus-nats-exporter:0.20.2",
  elasticsearchExporter: "quay.io/prometheuscommunity/elasticsearch-exporter:v1.11.0",
  // KMinion, Kafka's consumer-lag exporter: the release Redpanda's own kminion chart (0.15.2) moved to.
  kafkaExporter: "docker.redpanda.com/redpandadata/kminion:v2.3.0",
} as const;

export const IMAGES = {
  // The `system` flavour: `standard` plus the barman-cloud tools that barmanObjectStore backups run
  // inside the instance (`minimal` and `standard` carry none; docs/disaster-recovery.md). On Debian
  // trixie (stable): the `bookworm` images follow Debian oldstable (docs/images.md).
  postgresql: "ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie",
  redis: "docker.io/library/redis:8.2.2-alpine",
  // The object store: Silo, the maintained community fork of the MinIO server (MinIO's own images are
  // gone and its repository is archived; docs/object-storage.md). Same S3 and admin APIs, `MINIO_*`
  // settings, `/minio/*` routes and on-disk format; the executable is `silo` (OBJECT_STORE_SERVER).
  minio: "docker.io/pgsty/silo:RELEASE.2026-08-06T00-00-00Z",
  // The fork's `mc` (the release the Silo image bundles): `/usr/bin/mc`, entrypoint `mc`, as MinIO's.
  minioClient: "docker.io/pgsty/mc:RELEASE.2026-09-01T00-00-00Z",
  // Calendar releases are supported until the next one; 2026.09 is the newest confirmed (docs/images.md).
  // Its Debian flavour is trixie (no bullseye build any more); user, paths and entrypoint unchanged.
  neo4j: "docker.io/library/neo4j:2026.09.0-community",
  neo4jEnterprise: "docker.io/library/neo4j:2026.09.0-enterprise",
  // 8.19 is the last 8.x minor, supported until 2027-07-15 (docs/images.md).
  elasticsearch: "docker.elastic.co/elasticsearch/elasticsearch:8.19.14",
  milvus: "docker.io/milvusdb/milvus:v2.6.4",
  etcd: "quay.io/coreos/etcd:v3.5.24",
  // 26.8 LTS (one year of fixes from Aug 2026); 25.8 LTS left ClickHouse's two supported LTS lines.
  clickhouse: "docker.io/clickhouse/clickhouse-server:26.8.15.10",
  nacos: "docker.io/nacos/nacos-server:v3.1.0",
  mysql: "docker.io/library/mysql:8.4.7",
  kafka: "docker.io/apache/kafka:4.1.1",
  kafkaUi: "ghcr.io/kafbat/kafka-ui:v1.4.2",
  nats: "docker.io/library/nats:2.12.1-alpine",
  // 4.3 is the series with community support (only the newest minor series gets patches).
  rabbitmq: "docker.io/library/rabbitmq:4.3.4-management-alpine",
  // For bootstrap Jobs that call an HTTP API from an image without curl (RabbitMQ's has none).
  curl: "docker.io/curlimages/curl:8.17.0",
  prometheus: "quay.io/prometheus/prometheus:v3.7.3",
  alertmanager: "quay.io/prometheus/alertmanager:v0.29.0",
  grafana: "docker.io/grafana/grafana:12.3.0",
  // The newest release the Go module proxy confirms (k8s.io/kube-state-metrics/v2).
  kubeStateMetrics: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0",
  jaeger: "docker.io/jaegertracing/jaeger:2.12.0",
  fluentd: "docker.io/fluent/fluentd-kubernetes-daemonset:v1.19.1-debian-elasticsearch8-1.0",
  // PostHog pins its own store versions: its own instances. ClickHouse is the version PostHog's compose
  // runs at POSTHOG_RELEASE; Redis the newest 7.2 patch of its `redis:7.2-alpine` (7.2.12, Nov 2025).
  posthogRedis: "docker.io/library/redis:7.2.12-alpine",
  posthogClickhouse: "docker.io/clickhouse/clickhouse-server:25.6.13.41",
  posthogZookeeper: "docker.io/library/zookeeper:3.8.4",
  // One PostHog release for every PostHog image (PostHog tags each image with the monorepo commit it
  // was built from): a Django image and a plugin server from different commits crash-loop.
  posthog: `docker.io/posthog/posthog:${POSTHOG_RELEASE}`,
  posthogNode: `docker.io/posthog/posthog-node:${POSTHOG_RELEASE}`,
  posthogCapture: `ghcr.io/posthog/posthog/capture:${POSTHOG_RUST_TAG}`,
  posthogFeatureFlags: `ghcr.io/posthog/posthog/feature-flags:${POSTHOG_RUST_TAG}`,
  posthogPropertyDefs: `ghcr.io/posthog/posthog/property-defs-rs:${POSTHOG_RUST_TAG}`,
  ...EXPORTER_IMAGES,
} as const;
export type ImageKey = keyof typeof IMAGES;

/** The server executable in IMAGES.minio (Silo renamed MinIO's `minio` binary; nothing else changed). */
export const OBJECT_STORE_SERVER = "silo";

/** Helm charts the platform installs, pinned. They need the chart repository at deploy time. */
export const CHARTS = {
  // Operator 1.30.0, the last minor with the in-tree barmanObjectStore the backups use (1.31 removes it).
  cnpg: { chart: "cloudnative-pg", version: "0.29.0", repo: "https://cloudnative-pg.github.io/charts" },
  istioBase: { chart: "base", version: "1.31.0", repo: "https://istio-release.storage.googleapis.com/charts" },
  istiod: { chart: "istiod", version: "1.31.0", repo: "https://istio-release.storage.googleapis.com/charts" },
  istioCni: { chart: "cni", version: "1.31.0", repo: "https://istio-release.storage.googleapis.com/charts" },
  ztunnel: { chart: "ztunnel", version: "1.31.0", repo: "https://istio-release.storage.googleapis.com/charts" },
  // Jetstack's chart versions carry the "v"; unpinned, the cert-manager component installs whatever is newest.
  certManager: { chart: "cert-manager", version: "v1.21.2", repo: "https://charts.jetstack.io" },
} as const;

/** The in-house services whose images come from `voicehelper:images`. */
export const IN_HOUSE_IMAGES = [
  "gateway",
  "algo-service",
  "voice-service",
  "frontend",
  "admin-portal",
  "bge-service",
  "faiss-service",
  "llm-proxy",
  "speech-service",
  "tts-service",
  "model-router",
] as const;
export type InHouseImage = (typeof IN_HOUSE_IMAGES)[number];
