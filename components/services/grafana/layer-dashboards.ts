/**
 * One dashboard per layer the stack deploys (seed 003's monitoring list, seed 004's store metrics): the
 * layer's services' request rate, errors and p50/p95/p99, CPU and memory against their limits, network
 * and disk I/O and restarts, then what is particular to the layer (the AI services' latencies and the
 * Model Router's A/B exposures and PostHog deliveries; the stores' and brokers' own series). Every
 * series a panel reads is named in docs/metrics-upstream.md or the alert fixtures (a test holds it).
 */
import { CATALOG, Layer, ServiceName } from "../../config/catalog";
import { AlertThresholds, OBSERVABILITY_DEFAULTS } from "../prometheus/defaults";
import { PanelSpec, timeseries } from "./dashboard";
import { SIGNALS } from "../prometheus/rules";

/** The layers that get a dashboard: their pods run in the platform namespaces Prometheus scrapes. */
export const DASHBOARD_LAYERS = ["apps", "ai", "storage", "messaging", "analytics", "observability", "backup"] as const satisfies readonly Layer[];
export type DashboardLayer = (typeof DASHBOARD_LAYERS)[number];

export const layerDashboardUid = (layer: DashboardLayer) => `voicehelper-${layer}`;

const TITLES: Record<DashboardLayer, string> = {
  apps: "Applications",
  ai: "AI services",
  storage: "Data stores",
  messaging: "Messaging",
  analytics: "Analytics (PostHog)",
  observability: "Observability",
  backup: "Backups",
};

/**
 * The services of one layer as PromQL matchers: by the scrape's service label, and by pod name (pods are
 * named after their workload, whatever their containers are called: CloudNativePG's is `postgres`).
 */
interface Scope {
  service: string;
  pod: string;
}

function scopeOf(services: readonly string[]): Scope {
  const names = services.join("|");
  return { service: `service=~"${names}"`, pod: `pod=~"(${names})-.+"` };
}

const DURATION_BUCKETS = '__name__=~".+_request_duration_seconds_bucket"';
const quantile = (q: number, s: Scope, by = "namespace, service") => `histogram_quantile(${q}, sum by (${by}, le) (rate({${DURATION_BUCKETS}, ${s.service}}[5m])))`;
/** p50, p95 and p99 of the scope in one query, told apart by a `quantile` label. */
const quantiles = (s: Scope) => ([0.5, 0.95, 0.99] as const).map((q) => `label_replace(${quantile(q, s)}, "quantile", "p${Math.round(q * 100)}", "__name__", ".*")`).join(" or ");
const perPod = (metric: string, s: Scope) => `sum by (namespace, pod) (rate(${metric}{${s.pod}}[5m]))`;

/** Seed 003's application and infrastructure plots for the layer's services. */
function commonPanels(s: Scope, t: AlertThresholds): PanelSpec[] {
  const svc = "{{namespace}}/{{service}}";
  const pod = "{{namespace}}/{{pod}}";
  const container = "{{namespace}}/{{pod}}/{{container}}";
  return [
    { title: "Requests per second (QPS)", expr: `sum by (namespace, service) (rate(http_requests_total{${s.service}}[5m]))`, legend: svc, unit: "reqps" },
    {
      title: "Error rate (5xx share)",
      expr: `sum by (namespace, service) (rate(http_requests_total{code=~"5..", ${s.service}}[5m])) / sum by (namespace, service) (rate(http_requests_total{${s.service}}[5m]))`,
      legend: svc,
      unit: "percentunit",
      threshold: t.errorRatio,
    },
    { title: "p50 latency", expr: quantile(0.5, s), legend: svc, unit: "s" },
    { title: "p95 latency", expr: quantile(0.95, s), legend: svc, unit: "s", threshold: t.latencyP95Seconds },
    { title: "p99 latency", expr: quantile(0.99, s), legend: svc, unit: "s" },
    {
      title: "CPU used / limit",
      expr:
        `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${s.pod}, container!=""}[5m]))` +
        ` / sum by (namespace, pod, container) (container_spec_cpu_quota{${s.pod}, container!=""} / container_spec_cpu_period{${s.pod}, container!=""})`,
      legend: container,
      unit: "percentunit",
      threshold: t.cpuOfLimit,
    },
    {
      title: "Memory used / limit",
      expr:
        `max by (namespace, pod, container) (container_memory_working_set_bytes{${s.pod}, container!=""})` +
        ` / max by (namespace, pod, container) (container_spec_memory_limit_bytes{${s.pod}, container!=""} > 0)`,
      legend: container,
      unit: "percentunit",
      threshold: t.memoryOfLimit,
    },
    { title: "Network received", expr: perPod("container_network_receive_bytes_total", s), legend: pod, unit: "Bps" },
    { title: "Network sent", expr: perPod("container_network_transmit_bytes_total", s), legend: pod, unit: "Bps" },
    { title: "Disk read", expr: perPod("container_fs_reads_bytes_total", s), legend: pod, unit: "Bps" },
    { title: "Disk written", expr: perPod("container_fs_writes_bytes_total", s), legend: pod, unit: "Bps" },
    { title: "Container restarts (last hour)", expr: `increase(kube_pod_container_status_restarts_total{${s.pod}}[1h])`, legend: container, unit: "short", threshold: t.restartsPerHour },
  ];
}

