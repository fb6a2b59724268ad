/**
 * Seed 003's alert policy as Prometheus alerting rules. The rules are data (so tests assert each
 * threshold and `for`) rendered to the rules file Prometheus loads; the PromQL signals they compare
 * are shared with the Grafana dashboard, so a panel shows exactly what an alert fires on.
 *
 * Labels: every scraped series carries `namespace`, `pod` and `service` (the pod's
 * app.kubernetes.io/name, set by the scrape config); rules keep `service` where the signal allows,
 * because Alertmanager groups by alertname, cluster and service.
 */
import { stringify } from "yaml";
import { AlertThresholds, OBSERVABILITY_DEFAULTS } from "./defaults";

export type Severity = "critical" | "warning";

export interface AlertRule {
  alert: string;
  severity: Severity;
  /** The seed 003 line the rule implements. */
  seed: string;
  /** The full PromQL condition: `signal` compared with `threshold`. */
  expr: string;
  /** The number `expr` compares against. */
  threshold: number;
  /** How long the condition must hold before the alert fires (Prometheus duration). */
  for: string;
  summary: string;
  description: string;
  /** Where the series come from: the scrape job that collects them (prometheus.ts) and what exports them. */
  source: { job: ScrapeJob; exporter: string };
}

/** The scrape jobs of prometheus.ts, by name. */
export const POD_JOB = "kubernetes-pods";
export const EXPORTER_JOB = "kubernetes-exporters";
export const KUBELET_JOB = "kubelet";
export const CADVISOR_JOB = "kubelet-cadvisor";
export type ScrapeJob = typeof POD_JOB | typeof EXPORTER_JOB | typeof KUBELET_JOB | typeof CADVISOR_JOB;

/** The rule file's mount directory inside the Prometheus container. */
export const RULES_DIR = "/etc/prometheus/rules";

/** `service` from a label whose value starts with the service name (containers, volume claims). */
const serviceFrom = (expr: string, label: string, regex: string) => `label_replace(${expr}, "service", "$1", "${label}", "${regex}")`;

