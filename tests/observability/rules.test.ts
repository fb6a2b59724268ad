import * as assert from "assert";
import { OBSERVABILITY_DEFAULTS } from "../../components/services/prometheus/defaults";
import { AlertRule, alertRules } from "../../components/services/prometheus/rules";
import { Rendered } from "../harness";
import { configFile, renderOnce } from "./helpers";

/** Seed 003's alert policy: what must exist, at which severity, threshold and duration. */
const SEED_003: { alert: string; severity: string; threshold: number; for: string; op: ">" | "<" | "==" }[] = [
  { alert: "ServiceDown", severity: "critical", threshold: 0, for: "1m", op: "==" },
  { alert: "HighErrorRate", severity: "critical", threshold: 0.05, for: "5m", op: ">" },
  { alert: "ModelRouterHighErrorRate", severity: "critical", threshold: 0.05, for: "5m", op: ">" },
  { alert: "HighLatency", severity: "critical", threshold: OBSERVABILITY_DEFAULTS.thresholds.latencyP95Seconds, for: "5m", op: ">" },
  { alert: "VolumeAlmostFull", severity: "critical", threshold: 0.1, for: "5m", op: "<" },
  { alert: "CPUNearLimit", severity: "warning", threshold: 0.8, for: "5m", op: ">" },
  { alert: "MemoryNearLimit", severity: "warning", threshold: 0.85, for: "5m", op: ">" },
  { alert: "FrequentRestarts", severity: "warning", threshold: 5, for: "0s", op: ">" },
  { alert: "DatabaseConnectionsHigh", severity: "warning", threshold: 0.8, for: "5m", op: ">" },
];