/** What only this layer has. */
function layerPanels(layer: DashboardLayer, services: readonly ServiceName[], t: AlertThresholds): PanelSpec[] {
  const svc = "{{namespace}}/{{service}}";
  const has = (name: ServiceName) => services.includes(name);
  switch (layer) {
    case "apps":
      return has("gateway")
        ? [{ title: "End-to-end latency at the gateway (p50, p95, p99)", expr: quantiles(scopeOf(["gateway"])), legend: "{{quantile}}", unit: "s", threshold: t.latencyP95Seconds }]
        : [];
    case "ai":
      return [
        // BGE embedding, FAISS search, speech (ASR), TTS, the LLM proxy and the Model Router: each one's own percentiles.
        ...services.map((name) => ({ title: `${name} latency (p50, p95, p99)`, expr: quantiles(scopeOf([name])), legend: "{{quantile}}", unit: "s", threshold: t.latencyP95Seconds })),
        ...(has("model-router")
          ? [
              { title: "Model Router A/B exposures per second", expr: "sum by (namespace, service) (rate(model_router_ab_test_exposures_total[5m]))", legend: svc, unit: "ops" },
              { title: "PostHog events sent per second", expr: "sum by (namespace, service) (rate(posthog_events_sent_total[5m]))", legend: svc, unit: "ops" },
              { title: "Model Router failing share", expr: SIGNALS.modelRouterErrorRatio, legend: svc, unit: "percentunit", threshold: t.errorRatio },
            ]
          : []),
      ];
    case "storage":
      return [
        ...(has("postgresql")
          ? [
              { title: "PostgreSQL connections / max_connections", expr: SIGNALS.dbConnectionRatio, legend: "{{namespace}}/{{pod}}", unit: "percentunit", threshold: t.dbConnectionRatio },
              {
                title: "PostgreSQL transactions per second",
                expr: "sum by (namespace, pod, datname) (rate(cnpg_pg_stat_database_xact_commit[5m]) + rate(cnpg_pg_stat_database_xact_rollback[5m]))",
                legend: "{{pod}}/{{datname}}",
                unit: "ops",
              },
              { title: "PostgreSQL longest open transaction (slow queries)", expr: SIGNALS.longestTransaction, legend: "{{pod}}/{{datname}}", unit: "s", threshold: t.slowTransactionSeconds },
            ]
          : []),
        ...(has("redis")
          ? [
              { title: "Redis hit ratio", expr: SIGNALS.redisHitRatio, legend: svc, unit: "percentunit" },
              {
                title: "Redis memory used / maxmemory",
                expr: "max by (namespace, pod) (redis_memory_used_bytes) / max by (namespace, pod) (redis_memory_max_bytes > 0)",
                legend: "{{namespace}}/{{pod}}",
                unit: "percentunit",
              },
              { title: "Redis commands per second", expr: "sum by (namespace, pod) (rate(redis_commands_processed_total[5m]))", legend: "{{namespace}}/{{pod}}", unit: "ops" },
              { title: "Redis up", expr: "redis_up", legend: "{{namespace}}/{{pod}}", unit: "short" },
            ]
          : []),
        ...(has("elasticsearch")
          ? [
              {
                title: "Elasticsearch cluster status (1 = current color)",
                expr: "max by (namespace, cluster, color) (elasticsearch_cluster_health_status)",
                legend: "{{namespace}}/{{cluster}} {{color}}",
                unit: "short",
              },
            ]
          : []),
        ...(has("milvus") ? [{ title: "Milvus p95 vector search latency", expr: SIGNALS.vectorSearchP95, legend: svc, unit: "s", threshold: t.latencyP95Seconds }] : []),
        ...(has("clickhouse")
          ? [
              { title: "ClickHouse queries per second", expr: "sum by (namespace, service) (rate(ClickHouseProfileEvents_Query[5m]))", legend: svc, unit: "ops" },
              { title: "ClickHouse failed queries", expr: SIGNALS.clickhouseFailedQueryRatio, legend: svc, unit: "percentunit", threshold: t.errorRatio },
              // Seed 004's "query latency": the servers count run time and queries, so their ratio is the mean, not a percentile.
              {
                title: "ClickHouse mean query time",
                expr: "sum by (namespace, service) (rate(ClickHouseProfileEvents_QueryTimeMicroseconds[5m])) / sum by (namespace, service) (rate(ClickHouseProfileEvents_Query[5m])) / 1000000",
                legend: svc,
                unit: "s",
              },
            ]
          : []),
        ...(has("minio") ? [{ title: "MinIO nodes offline", expr: SIGNALS.objectStoreNodesOffline, legend: svc, unit: "short", threshold: 1 }] : []),
        { title: "Volume free", expr: SIGNALS.volumeFree, legend: "{{namespace}}/{{persistentvolumeclaim}}", unit: "percentunit", threshold: t.diskFreeRatio },
      ];
    case "messaging":
      return [
        ...(has("kafka") ? [consumerLagPanel(t)] : []),
        ...(has("rabbitmq") ? [{ title: "RabbitMQ resource alarms", expr: SIGNALS.brokerAlarm, legend: "{{namespace}}/{{pod}}", unit: "short", threshold: 1 }] : []),
        ...(has("nats")
          ? [
              { title: "NATS messages in per second", expr: "sum by (namespace, pod) (rate(gnatsd_varz_in_msgs[5m]))", legend: "{{namespace}}/{{pod}}", unit: "ops" },
              { title: "NATS messages out per second", expr: "sum by (namespace, pod) (rate(gnatsd_varz_out_msgs[5m]))", legend: "{{namespace}}/{{pod}}", unit: "ops" },
              { title: "NATS connections", expr: "max by (namespace, pod) (gnatsd_varz_connections)", legend: "{{namespace}}/{{pod}}", unit: "short" },
              { title: "NATS slow consumers cut off (5 min)", expr: SIGNALS.natsSlowConsumers, legend: "{{namespace}}/{{pod}}", unit: "short", threshold: 1 },
            ]
          : []),
      ];
    case "analytics":
      return [
        ...(has("posthog-kafka") ? [consumerLagPanel(t)] : []),
        ...(has("posthog-clickhouse") ? [{ title: "PostHog's ClickHouse failed queries", expr: SIGNALS.clickhouseFailedQueryRatio, legend: svc, unit: "percentunit", threshold: t.errorRatio }] : []),
      ];
    case "backup":
      return [{ title: "Backups: intervals since the last success", expr: SIGNALS.scheduledJobOverdue, legend: "{{namespace}}/{{cronjob}}", unit: "short", threshold: t.overdueIntervals }];
    case "observability":
      return [{ title: "Scrape targets down", expr: `count by (job) (up == 0)`, legend: "{{job}}", unit: "short" }];
  }
}