/** The signals the rules compare and the dashboard plots, without thresholds. */
export const SIGNALS = {
  requestRate: `sum by (namespace, service) (rate(http_requests_total[5m]))`,
  errorRatio: `sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m]))`,
  modelRouterErrorRatio: `sum by (namespace, service) (rate(model_router_requests_total{status=~"5..|error|failure"}[5m]))` + ` / sum by (namespace, service) (rate(model_router_requests_total[5m]))`,
  /** Every `*_request_duration_seconds` histogram of a service (http_…, model_router_…) merged. */
  latencyP95: `histogram_quantile(0.95, sum by (namespace, service, le) (rate({__name__=~".+_request_duration_seconds_bucket"}[5m])))`,
  volumeFree: serviceFrom(
    `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes`,
    "persistentvolumeclaim",
    // The kit names claims data-<statefulset>-<ordinal>.
    "data-(.+)-[0-9]+",
  ),
  cpuOfLimit: serviceFrom(
    `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{container!=""}[5m]))` +
      ` / sum by (namespace, pod, container) (container_spec_cpu_quota{container!=""} / container_spec_cpu_period{container!=""})`,
    "container",
    "(.+)",
  ),
  memoryOfLimit: serviceFrom(
    `max by (namespace, pod, container) (container_memory_working_set_bytes{container!=""})` + ` / max by (namespace, pod, container) (container_spec_memory_limit_bytes{container!=""} > 0)`,
    "container",
    "(.+)",
  ),
  restartsLastHour: serviceFrom(`increase(kube_pod_container_status_restarts_total[1h])`, "container", "(.+)"),
  /** Seconds since a CronJob last succeeded (since its creation, before its first success) over its interval. */
  scheduledJobOverdue: serviceFrom(
    `(time() - (kube_cronjob_status_last_successful_time > 0 or kube_cronjob_created))` + ` / (kube_cronjob_next_schedule_time - kube_cronjob_status_last_schedule_time)`,
    "cronjob",
    "(.+)",
  ),
  /** Days until each certificate expires, `service` = the certificate's name. */
  certificateDaysLeft: serviceFrom(`(certmanager_certificate_expiration_timestamp_seconds - time()) / 86400`, "name", "(.+)"),
  /** 1 while a RabbitMQ node has a memory, disk or file-descriptor alarm (publishers are blocked), per pod. */
  brokerAlarm: `max by (namespace, service, pod) ({__name__=~"rabbitmq_alarms_(memory_used_watermark|free_disk_space_watermark|file_descriptor_limit)"})`,
  /** Share of ClickHouse queries that failed (ProfileEvents counters from its own endpoint). */
  clickhouseFailedQueryRatio: `sum by (namespace, service) (rate(ClickHouseProfileEvents_FailedQuery[5m]))` + ` / sum by (namespace, service) (rate(ClickHouseProfileEvents_Query[5m]))`,
  /** MinIO nodes its peers cannot reach; every MinIO pod reports the cluster's count, so the highest. */
  objectStoreNodesOffline: `max by (namespace, service) (minio_cluster_nodes_offline_total)`,
  dbConnectionRatio: `sum by (namespace, service, pod) (cnpg_backends_total) / max by (namespace, service, pod) (cnpg_pg_settings_setting{name="max_connections"})`,
  /** Seconds the oldest open transaction of each database has run (0 when none is open), per instance. */
  longestTransaction: `max by (namespace, service, pod, datname) (cnpg_backends_max_tx_duration_seconds)`,
  /** Used share of maxmemory of the Redis servers that refuse writes when full (`maxmemory-policy noeviction`). */
  redisMemoryOfMax:
    `(max by (namespace, service, pod) (redis_memory_used_bytes) / max by (namespace, service, pod) (redis_memory_max_bytes > 0))` +
    ` and on (namespace, service, pod) max by (namespace, service, pod) (redis_instance_info{maxmemory_policy="noeviction"})`,
  /** Share of key lookups that found the key, per Redis service. */
  redisHitRatio:
    `sum by (namespace, service) (rate(redis_keyspace_hits_total[5m]))` +
    ` / (sum by (namespace, service) (rate(redis_keyspace_hits_total[5m])) + sum by (namespace, service) (rate(redis_keyspace_misses_total[5m])))`,
  /** Clients each NATS server cut off in the last 5 minutes because they could not keep up (their messages are lost). */
  natsSlowConsumers: `max by (namespace, service, pod) (delta(gnatsd_varz_slow_consumers[5m]))`,
  /** 1 while an Elasticsearch cluster is red (a primary shard unassigned: its data unreadable), as every node's exporter sees it. */
  searchClusterRed: `max by (namespace, service, cluster) (elasticsearch_cluster_health_status{color="red"})`,
  /**
   * Records each Kafka consumer group has yet to read, per topic. Every broker's KMinion reports the
   * whole cluster, so the highest of their reports (a broker whose exporter lags behind reports less).
   */
  consumerLag: `max by (namespace, service, group_id, topic_name) (kminion_kafka_consumer_group_topic_lag)`,
  /** p95 of Milvus' vector searches in seconds (its proxy histogram is in milliseconds). */
  vectorSearchP95: `histogram_quantile(0.95, sum by (namespace, service, le) (rate(milvus_proxy_req_latency_bucket{function_name="Search"}[5m]))) / 1000`,
} as const;

const FROM_PODS = { job: POD_JOB, exporter: "the services' own /metrics, discovered from their pods' scrape annotations" } as const;
const FROM_KUBELET = { job: KUBELET_JOB, exporter: "the kubelets' volume statistics" } as const;
const FROM_CADVISOR = { job: CADVISOR_JOB, exporter: "the kubelets' cAdvisor (container usage and limits)" } as const;
const FROM_KSM = { job: EXPORTER_JOB, exporter: "kube-state-metrics" } as const;
const FROM_CERT_MANAGER = { job: EXPORTER_JOB, exporter: "cert-manager's controller (its certificate metrics)" } as const;
const FROM_RABBITMQ = { job: POD_JOB, exporter: "RabbitMQ's rabbitmq_prometheus plugin (port 15692, /metrics)" } as const;
const FROM_CLICKHOUSE = { job: POD_JOB, exporter: "ClickHouse's built-in Prometheus endpoint (port 9363, /metrics)" } as const;
const FROM_MINIO = { job: POD_JOB, exporter: "MinIO's cluster metrics (/minio/v2/metrics/cluster on its API port)" } as const;
const FROM_PG = { job: POD_JOB, exporter: "CloudNativePG's instance exporter (port 9187) on every PostgreSQL pod" } as const;
const FROM_REDIS = { job: POD_JOB, exporter: "redis_exporter beside every Redis node (port 9121)" } as const;
const FROM_NATS = { job: POD_JOB, exporter: "prometheus-nats-exporter beside every NATS server (port 7777)" } as const;
const FROM_ELASTICSEARCH = { job: POD_JOB, exporter: "elasticsearch_exporter beside every Elasticsearch node (port 9114)" } as const;
const FROM_KAFKA = { job: POD_JOB, exporter: "KMinion beside every Kafka broker (port 8080)" } as const;
const FROM_MILVUS = { job: POD_JOB, exporter: "Milvus' own /metrics (its proxy's request histogram)" } as const;

