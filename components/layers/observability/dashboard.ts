/**
 * The platform dashboard as code: request rate, error rate, p95 latency, pod restarts and CPU/memory
 * against limits, per service. Its queries are the alert rules' signals (rules.ts), so what a panel
 * shows is what an alert fires on; its threshold lines are the rules' thresholds.
 */
import { AlertThresholds, OBSERVABILITY_DEFAULTS } from "./defaults";
import { SIGNALS } from "./rules";

/** The uid Grafana files the dashboard under (stable, so links to it survive re-provisioning). */
export const PLATFORM_DASHBOARD_UID = "voicehelper-platform";

interface PanelSpec {
  title: string;
  expr: string;
  legend: string;
  unit: string;
  /** A red line at the alert threshold. */
  threshold?: number;
}

function timeseries(p: PanelSpec, i: number, datasourceUid: string): Record<string, unknown> {
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
              thresholds: { mode: "absolute", steps: [{ color: "green", value: null }, { color: "red", value: p.threshold }] },
            }),
      },
      overrides: [],
    },
    options: { legend: { displayMode: "table", placement: "bottom", calcs: ["lastNotNull", "max"] }, tooltip: { mode: "multi" } },
  };
}

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