/** What KafkaConsumerLagHigh reads, per consumer group and topic (the platform's broker and PostHog's). */
function consumerLagPanel(t: AlertThresholds): PanelSpec {
  return { title: "Kafka consumer lag (records unread)", expr: SIGNALS.consumerLag, legend: "{{service}}: {{group_id}} on {{topic_name}}", unit: "short", threshold: t.consumerLagMessages };
}

/** The panels of one layer's dashboard for the services it deploys (exported for the tests). */
export function layerPanelSpecs(layer: DashboardLayer, services: readonly ServiceName[], t: AlertThresholds = OBSERVABILITY_DEFAULTS.thresholds): PanelSpec[] {
  return [...commonPanels(scopeOf(services), t), ...layerPanels(layer, services, t)];
}

/** The dashboards of the layers with at least one deployed service, by file name. */
export function layerDashboards(deployed: readonly ServiceName[], datasourceUid: string, t: AlertThresholds = OBSERVABILITY_DEFAULTS.thresholds): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const layer of DASHBOARD_LAYERS) {
    const services = deployed.filter((s) => CATALOG[s].layer === layer);
    if (services.length === 0) continue;
    out[`${layer}.json`] = {
      uid: layerDashboardUid(layer),
      title: `VoiceHelper: ${TITLES[layer]}`,
      tags: ["voicehelper", layer],
      timezone: "browser",
      editable: false,
      refresh: "30s",
      schemaVersion: 41,
      time: { from: "now-6h", to: "now" },
      panels: layerPanelSpecs(layer, services, t).map((p, i) => timeseries(p, i, datasourceUid)),
    };
  }
  return out;
}