describe("observability: alert rules (seed 003)", () => {
  let r: Rendered;
  let file: any;
  before(async () => {
    r = await renderOnce("dev");
    file = configFile(r, "prometheus-rules", "alerts.yaml");
  });

  for (const want of SEED_003) {
    it(`${want.alert}: ${want.severity}, ${want.op} ${want.threshold} for ${want.for}`, () => {
      const rule = alertRules().find((x) => x.alert === want.alert);
      assert.ok(rule, `no rule ${want.alert}`);
      assert.strictEqual(rule.severity, want.severity);
      assert.strictEqual(rule.threshold, want.threshold);
      assert.strictEqual(rule.for, want.for);
      assert.ok(rule.expr.trimEnd().endsWith(`${want.op} ${want.threshold}`), `expr compares with ${want.op} ${want.threshold}: ${rule.expr}`);
    });
  }

  it("beyond seed 003's alerts: when the disk, CPU and memory alerts are blind, when the seed's backups (WAL archiving, scheduled copies) stop, and before HTTPS breaks", () => {
    assert.deepStrictEqual(
      alertRules()
        .map((x) => x.alert)
        .sort(),
      [
        ...SEED_003.map((x) => x.alert),
        "MetricsSourceDown",
        "WALArchivingFailing",
        "ScheduledJobOverdue",
        "CertificateExpiringSoon",
        "CertificateNotReady",
        "MessageBrokerAlarm",
        "ClickHouseQueryErrors",
        "ObjectStoreNodeOffline",
        "DatabaseSlowTransaction",
        "RedisDown",
        "RedisMemoryNearMax",
        "MessagingSlowConsumers",
        "KafkaConsumerLagHigh",
        "SearchClusterRed",
        "VectorSearchSlow",
      ].sort(),
    );
    const by = (a: string) => alertRules().find((x) => x.alert === a)!;
    assert.strictEqual(by("WALArchivingFailing").severity, "critical");
    // rabbitmq_prometheus' three alarm gauges (docs/metrics-upstream.md), any of them, per node.
    assert.strictEqual(by("MessageBrokerAlarm").expr, '(max by (namespace, service, pod) ({__name__=~"rabbitmq_alarms_(memory_used_watermark|free_disk_space_watermark|file_descriptor_limit)"})) > 0');
    assert.strictEqual(by("MessageBrokerAlarm").for, "1m");
    assert.strictEqual(by("ObjectStoreNodeOffline").expr, "(max by (namespace, service) (minio_cluster_nodes_offline_total)) > 0");
    // ClickHouse's own ProfileEvents counters, failed over all queries, per server.
    assert.match(by("ClickHouseQueryErrors").expr, /rate\(ClickHouseProfileEvents_FailedQuery\[5m\]\)\) \/ sum by \(namespace, service\) \(rate\(ClickHouseProfileEvents_Query\[5m\]\)\)\) > 0\.05$/);
    assert.match(by("WALArchivingFailing").expr, /cnpg_pg_stat_archiver_last_failed_time - cnpg_pg_stat_archiver_last_archived_time/);
    assert.match(by("ScheduledJobOverdue").expr, /kube_cronjob_status_last_successful_time.*kube_cronjob_next_schedule_time - kube_cronjob_status_last_schedule_time.*> 2$/);
    // Seed 004's store metrics (docs/metrics-upstream.md): slow transactions, Redis availability and memory, NATS slow consumers, Milvus search latency.
    assert.strictEqual(by("DatabaseSlowTransaction").expr, "(max by (namespace, service, pod, datname) (cnpg_backends_max_tx_duration_seconds)) > 60");
    assert.strictEqual(by("RedisDown").expr, "redis_up == 0");
    assert.strictEqual(by("RedisDown").for, "1m");
    assert.match(by("RedisMemoryNearMax").expr, /redis_memory_used_bytes.*redis_memory_max_bytes > 0.*redis_instance_info\{maxmemory_policy="noeviction"\}\)\) > 0\.85$/);
    assert.strictEqual(by("MessagingSlowConsumers").expr, "(max by (namespace, service, pod) (delta(gnatsd_varz_slow_consumers[5m]))) > 0");
    // KMinion's lag per group and topic, the highest any broker's sidecar reports, over 1000 records for 10 minutes.
    assert.strictEqual(by("KafkaConsumerLagHigh").expr, "(max by (namespace, service, group_id, topic_name) (kminion_kafka_consumer_group_topic_lag)) > 1000");
    assert.deepStrictEqual([by("KafkaConsumerLagHigh").severity, by("KafkaConsumerLagHigh").for], ["warning", "10m"]);
    assert.match(by("VectorSearchSlow").expr, /milvus_proxy_req_latency_bucket\{function_name="Search"\}.*\/ 1000\) > 2$/);
    assert.strictEqual(by("VectorSearchSlow").severity, by("HighLatency").severity);
    assert.strictEqual(by("SearchClusterRed").expr, '(max by (namespace, service, cluster) (elasticsearch_cluster_health_status{color="red"})) > 0');
    assert.strictEqual(by("SearchClusterRed").for, "1m");
    const blind = alertRules().find((x) => x.alert === "MetricsSourceDown")!;
    assert.strictEqual(blind.expr, 'up{job=~"kubelet|kubelet-cadvisor"} == 0');
    const fed = alertRules()
      .filter((x) => x.source.job === "kubelet" || x.source.job === "kubelet-cadvisor")
      .map((x) => x.alert);
    assert.deepStrictEqual(fed.sort(), ["CPUNearLimit", "MemoryNearLimit", "MetricsSourceDown", "VolumeAlmostFull"]);
  });

  it("service down is `up == 0` on both pod scrape jobs; latency is p95 over *_request_duration_seconds", () => {
    const by = (a: string) => alertRules().find((x) => x.alert === a)!;
    assert.match(by("ServiceDown").expr, /^up\{job=~"kubernetes-pods\|kubernetes-exporters"\} == 0$/);
    assert.match(by("HighLatency").expr, /histogram_quantile\(0\.95, .*_request_duration_seconds_bucket/);
    assert.match(by("HighErrorRate").expr, /http_requests_total\{code=~"5\.\."\}/);
    assert.match(by("ModelRouterHighErrorRate").expr, /model_router_requests_total\{status=~/);
    assert.match(by("VolumeAlmostFull").expr, /kubelet_volume_stats_available_bytes \/ kubelet_volume_stats_capacity_bytes/);
    // CloudNativePG's exporter: backends over the max_connections setting, per instance.
    assert.match(
      by("DatabaseConnectionsHigh").expr,
      /sum by \(namespace, service, pod\) \(cnpg_backends_total\) \/ max by \(namespace, service, pod\) \(cnpg_pg_settings_setting\{name="max_connections"\}\)/,
    );
    assert.match(by("FrequentRestarts").expr, /kube_pod_container_status_restarts_total\[1h\]/);
  });

  it("takes thresholds from its argument, not from literals", () => {
    const custom = alertRules({ ...OBSERVABILITY_DEFAULTS.thresholds, latencyP95Seconds: 0.75, latencyFor: "10m" });
    const latency = custom.find((x) => x.alert === "HighLatency")!;
    assert.strictEqual(latency.threshold, 0.75);
    assert.strictEqual(latency.for, "10m");
    assert.ok(latency.expr.endsWith("> 0.75"));
  });

  it("renders a rules file with the structure promtool expects", () => {
    assert.ok(Array.isArray(file.groups) && file.groups.length > 0, "groups[]");
    const names = new Set<string>();
    for (const g of file.groups) {
      assert.ok(typeof g.name === "string" && !names.has(g.name), `group name unique: ${g.name}`);
      names.add(g.name);
      assert.ok(Array.isArray(g.rules) && g.rules.length > 0);
      for (const rule of g.rules) {
        assert.deepStrictEqual(Object.keys(rule).sort(), ["alert", "annotations", "expr", "for", "labels"]);
        assert.match(rule.for, /^[0-9]+(ms|s|m|h|d|w|y)$/);
        assert.ok(["critical", "warning"].includes(rule.labels.severity));
        assert.ok(rule.annotations.summary && rule.annotations.description);
      }
    }
  });

  it("the rendered file holds exactly the rule data, expression for expression", () => {
    const rendered = file.groups.flatMap((g: any) => g.rules);
    const data: AlertRule[] = alertRules();
    assert.strictEqual(rendered.length, data.length);
    for (const d of data) {
      const x = rendered.find((y: any) => y.alert === d.alert);
      assert.ok(x, `${d.alert} rendered`);
      assert.strictEqual(x.expr, d.expr);
      assert.strictEqual(x.for, d.for);
      assert.strictEqual(x.labels.severity, d.severity);
    }
  });
});
