/**
 * Series for `promtool test rules`: for every alert, what its exporter reports about one unhealthy and
 * one healthy object, named and labelled as the scrape job that collects them leaves them (target
 * labels namespace/pod/service on the pod jobs; the exporter's own labels on the exporters job; node on
 * the kubelet jobs). Each alert must fire for the unhealthy object only, with the labels Alertmanager
 * groups by.
 */

export interface AlertFixture {
  /** promtool input series: `metric{labels}` and its values, one per minute. */
  series: { series: string; values: string }[];
  /** Labels of each alert that must be firing at EVAL_TIME (alertname and severity are added). */
  firing: Record<string, string>[];
}

/** When the alerts are checked: long enough for every `for` and the 1 h restart window. */
export const EVAL_TIME = "70m";
const SAMPLES = 80;

const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;
const constant = (v: number) => `${v}x${SAMPLES}`;
/** A counter growing by `perMinute` every minute. */
const counter = (perMinute: number) => `0+${perMinute}x${SAMPLES}`;

const podTarget = (namespace: string, pod: string, service: string, job = "kubernetes-pods") => ({ job, instance: `${pod}:9090`, namespace, pod, service });
const cadvisor = (pod: string, container: string) => ({
  job: "kubelet-cadvisor",
  instance: "10.0.0.1:10250",
  node: "node-1",
  namespace: "voicehelper",
  pod,
  container,
  image: `${container}:1.0.0`,
  id: `/kubepods/${pod}/${container}`,
});

/** kube-state-metrics' target labels; its own namespace label wins (honor_labels) on the series it exports. */
const KSM_TARGET = podTarget("voicehelper-monitoring", "kube-state-metrics-6f5d-klmno", "kube-state-metrics", "kubernetes-exporters");
/** A certificate as cert-manager's controller reports it, scraped by the exporters job (its namespace label wins). */
const certificate = (name: string) => ({
  ...podTarget("cert-manager", "cert-manager-7b9c-pqrst", "cert-manager", "kubernetes-exporters"),
  namespace: "voicehelper",
  name,
  issuer_name: "letsencrypt",
  issuer_kind: "ClusterIssuer",
  issuer_group: "cert-manager.io",
});
const BAD = podTarget("voicehelper", "gateway-5d8f7-abcde", "gateway");
const GOOD = podTarget("voicehelper", "frontend-7c9b4-fghij", "frontend");