const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** Seed 003's alerts with the given thresholds. */
export function alertRules(t: AlertThresholds = OBSERVABILITY_DEFAULTS.thresholds): AlertRule[] {
  return [
    {
      alert: "ServiceDown",
      severity: "critical",
      seed: "service unavailable (> 1 minute)",
      expr: `up{job=~"${POD_JOB}|${EXPORTER_JOB}"} == 0`,
      threshold: 0,
      for: t.downFor,
      summary: "{{ $labels.service }} is down",
      description: `Prometheus has not been able to scrape {{ $labels.pod }} in {{ $labels.namespace }} for more than ${t.downFor}.`,
      source: FROM_PODS,
    },
    {
      alert: "HighErrorRate",
      severity: "critical",
      seed: "error rate above 5% (> 5 minutes)",
      expr: `(${SIGNALS.errorRatio}) > ${t.errorRatio}`,
      threshold: t.errorRatio,
      for: t.errorFor,
      summary: "{{ $labels.service }} answers more than " + pct(t.errorRatio) + " of requests with 5xx",
      description: `{{ $value | humanizePercentage }} of {{ $labels.service }}'s HTTP requests failed with a 5xx over the last 5 minutes (threshold ${pct(t.errorRatio)}).`,
      source: FROM_PODS,
    },
    {
      alert: "ModelRouterHighErrorRate",
      severity: "critical",
      seed: "error rate above 5% (> 5 minutes)",
      expr: `(${SIGNALS.modelRouterErrorRatio}) > ${t.errorRatio}`,
      threshold: t.errorRatio,
      for: t.errorFor,
      summary: "The Model Router fails more than " + pct(t.errorRatio) + " of requests",
      description: `{{ $value | humanizePercentage }} of model_router_requests_total had a failing status over the last 5 minutes (threshold ${pct(t.errorRatio)}).`,
      source: FROM_PODS,
    },
    {
      alert: "HighLatency",
      severity: "critical",
      seed: "response time above the threshold (> 5 minutes)",
      expr: `(${SIGNALS.latencyP95}) > ${t.latencyP95Seconds}`,
      threshold: t.latencyP95Seconds,
      for: t.latencyFor,
      summary: `{{ $labels.service }}'s p95 latency is above ${t.latencyP95Seconds}s`,
      description: `The 95th percentile of {{ $labels.service }}'s request duration is {{ $value | humanizeDuration }} (threshold ${t.latencyP95Seconds}s).`,
      source: FROM_PODS,
    },
    {
      alert: "VolumeAlmostFull",
      severity: "critical",
      seed: "disk space low (< 10%)",
      expr: `(${SIGNALS.volumeFree}) < ${t.diskFreeRatio}`,
      threshold: t.diskFreeRatio,
      for: t.diskFor,
      summary: "Volume {{ $labels.persistentvolumeclaim }} has less than " + pct(t.diskFreeRatio) + " free",
      description: `{{ $labels.persistentvolumeclaim }} in {{ $labels.namespace }} has {{ $value | humanizePercentage }} of its capacity left.`,
      source: FROM_KUBELET,
    },
    {
      alert: "MetricsSourceDown",
      severity: "critical",
      seed: "service unavailable (> 1 minute), applied to the sources the disk, CPU and memory alerts read",
      expr: `up{job=~"${KUBELET_JOB}|${CADVISOR_JOB}"} == 0`,
      threshold: 0,
      for: t.metricsSourceDownFor,
      summary: "Prometheus cannot scrape the kubelet of {{ $labels.node }}",
      description:
        `The {{ $labels.job }} scrape of {{ $labels.node }} has failed for ${t.metricsSourceDownFor}: volume, CPU and memory alerts for its pods cannot fire. ` +
        "A certificate error means the kubelets serve self-signed certificates: set the stack's metrics.kubeletTls to skip-verify, or give kubelets CA-signed serving certificates.",
      source: FROM_KUBELET,
    },
    {
      alert: "CPUNearLimit",
      severity: "warning",
      seed: "CPU usage above 80% (> 5 minutes)",
      expr: `(${SIGNALS.cpuOfLimit}) > ${t.cpuOfLimit}`,
      threshold: t.cpuOfLimit,
      for: t.cpuFor,
      summary: "{{ $labels.pod }}/{{ $labels.container }} uses more than " + pct(t.cpuOfLimit) + " of its CPU limit",
      description: `{{ $labels.container }} in {{ $labels.pod }} has used {{ $value | humanizePercentage }} of its CPU limit for ${t.cpuFor}; it is being throttled or about to be.`,
      source: FROM_CADVISOR,
    },
    {
      alert: "MemoryNearLimit",
      severity: "warning",
      seed: "memory usage above 85% (> 5 minutes)",
      expr: `(${SIGNALS.memoryOfLimit}) > ${t.memoryOfLimit}`,
      threshold: t.memoryOfLimit,
      for: t.memoryFor,
      summary: "{{ $labels.pod }}/{{ $labels.container }} uses more than " + pct(t.memoryOfLimit) + " of its memory limit",
      description: `{{ $labels.container }} in {{ $labels.pod }} has used {{ $value | humanizePercentage }} of its memory limit for ${t.memoryFor}; it will be OOM-killed at 100%.`,
      source: FROM_CADVISOR,
    },
    {
      alert: "FrequentRestarts",
      severity: "warning",
      seed: "pod restarts frequently (> 5 per hour)",
      expr: `(${SIGNALS.restartsLastHour}) > ${t.restartsPerHour}`,
      threshold: t.restartsPerHour,
      for: t.restartsFor,
      summary: "{{ $labels.pod }}/{{ $labels.container }} restarted more than " + t.restartsPerHour + " times in an hour",
      description: `{{ $labels.container }} in {{ $labels.pod }} ({{ $labels.namespace }}) restarted {{ $value | humanize }} times in the last hour.`,
      source: FROM_KSM,
    },
    {
      alert: "WALArchivingFailing",
      severity: "critical",
      seed: "PostgreSQL continuous WAL archiving (seed 003 backups: RPO 5 minutes)",
      // Timestamps, not counters: a failure followed by a success clears it; replicas report -1 for both.
      expr: `(cnpg_pg_stat_archiver_last_failed_time - cnpg_pg_stat_archiver_last_archived_time) > 0`,
      threshold: 0,
      for: t.walArchivingFor,
      summary: "{{ $labels.pod }} cannot archive its WAL to the object store",
      description: `The last WAL archiving attempt of {{ $labels.pod }} failed and none has succeeded since: point-in-time recovery is frozen at the last archived segment (RPO ${t.walArchivingFor} exceeded).`,
      source: FROM_PG,
    },
    {
      alert: "ScheduledJobOverdue",
      severity: "warning",
      seed: "backups on schedule (seed 003: Redis hourly, MinIO daily)",
      expr: `(${SIGNALS.scheduledJobOverdue}) > ${t.overdueIntervals}`,
      threshold: t.overdueIntervals,
      for: t.overdueFor,
      summary: "{{ $labels.cronjob }} has not succeeded for " + t.overdueIntervals + " of its intervals",
      description: `The CronJob {{ $labels.cronjob }} in {{ $labels.namespace }} last succeeded {{ $value | humanize }} intervals ago: its backups (or index lifecycle) are not being made.`,
      source: FROM_KSM,
    },
    {
      alert: "CertificateExpiringSoon",
      severity: "warning",
      seed: "HTTPS entry for every public host (seed 003 08-ingress-networking)",
      expr: `(${SIGNALS.certificateDaysLeft}) < ${t.certificateDaysLeft}`,
      threshold: t.certificateDaysLeft,
      for: t.certificateFor,
      summary: "Certificate {{ $labels.name }} expires in less than " + t.certificateDaysLeft + " days",
      description: `{{ $labels.namespace }}/{{ $labels.name }} (issuer {{ $labels.issuer_name }}) expires in {{ $value | humanize }} days and has not been renewed; every host it covers stops answering HTTPS when it does.`,
      source: FROM_CERT_MANAGER,
    },
    {
      alert: "CertificateNotReady",
      severity: "critical",
      seed: "HTTPS entry for every public host (seed 003 08-ingress-networking)",
      expr: `label_replace(certmanager_certificate_ready_status{condition="False"}, "service", "$1", "name", "(.+)") == 1`,
      threshold: 1,
      for: t.certificateNotReadyFor,
      summary: "Certificate {{ $labels.name }} is not ready",
      description: `cert-manager reports {{ $labels.namespace }}/{{ $labels.name }} not ready for ${t.certificateNotReadyFor}: issuance or renewal is failing (see "kubectl describe certificate").`,
      source: FROM_CERT_MANAGER,
    },
    {
      alert: "DatabaseConnectionsHigh",
      severity: "warning",
      seed: "database connections too high (> 80%)",
      expr: `(${SIGNALS.dbConnectionRatio}) > ${t.dbConnectionRatio}`,
      threshold: t.dbConnectionRatio,
      for: t.dbConnectionsFor,
      summary: "{{ $labels.service }} uses more than " + pct(t.dbConnectionRatio) + " of max_connections",
      description: `{{ $labels.pod }} has {{ $value | humanizePercentage }} of its max_connections in use; new clients will be refused at 100%.`,
      source: FROM_PG,
    },
    {
      alert: "MessageBrokerAlarm",
      severity: "critical",
      seed: "service unavailable (> 1 minute): a RabbitMQ resource alarm blocks every publisher",
      expr: `(${SIGNALS.brokerAlarm}) > 0`,
      threshold: 0,
      for: t.brokerAlarmFor,
      summary: "{{ $labels.pod }} has a RabbitMQ resource alarm: publishers are blocked",
      description: `{{ $labels.pod }} in {{ $labels.namespace }} has had a memory, free-disk or file-descriptor alarm for ${t.brokerAlarmFor}; RabbitMQ blocks every publishing connection until it clears (see rabbitmq-diagnostics alarms).`,
      source: FROM_RABBITMQ,
    },
    {
      alert: "ClickHouseQueryErrors",
      severity: "critical",
      seed: "error rate above 5% (> 5 minutes), for the analytics database",
      expr: `(${SIGNALS.clickhouseFailedQueryRatio}) > ${t.errorRatio}`,
      threshold: t.errorRatio,
      for: t.errorFor,
      summary: "{{ $labels.service }} fails more than " + pct(t.errorRatio) + " of its queries",
      description: `{{ $value | humanizePercentage }} of the queries {{ $labels.service }} ran in the last 5 minutes failed (threshold ${pct(t.errorRatio)}); see system.query_log for the errors.`,
      source: FROM_CLICKHOUSE,
    },
    {
      alert: "ObjectStoreNodeOffline",
      severity: "critical",
      seed: "service unavailable (> 1 minute), for a node of the object store",
      expr: `(${SIGNALS.objectStoreNodesOffline}) > 0`,
      threshold: 0,
      for: t.downFor,
      summary: "{{ $value }} MinIO node(s) of {{ $labels.service }} offline",
      description: `MinIO in {{ $labels.namespace }} reports {{ $value }} node(s) offline for ${t.downFor}: its erasure sets are running without their redundancy, and writes stop when they lose their quorum.`,
      source: FROM_MINIO,
    },
    {
      alert: "DatabaseSlowTransaction",
      severity: "warning",
      seed: "PostgreSQL slow queries (seed 004's key metrics)",
      expr: `(${SIGNALS.longestTransaction}) > ${t.slowTransactionSeconds}`,
      threshold: t.slowTransactionSeconds,
      for: t.slowTransactionFor,
      summary: "{{ $labels.pod }} has had a transaction open for more than " + t.slowTransactionSeconds + "s in {{ $labels.datname }}",
      description: `The oldest transaction in {{ $labels.datname }} on {{ $labels.pod }} has run {{ $value | humanizeDuration }}, and transactions that long have been seen for ${t.slowTransactionFor}: find it in pg_stat_activity (it holds its locks and keeps autovacuum from the tables it touched).`,
      source: FROM_PG,
    },
    {
      alert: "RedisDown",
      severity: "critical",
      seed: "service unavailable (> 1 minute), for each Redis node",
      expr: `redis_up == 0`,
      threshold: 0,
      for: t.downFor,
      summary: "{{ $labels.pod }} does not answer its exporter",
      description: `redis_exporter in {{ $labels.pod }} ({{ $labels.namespace }}) has not been able to read its Redis for ${t.downFor}; its clients cannot either.`,
      source: FROM_REDIS,
    },
    {
      alert: "RedisMemoryNearMax",
      severity: "warning",
      seed: "memory usage above 85% (> 5 minutes), against the maxmemory of a Redis that does not evict",
      expr: `(${SIGNALS.redisMemoryOfMax}) > ${t.redisMemoryOfMax}`,
      threshold: t.redisMemoryOfMax,
      for: t.redisMemoryFor,
      summary: "{{ $labels.pod }} uses more than " + pct(t.redisMemoryOfMax) + " of its maxmemory and does not evict",
      description: `{{ $labels.pod }} ({{ $labels.service }}) holds {{ $value | humanizePercentage }} of its maxmemory with maxmemory-policy noeviction: at 100% every write fails (queues and locks, not a cache).`,
      source: FROM_REDIS,
    },
    {
      alert: "MessagingSlowConsumers",
      severity: "warning",
      seed: "message backlog and consumer delay (seed 004's key metrics), for NATS",
      expr: `(${SIGNALS.natsSlowConsumers}) > 0`,
      threshold: 0,
      for: t.slowConsumersFor,
      summary: "{{ $labels.pod }} cut off slow consumers",
      description: `NATS server {{ $labels.pod }} disconnected {{ $value }} client(s) in the last 5 minutes that could not keep up with their subscriptions; the messages queued for them were dropped.`,
      source: FROM_NATS,
    },
    {
      alert: "KafkaConsumerLagHigh",
      severity: "warning",
      seed: "message backlog and consumer delay (seed 004's key metrics), for Kafka",
      expr: `(${SIGNALS.consumerLag}) > ${t.consumerLagMessages}`,
      threshold: t.consumerLagMessages,
      for: t.consumerLagFor,
      summary: "Consumer group {{ $labels.group_id }} is falling behind on {{ $labels.topic_name }}",
      description:
        `Group {{ $labels.group_id }} has had more than ${t.consumerLagMessages} unread records on {{ $labels.topic_name }} ({{ $labels.service }}, {{ $labels.namespace }}) for ${t.consumerLagFor}; now {{ $value }}. ` +
        "Its consumers are down, stuck or too few for the rate (a group no service uses any more keeps its lag: delete it with kafka-consumer-groups.sh --delete).",
      source: FROM_KAFKA,
    },
    {
      alert: "SearchClusterRed",
      severity: "critical",
      seed: "service unavailable (> 1 minute), for Elasticsearch: a red cluster cannot serve some of its data",
      expr: `(${SIGNALS.searchClusterRed}) > 0`,
      threshold: 0,
      for: t.downFor,
      summary: "Elasticsearch cluster {{ $labels.cluster }} is red",
      description: `Elasticsearch in {{ $labels.namespace }} has had an unassigned primary shard for ${t.downFor}: searches and writes on that index fail (GET _cluster/allocation/explain says why).`,
      source: FROM_ELASTICSEARCH,
    },
    {
      alert: "VectorSearchSlow",
      severity: "critical",
      seed: "response time above the threshold (> 5 minutes), for Milvus' vector search (seed 004)",
      expr: `(${SIGNALS.vectorSearchP95}) > ${t.latencyP95Seconds}`,
      threshold: t.latencyP95Seconds,
      for: t.latencyFor,
      summary: `{{ $labels.service }}'s p95 vector search latency is above ${t.latencyP95Seconds}s`,
      description: `The 95th percentile of Milvus' Search requests is {{ $value | humanizeDuration }} (threshold ${t.latencyP95Seconds}s); every knowledge lookup behind the AI services waits on it.`,
      source: FROM_MILVUS,
    },
  ];
}

/** The rules file in Prometheus' format (`promtool check rules` accepts it): one group per severity. */
export function rulesFile(rules: AlertRule[]): string {
  const severities: Severity[] = ["critical", "warning"];
  return stringify(
    {
      groups: severities.map((severity) => ({
        name: `voicehelper-${severity}`,
        rules: rules
          .filter((r) => r.severity === severity)
          .map((r) => ({
            alert: r.alert,
            expr: r.expr,
            for: r.for,
            labels: { severity: r.severity },
            annotations: { summary: r.summary, description: r.description },
          })),
      })),
    },
    { lineWidth: 0 },
  );
}
