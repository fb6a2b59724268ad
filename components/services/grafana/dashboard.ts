/**
 * The platform dashboard as code: request rate, error rate, p50/p95/p99 latency, pod restarts,
 * CPU/memory against limits, network and disk I/O, the Model Router's A/B exposures and PostHog
 * event delivery, per service. Its queries are the alert rules' signals (rules.ts), so what a panel
 * shows is what an alert fires on; its threshold lines are the rules' thresholds.
 */
import { CATALOG, SERVICE_NAMES } from "../../config/catalog";
import { AlertThresholds, OBSERVABILITY_DEFAULTS } from "../prometheus/defaults";
import { SIGNALS } from "../prometheus/rules";

/** The uid Grafana files the dashboard under (stable, so links to it survive re-provisioning). */
export const PLATFORM_DASHBOARD_UID = "voicehelper-platform";

export interface PanelSpec {
  title: string;
  expr: string;
  legend: string;
  unit: string;
  /** A red line at the alert threshold. */
  threshold?: number;
}

export function timeseries(p: PanelSpec, i: number, datasourceUid: string): Record<string, unknown> {
  const width = 12;
  const height = 8;
  return {
    id: i + 1,
    type: "timeseries",
    title: p.title,
    gridPos: { x: (i % 2) * width, y: Math.floor(i / 2) * height, w: width, h: height },
    datasource: { type: "prometheus", uid: datasourceUid },
    targets: [{ refId: "A", datasource: { type: "prometheus", uid: datasourceUid }, expr: p.expr, legendFormat: p.legend }],
    fieldConfig: {
      defaults: {
        unit: p.unit,
        ...(p.threshold === undefined
          ? {}
          : {
              custom: { thresholdsStyle: { mode: "line" } },
              thresholds: {
                mode: "absolute",
                steps: [
                  { color: "green", value: null },
                  { color: "red", value: p.threshold },
                ],
              },
            }),
      },
      overrides: [],
    },
    options: { legend: { displayMode: "table", placement: "bottom", calcs: ["lastNotNull", "max"] }, tooltip: { mode: "multi" } },
  };
}

/** A quantile of every service's `*_request_duration_seconds` histograms, as the p95 signal computes it. */
const latencyQuantile = (q: number) => SIGNALS.latencyP95.replace("histogram_quantile(0.95,", `histogram_quantile(${q},`);
/** The AI services (BGE, FAISS, ASR, TTS, LLM proxy, Model Router), from the catalog. */
const AI_SERVICES = SERVICE_NAMES.filter((s) => CATALOG[s].layer === "ai");
/** p95 of the AI services alone; the gateway's is what a user waits for end to end. */
const DURATION_BUCKETS = '{__name__=~".+_request_duration_seconds_bucket"}';
/** The p95 signal narrowed to some services (a matcher on the `service` label). */
const latencyP95Of = (serviceMatcher: string) => SIGNALS.latencyP95.replace(DURATION_BUCKETS, `${DURATION_BUCKETS.slice(0, -1)}, ${serviceMatcher}}`);
const aiLatencyP95 = latencyP95Of(`service=~"${AI_SERVICES.join("|")}"`);
const endToEndP95 = latencyP95Of('service="gateway"');
/** Per pod, from cAdvisor's pod-level series (the kubelet's cadvisor job keeps the platform namespaces). */
const perPodRate = (metric: string) => `sum by (namespace, pod) (rate(${metric}[5m]))`;

/**
 * Seed 003's remaining plots without an alert of their own: latency percentiles, network and disk I/O,
 * and seed 001's Model Router series (A/B exposures, PostHog event delivery).
 */