export const ALERT_FIXTURES: Record<string, AlertFixture> = {
  ServiceDown: {
    series: [
      { series: `up${labels(BAD)}`, values: `1 1 0x${SAMPLES}` },
      { series: `up${labels(podTarget("voicehelper-monitoring", "kube-state-metrics-6f5d-klmno", "kube-state-metrics", "kubernetes-exporters"))}`, values: `1 1 0x${SAMPLES}` },
      { series: `up${labels(GOOD)}`, values: constant(1) },
    ],
    firing: [BAD, podTarget("voicehelper-monitoring", "kube-state-metrics-6f5d-klmno", "kube-state-metrics", "kubernetes-exporters")],
  },
  HighErrorRate: {
    series: [
      { series: `http_requests_total${labels({ ...BAD, code: "500", method: "POST" })}`, values: counter(10) },
      { series: `http_requests_total${labels({ ...BAD, code: "200", method: "POST" })}`, values: counter(90) },
      { series: `http_requests_total${labels({ ...GOOD, code: "500", method: "GET" })}`, values: counter(1) },
      { series: `http_requests_total${labels({ ...GOOD, code: "200", method: "GET" })}`, values: counter(99) },
    ],
    firing: [{ namespace: BAD.namespace, service: BAD.service }],
  },
  ModelRouterHighErrorRate: {
    series: [
      { series: `model_router_requests_total${labels({ ...podTarget("voicehelper", "model-router-0", "model-router"), status: "error", model: "gpt-4o" })}`, values: counter(20) },
      { series: `model_router_requests_total${labels({ ...podTarget("voicehelper", "model-router-0", "model-router"), status: "success", model: "gpt-4o" })}`, values: counter(80) },
    ],
    firing: [{ namespace: "voicehelper", service: "model-router" }],
  },
  HighLatency: {
    series: [
      // 10% of requests within 0.5 s, the rest between 1 s and 5 s: p95 is about 4.8 s.
      ...[
        ["0.5", 10],
        ["1", 10],
        ["5", 100],
        ["+Inf", 100],
      ].map(([le, n]) => ({ series: `http_request_duration_seconds_bucket${labels({ ...BAD, le: String(le) })}`, values: counter(Number(n)) })),
      ...[
        ["0.5", 99],
        ["1", 100],
        ["5", 100],
        ["+Inf", 100],
      ].map(([le, n]) => ({ series: `http_request_duration_seconds_bucket${labels({ ...GOOD, le: String(le) })}`, values: counter(Number(n)) })),
    ],
    firing: [{ namespace: BAD.namespace, service: BAD.service }],
  },
  VolumeAlmostFull: {
    series: [
      ...(["data-redis-0", "data-minio-0"] as const).flatMap((claim) => {
        const l = { job: "kubelet", instance: "10.0.0.1:10250", node: "node-1", namespace: "voicehelper-storage", persistentvolumeclaim: claim };
        return [
          { series: `kubelet_volume_stats_available_bytes${labels(l)}`, values: constant(claim === "data-redis-0" ? 5 : 50) },
          { series: `kubelet_volume_stats_capacity_bytes${labels(l)}`, values: constant(100) },
        ];
      }),
    ],
    firing: [{ job: "kubelet", instance: "10.0.0.1:10250", node: "node-1", namespace: "voicehelper-storage", persistentvolumeclaim: "data-redis-0", service: "redis" }],
  },
  MetricsSourceDown: {
    series: [
      { series: `up${labels({ job: "kubelet-cadvisor", instance: "10.0.0.2:10250", node: "node-2" })}`, values: constant(0) },
      { series: `up${labels({ job: "kubelet", instance: "10.0.0.1:10250", node: "node-1" })}`, values: constant(1) },
    ],
    firing: [{ job: "kubelet-cadvisor", instance: "10.0.0.2:10250", node: "node-2" }],
  },
  CPUNearLimit: {
    series: [
      // 0.9 and 0.3 of a one-core limit.
      { series: `container_cpu_usage_seconds_total${labels(cadvisor("gateway-5d8f7-abcde", "gateway"))}`, values: counter(54) },
      { series: `container_cpu_usage_seconds_total${labels(cadvisor("frontend-7c9b4-fghij", "frontend"))}`, values: counter(18) },
      ...["gateway-5d8f7-abcde:gateway", "frontend-7c9b4-fghij:frontend"].flatMap((pc) => {
        const [pod, container] = pc.split(":");
        return [
          { series: `container_spec_cpu_quota${labels(cadvisor(pod, container))}`, values: constant(100000) },
          { series: `container_spec_cpu_period${labels(cadvisor(pod, container))}`, values: constant(100000) },
        ];
      }),
    ],
    firing: [{ namespace: "voicehelper", pod: "gateway-5d8f7-abcde", container: "gateway", service: "gateway" }],
  },
  MemoryNearLimit: {
    series: [
      { series: `container_memory_working_set_bytes${labels(cadvisor("gateway-5d8f7-abcde", "gateway"))}`, values: constant(900) },
      { series: `container_spec_memory_limit_bytes${labels(cadvisor("gateway-5d8f7-abcde", "gateway"))}`, values: constant(1000) },
      { series: `container_memory_working_set_bytes${labels(cadvisor("frontend-7c9b4-fghij", "frontend"))}`, values: constant(500) },
      { series: `container_spec_memory_limit_bytes${labels(cadvisor("frontend-7c9b4-fghij", "frontend"))}`, values: constant(1000) },
      // A container without a limit reports 0: it must not divide into an alert.
      { series: `container_memory_working_set_bytes${labels(cadvisor("backup-29001-xyz", "backup"))}`, values: constant(900) },
      { series: `container_spec_memory_limit_bytes${labels(cadvisor("backup-29001-xyz", "backup"))}`, values: constant(0) },
    ],
    firing: [{ namespace: "voicehelper", pod: "gateway-5d8f7-abcde", container: "gateway", service: "gateway" }],
  },
  FrequentRestarts: {
    series: [
      // kube-state-metrics' own labels survive (honor_labels); its target label service is replaced by the container.
      ...[
        ["voice-service-0", "voice-service", 1],
        ["frontend-7c9b4-fghij", "frontend", 0],
      ].map(([pod, container, perMinute]) => ({
        series: `kube_pod_container_status_restarts_total${labels({ ...podTarget("voicehelper-monitoring", "kube-state-metrics-6f5d-klmno", "kube-state-metrics", "kubernetes-exporters"), namespace: "voicehelper", pod: String(pod), container: String(container), uid: `uid-${pod}` })}`,
        values: counter(Number(perMinute)),
      })),
    ],
    firing: [
      {
        job: "kubernetes-exporters",
        instance: "kube-state-metrics-6f5d-klmno:9090",
        namespace: "voicehelper",
        pod: "voice-service-0",
        container: "voice-service",
        uid: "uid-voice-service-0",
        service: "voice-service",
      },
    ],
  },
  WALArchivingFailing: {
    series: [
      // Timestamps in seconds; a replica archives nothing and reports -1 for both.
      ...[
        ["postgresql-1", 3000, 2000],
        ["postgresql-2", -1, -1],
        ["postgresql-3", 1000, 2000],
      ].flatMap(([pod, failed, archived]) => {
        const target = podTarget("voicehelper-storage", String(pod), "postgresql");
        return [
          { series: `cnpg_pg_stat_archiver_last_failed_time${labels(target)}`, values: constant(Number(failed)) },
          { series: `cnpg_pg_stat_archiver_last_archived_time${labels(target)}`, values: constant(Number(archived)) },
        ];
      }),
    ],
    firing: [podTarget("voicehelper-storage", "postgresql-1", "postgresql")],
  },
  ScheduledJobOverdue: {
    // Every 10 minutes, last scheduled at 60 min; the alerts are checked at 70 min (4200 s).
    series: [
      ["redis-backup", 600],
      ["minio-mirror", 3600],
      ["faiss-service-backup", 0],
    ].flatMap(([cronjob, lastSuccess]) => {
      const l = { ...KSM_TARGET, namespace: "voicehelper-storage", cronjob: String(cronjob) };
      return [
        { series: `kube_cronjob_status_last_successful_time${labels(l)}`, values: constant(Number(lastSuccess)) },
        { series: `kube_cronjob_created${labels(l)}`, values: constant(0) },
        { series: `kube_cronjob_status_last_schedule_time${labels(l)}`, values: constant(3600) },
        { series: `kube_cronjob_next_schedule_time${labels(l)}`, values: constant(4200) },
      ];
    }),
    // redis-backup last succeeded 6 intervals ago; faiss-service-backup never did, 7 intervals after its creation.
    firing: ["redis-backup", "faiss-service-backup"].map((cronjob) => ({ ...KSM_TARGET, namespace: "voicehelper-storage", cronjob, service: cronjob })),
  },
  CertificateExpiringSoon: {
    // Checked at 4200 s: "public" expires 10 days later (renewal stuck), "internal" in 60.
    series: [
      ["public", 10],
      ["internal", 60],
    ].map(([name, days]) => ({ series: `certmanager_certificate_expiration_timestamp_seconds${labels(certificate(String(name)))}`, values: constant(4200 + Number(days) * 86400) })),
    firing: [{ ...certificate("public"), service: "public" }],
  },
  CertificateNotReady: {
    series: [
      { series: `certmanager_certificate_ready_status${labels({ ...certificate("public"), condition: "False" })}`, values: constant(1) },
      { series: `certmanager_certificate_ready_status${labels({ ...certificate("public"), condition: "True" })}`, values: constant(0) },
      { series: `certmanager_certificate_ready_status${labels({ ...certificate("internal"), condition: "False" })}`, values: constant(0) },
      { series: `certmanager_certificate_ready_status${labels({ ...certificate("internal"), condition: "True" })}`, values: constant(1) },
    ],
    firing: [{ ...certificate("public"), condition: "False", service: "public" }],
  },
  DatabaseConnectionsHigh: {
    series: [
      ...[
        ["postgresql-1", 150, 100],
        ["postgresql-2", 20, 10],
      ].flatMap(([pod, idle, active]) => {
        const target = podTarget("voicehelper-storage", String(pod), "postgresql");
        return [
          { series: `cnpg_backends_total${labels({ ...target, datname: "identity", usename: "identity", application_name: "gateway", state: "idle" })}`, values: constant(Number(idle)) },
          { series: `cnpg_backends_total${labels({ ...target, datname: "knowledge", usename: "knowledge", application_name: "algo", state: "active" })}`, values: constant(Number(active)) },
          { series: `cnpg_pg_settings_setting${labels({ ...target, name: "max_connections" })}`, values: constant(300) },
          { series: `cnpg_pg_settings_setting${labels({ ...target, name: "work_mem" })}`, values: constant(4096) },
        ];
      }),
    ],
    firing: [{ namespace: "voicehelper-storage", pod: "postgresql-1", service: "postgresql" }],
  },
  MessageBrokerAlarm: {
    series: [
      // rabbitmq_prometheus reports each alarm as 0 or 1 on every node; rabbitmq-0's memory alarm is raised.
      ...(["memory_used_watermark", "free_disk_space_watermark", "file_descriptor_limit"] as const).flatMap((alarm) =>
        (["rabbitmq-0", "rabbitmq-1"] as const).map((pod) => ({
          series: `rabbitmq_alarms_${alarm}${labels(podTarget("voicehelper-storage", pod, "rabbitmq"))}`,
          values: constant(pod === "rabbitmq-0" && alarm === "memory_used_watermark" ? 1 : 0),
        })),
      ),
    ],
    firing: [{ namespace: "voicehelper-storage", service: "rabbitmq", pod: "rabbitmq-0" }],
  },
  ClickHouseQueryErrors: {
    series: [
      // 10 of 100 queries a minute fail on the platform's ClickHouse, 1 of 100 on PostHog's.
      { series: `ClickHouseProfileEvents_Query${labels(podTarget("voicehelper-storage", "clickhouse-0", "clickhouse"))}`, values: counter(100) },
      { series: `ClickHouseProfileEvents_FailedQuery${labels(podTarget("voicehelper-storage", "clickhouse-0", "clickhouse"))}`, values: counter(10) },
      { series: `ClickHouseProfileEvents_Query${labels(podTarget("voicehelper-posthog", "posthog-clickhouse-0", "posthog-clickhouse"))}`, values: counter(100) },
      { series: `ClickHouseProfileEvents_FailedQuery${labels(podTarget("voicehelper-posthog", "posthog-clickhouse-0", "posthog-clickhouse"))}`, values: counter(1) },
    ],
    firing: [{ namespace: "voicehelper-storage", service: "clickhouse" }],
  },
  ObjectStoreNodeOffline: {
    series: [
      // A 4-node MinIO: minio-3 is down; the other three (each serving the cluster endpoint) report it.
      ...(["minio-0", "minio-1", "minio-2"] as const).map((pod) => ({
        series: `minio_cluster_nodes_offline_total${labels(podTarget("voicehelper-storage", pod, "minio"))}`,
        values: `0 0 1x${SAMPLES}`,
      })),
      { series: `minio_cluster_nodes_offline_total${labels(podTarget("voicehelper-posthog", "minio-0", "minio"))}`, values: constant(0) },
    ],
    firing: [{ namespace: "voicehelper-storage", service: "minio" }],
  },
  DatabaseSlowTransaction: {
    series: [
      // CloudNativePG's backends query: one row per database, user, application and state; 0 where no transaction is open.
      ...(
        [
          ["postgresql-1", "knowledge", "active", 300],
          ["postgresql-1", "knowledge", "idle", 0],
          ["postgresql-2", "identity", "active", 2],
          ["postgresql-2", "identity", "idle in transaction", 20],
        ] as const
      ).map(([pod, datname, state, seconds]) => ({
        series: `cnpg_backends_max_tx_duration_seconds${labels({ ...podTarget("voicehelper-storage", pod, "postgresql"), datname, usename: datname, application_name: "algo-service", state })}`,
        values: constant(seconds),
      })),
    ],
    firing: [{ namespace: "voicehelper-storage", service: "postgresql", pod: "postgresql-1", datname: "knowledge" }],
  },
  RedisDown: {
    series: [
      // The exporter answers its scrape (up = 1) and reports that its Redis does not (redis_up = 0).
      { series: `redis_up${labels(podTarget("voicehelper-storage", "redis-0", "redis"))}`, values: `1 1 0x${SAMPLES}` },
      { series: `redis_up${labels(podTarget("voicehelper-storage", "redis-1", "redis"))}`, values: constant(1) },
    ],
    firing: [podTarget("voicehelper-storage", "redis-0", "redis")],
  },
  RedisMemoryNearMax: {
    series: [
      // PostHog's Redis (noeviction) at 90% of maxmemory fires; the platform's cache (allkeys-lru) at 95% evicts as designed.
      ...(
        [
          ["voicehelper-posthog", "posthog-redis-0", "posthog-redis", "noeviction", 90],
          ["voicehelper-storage", "redis-0", "redis", "allkeys-lru", 95],
        ] as const
      ).flatMap(([namespace, pod, service, policy, used]) => {
        const target = podTarget(namespace, pod, service);
        return [
          { series: `redis_memory_used_bytes${labels(target)}`, values: constant(used) },
          { series: `redis_memory_max_bytes${labels(target)}`, values: constant(100) },
          { series: `redis_instance_info${labels({ ...target, role: "master", redis_version: "8.2.2", redis_mode: "standalone", maxmemory_policy: policy })}`, values: constant(1) },
        ];
      }),
    ],
    firing: [{ namespace: "voicehelper-posthog", service: "posthog-redis", pod: "posthog-redis-0" }],
  },
  MessagingSlowConsumers: {
    series: [
      // varz' slow_consumers is a running count: nats-0 starts cutting clients off after an hour, nats-1's count stays where it was.
      { series: `gnatsd_varz_slow_consumers${labels({ ...podTarget("voicehelper-storage", "nats-0", "nats"), server_id: "http://127.0.0.1:8222" })}`, values: `0x62 1+1x17` },
      { series: `gnatsd_varz_slow_consumers${labels({ ...podTarget("voicehelper-storage", "nats-1", "nats"), server_id: "http://127.0.0.1:8222" })}`, values: constant(3) },
    ],
    firing: [{ namespace: "voicehelper-storage", service: "nats", pod: "nats-0" }],
  },
  KafkaConsumerLagHigh: {
    series: [
      // KMinion beside each broker reports the whole cluster's groups (granularity "topic"): the same lag twice, under each broker's pod.
      ...(["kafka-0", "kafka-1"] as const).flatMap((pod) => [
        // voice-service's group stops reading: its lag grows by 100 records a minute from minute 40.
        {
          series: `kminion_kafka_consumer_group_topic_lag${labels({ ...podTarget("voicehelper-storage", pod, "kafka"), group_id: "voice-service", topic_name: "voice-events" })}`,
          values: `0x40 100+100x${SAMPLES - 41}`,
        },
        // algo-service keeps up, a steady few hundred behind.
        {
          series: `kminion_kafka_consumer_group_topic_lag${labels({ ...podTarget("voicehelper-storage", pod, "kafka"), group_id: "algo-service", topic_name: "voice-events" })}`,
          values: constant(400),
        },
      ]),
      // PostHog's ingestion falls 5000 behind for 5 minutes and catches up: a burst, not a backlog.
      {
        series: `kminion_kafka_consumer_group_topic_lag${labels({ ...podTarget("voicehelper-posthog", "posthog-kafka-0", "posthog-kafka"), group_id: "ingestion", topic_name: "events_plugin_ingestion" })}`,
        values: `0x60 5000x5 0x${SAMPLES - 66}`,
      },
    ],
    firing: [{ namespace: "voicehelper-storage", service: "kafka", group_id: "voice-service", topic_name: "voice-events" }],
  },
  SearchClusterRed: {
    series: [
      // Every node's exporter reports its cluster's health, one series per color; the platform's cluster is red, another is yellow.
      ...(["elasticsearch-0", "elasticsearch-1", "elasticsearch-2"] as const).flatMap((pod) =>
        (["green", "yellow", "red"] as const).map((color) => ({
          series: `elasticsearch_cluster_health_status${labels({ ...podTarget("voicehelper-storage", pod, "elasticsearch"), cluster: "voicehelper", color })}`,
          values: color === "red" ? `0 0 1x${SAMPLES}` : constant(0),
        })),
      ),
      ...(["green", "yellow", "red"] as const).map((color) => ({
        series: `elasticsearch_cluster_health_status${labels({ ...podTarget("voicehelper-staging-storage", "elasticsearch-0", "elasticsearch"), cluster: "voicehelper", color })}`,
        values: constant(color === "yellow" ? 1 : 0),
      })),
    ],
    firing: [{ namespace: "voicehelper-storage", service: "elasticsearch", cluster: "voicehelper" }],
  },
  VectorSearchSlow: {
    series: [
      // Milliseconds. Searches take 1-5 s in one Milvus (p95 about 4.8 s); in the other only loading a collection is slow.
      ...[
        ["100", 10],
        ["1000", 10],
        ["5000", 100],
        ["+Inf", 100],
      ].map(([le, n]) => ({
        series: `milvus_proxy_req_latency_bucket${labels({ ...podTarget("voicehelper-storage", "milvus-0", "milvus"), node_id: "1", function_name: "Search", le: String(le) })}`,
        values: counter(Number(n)),
      })),
      ...[
        ["100", 99],
        ["1000", 100],
        ["5000", 100],
        ["+Inf", 100],
      ].map(([le, n]) => ({
        series: `milvus_proxy_req_latency_bucket${labels({ ...podTarget("voicehelper-staging-storage", "milvus-0", "milvus"), node_id: "1", function_name: "Search", le: String(le) })}`,
        values: counter(Number(n)),
      })),
      ...[
        ["100", 0],
        ["1000", 0],
        ["5000", 0],
        ["+Inf", 10],
      ].map(([le, n]) => ({
        series: `milvus_proxy_req_latency_bucket${labels({ ...podTarget("voicehelper-staging-storage", "milvus-0", "milvus"), node_id: "1", function_name: "LoadCollection", le: String(le) })}`,
        values: counter(Number(n)),
      })),
    ],
    firing: [{ namespace: "voicehelper-storage", service: "milvus" }],
  },
};