const SEED_PLOTS: PanelSpec[] = [
  { title: "p50 latency", expr: latencyQuantile(0.5), legend: "{{namespace}}/{{service}}", unit: "s" },
  { title: "p99 latency", expr: latencyQuantile(0.99), legend: "{{namespace}}/{{service}}", unit: "s" },
  { title: "AI services p95 latency (BGE, FAISS, ASR, TTS, LLM)", expr: aiLatencyP95, legend: "{{service}}", unit: "s" },
  { title: "End-to-end p95 latency (gateway)", expr: endToEndP95, legend: "{{namespace}}/{{service}}", unit: "s" },
  { title: "Network received", expr: perPodRate("container_network_receive_bytes_total"), legend: "{{namespace}}/{{pod}}", unit: "Bps" },
  { title: "Network sent", expr: perPodRate("container_network_transmit_bytes_total"), legend: "{{namespace}}/{{pod}}", unit: "Bps" },
  { title: "Disk read", expr: perPodRate("container_fs_reads_bytes_total"), legend: "{{namespace}}/{{pod}}", unit: "Bps" },
  { title: "Disk written", expr: perPodRate("container_fs_writes_bytes_total"), legend: "{{namespace}}/{{pod}}", unit: "Bps" },
  // Milvus' proxy histogram is in milliseconds (docs/metrics-upstream.md).
  {
    title: "Milvus p95 request latency",
    expr: "histogram_quantile(0.95, sum by (namespace, service, function_name, le) (rate(milvus_proxy_req_latency_bucket[5m]))) / 1000",
    legend: "{{namespace}}/{{function_name}}",
    unit: "s",
  },
  { title: "Model Router A/B exposures", expr: "sum by (namespace, service) (rate(model_router_ab_test_exposures_total[5m]))", legend: "{{namespace}}/{{service}}", unit: "ops" },
  { title: "PostHog events sent", expr: "sum by (namespace, service) (rate(posthog_events_sent_total[5m]))", legend: "{{namespace}}/{{service}}", unit: "ops" },
];

/** The dashboard JSON model Grafana's file provisioning loads. */
export function platformDashboard(datasourceUid: string, t: AlertThresholds = OBSERVABILITY_DEFAULTS.thresholds): Record<string, unknown> {
  const panels: PanelSpec[] = [
    { title: "Request rate", expr: SIGNALS.requestRate, legend: "{{namespace}}/{{service}}", unit: "reqps" },
    { title: "Error rate (5xx share)", expr: SIGNALS.errorRatio, legend: "{{namespace}}/{{service}}", unit: "percentunit", threshold: t.errorRatio },
    { title: "p95 latency", expr: SIGNALS.latencyP95, legend: "{{namespace}}/{{service}}", unit: "s", threshold: t.latencyP95Seconds },
    { title: "Container restarts (last hour)", expr: SIGNALS.restartsLastHour, legend: "{{namespace}}/{{pod}}/{{container}}", unit: "short", threshold: t.restartsPerHour },
    { title: "CPU used / limit", expr: SIGNALS.cpuOfLimit, legend: "{{namespace}}/{{pod}}/{{container}}", unit: "percentunit", threshold: t.cpuOfLimit },
    { title: "Memory used / limit", expr: SIGNALS.memoryOfLimit, legend: "{{namespace}}/{{pod}}/{{container}}", unit: "percentunit", threshold: t.memoryOfLimit },
    { title: "Volume free", expr: SIGNALS.volumeFree, legend: "{{namespace}}/{{persistentvolumeclaim}}", unit: "percentunit", threshold: t.diskFreeRatio },
    { title: "PostgreSQL connections / max_connections", expr: SIGNALS.dbConnectionRatio, legend: "{{namespace}}/{{pod}}", unit: "percentunit", threshold: t.dbConnectionRatio },
    { title: "RabbitMQ resource alarms", expr: SIGNALS.brokerAlarm, legend: "{{namespace}}/{{pod}}", unit: "short", threshold: 1 },
    { title: "ClickHouse failed queries", expr: SIGNALS.clickhouseFailedQueryRatio, legend: "{{namespace}}/{{service}}", unit: "percentunit", threshold: t.errorRatio },
    { title: "MinIO nodes offline", expr: SIGNALS.objectStoreNodesOffline, legend: "{{namespace}}/{{service}}", unit: "short", threshold: 1 },
    ...SEED_PLOTS,
  ];
  return {
    uid: PLATFORM_DASHBOARD_UID,
    title: "VoiceHelper platform",
    tags: ["voicehelper"],
    timezone: "browser",
    editable: false,
    refresh: "30s",
    schemaVersion: 41,
    time: { from: "now-6h", to: "now" },
    panels: panels.map((p, i) => timeseries(p, i, datasourceUid)),
  };
}
