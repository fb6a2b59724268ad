/**
 * The dashboards Grafana provisions: one per layer the stack deploys, each plotting seed 003's list
 * for its services, and no panel reading a series nothing exports: every metric a panel names is in
 * the alert fixtures (series as the exporters report them) or in docs/metrics-upstream.md (the
 * upstream source of each name). promtool parses every panel's query (tests/tools/promtool.test.ts).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CATALOG, ServiceName } from "../../components/config/catalog";
import { platformDashboard } from "../../components/services/grafana/dashboard";
import { DASHBOARD_LAYERS, layerDashboards } from "../../components/services/grafana/layer-dashboards";
import { ALERT_FIXTURES } from "../tools/alert-fixtures";
import { alertRules } from "../../components/services/prometheus/rules";
import { Rendered } from "../harness";
import { configFile, configText, renderOnce } from "./helpers";

/** Every panel query of every dashboard of a rendered stack, with its dashboard and title. */
export function panelQueries(r: Rendered): { dashboard: string; title: string; expr: string }[] {
  const data = r.object("kubernetes:core/v1:ConfigMap", "grafana-dashboards", "voicehelper-monitoring").inputs.data as Record<string, string>;
  return Object.entries(data).flatMap(([file, text]) => JSON.parse(text).panels.flatMap((p: any) => p.targets.map((t: any) => ({ dashboard: file, title: p.title, expr: t.expr as string }))));
}

const FUNCTIONS = new Set(["sum", "max", "min", "count", "avg", "rate", "increase", "delta", "histogram_quantile", "label_replace", "time", "or", "and", "unless", "on", "by", "without", "group"]);

/** The metric names a PromQL expression reads, and the `__name__` regexes it selects by. */
export function metricsOf(expr: string): { names: string[]; patterns: RegExp[] } {
  const patterns = [...expr.matchAll(/__name__=~"([^"]+)"/g)].map((m) => new RegExp(`^(?:${m[1]})$`));
  const bare = expr
    .replace(/\{[^}]*\}/g, " ")
    .replace(/"[^"]*"/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|on|without)\s*\([^)]*\)/g, " ");
  const names = [...bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)].filter((m) => !FUNCTIONS.has(m[0]) && !/^\s*\(/.test(bare.slice(m.index! + m[0].length))).map((m) => m[0]);
  return { names: [...new Set(names)], patterns };
}

/** Metric names something is known to export: the fixtures' series and docs/metrics-upstream.md's backticked names. */
function knownMetrics(): Set<string> {
  const fromFixtures = Object.values(ALERT_FIXTURES).flatMap((f) => f.series.map((s) => s.series.split("{")[0]));
  const doc = fs.readFileSync(path.join(__dirname, "../../docs/metrics-upstream.md"), "utf8");
  const fromDoc = [...doc.matchAll(/`([A-Za-z_:][A-Za-z0-9_:]*)(?:\{[^`]*\})?`/g)].map((m) => m[1]);
  return new Set([...fromFixtures, ...fromDoc]);
}

describe("observability: dashboards", () => {
  let r: Rendered;
  before(async () => {
    r = await renderOnce("dev");
  });

  it("Grafana gets the platform overview and one dashboard per deployed layer", () => {
    const files = Object.keys(r.object("kubernetes:core/v1:ConfigMap", "grafana-dashboards", "voicehelper-monitoring").inputs.data).sort();
    const layers = DASHBOARD_LAYERS.filter((l) => r.config.services.some((s: ServiceName) => CATALOG[s].layer === l));
    assert.deepEqual(files, ["platform.json", ...layers.map((l) => `${l}.json`)].sort());
    assert.ok(layers.includes("apps") && layers.includes("ai") && layers.includes("storage") && layers.includes("messaging"));
  });

  it("monitoring-only gets the dashboards of what it deploys, not of the apps", async () => {
    const m = await renderOnce("dev", { deployMode: "monitoring-only" });
    const files = Object.keys(m.object("kubernetes:core/v1:ConfigMap", "grafana-dashboards", "voicehelper-monitoring").inputs.data).sort();
    assert.ok(files.includes("observability.json") && !files.includes("apps.json") && !files.includes("ai.json"), files.join(", "));
  });

  for (const layer of ["apps", "ai", "storage", "messaging"] as const) {
    it(`${layer}: seed 003's plots for the layer's services (QPS, errors, p50/p95/p99, CPU, memory, disk I/O, network, restarts)`, () => {
      const d = configFile(r, "grafana-dashboards", `${layer}.json`);
      const titles = d.panels.map((p: any) => p.title);
      for (const want of [
        "Requests per second (QPS)",
        "Error rate (5xx share)",
        "p50 latency",
        "p95 latency",
        "p99 latency",
        "CPU used / limit",
        "Memory used / limit",
        "Disk read",
        "Disk written",
        "Network received",
        "Network sent",
        "Container restarts (last hour)",
      ]) {
        assert.ok(titles.includes(want), `${layer} has no "${want}" panel`);
      }
      const services = r.config.services.filter((s: ServiceName) => CATALOG[s].layer === layer);
      const qps = d.panels.find((p: any) => p.title === "Requests per second (QPS)").targets[0].expr;
      for (const s of services) assert.ok(qps.includes(s), `${layer}'s QPS covers ${s}`);
      const other = r.config.services.find((s: ServiceName) => CATALOG[s].layer !== layer && !services.some((mine: string) => s.startsWith(mine)));
      assert.ok(!new RegExp(`\\b${other}\\b`).test(qps), `${layer}'s QPS does not cover ${other} of another layer`);
    });
  }

  it("AI services: BGE, FAISS, ASR (speech), TTS and LLM latencies, the Model Router's A/B exposures and PostHog event delivery", () => {
    const titles = configFile(r, "grafana-dashboards", "ai.json").panels.map((p: any) => p.title);
    for (const s of ["bge-service", "faiss-service", "speech-service", "tts-service", "llm-proxy", "model-router"]) assert.ok(titles.includes(`${s} latency (p50, p95, p99)`), s);
    assert.ok(titles.includes("Model Router A/B exposures per second"));
    assert.ok(titles.includes("PostHog events sent per second"));
    assert.ok(configFile(r, "grafana-dashboards", "apps.json").panels.some((p: any) => p.title === "End-to-end latency at the gateway (p50, p95, p99)"));
  });

  it("stores (seed 004): PostgreSQL connections, QPS and slow transactions, Redis hit ratio and memory, Milvus search latency, ClickHouse, MinIO", () => {
    const titles = configFile(r, "grafana-dashboards", "storage.json")
      .panels.map((p: any) => p.title)
      .join("\n");
    for (const want of [
      /PostgreSQL connections/,
      /PostgreSQL transactions per second/,
      /longest open transaction/,
      /Redis hit ratio/,
      /Redis memory/,
      /Milvus p95 vector search/,
      /ClickHouse failed queries/,
      /ClickHouse mean query time/,
      /MinIO nodes offline/,
      /Volume free/,
    ])
      assert.match(titles, want);
    const messaging = configFile(r, "grafana-dashboards", "messaging.json").panels;
    assert.match(messaging.map((p: any) => p.title).join("\n"), /NATS slow consumers/);
    // Kafka's backlog (seed 004): the series KafkaConsumerLagHigh compares, with its threshold drawn.
    const lag = messaging.find((p: any) => /Kafka consumer lag/.test(p.title));
    assert.ok(lag, "the messaging dashboard plots Kafka consumer lag");
    assert.equal(
      lag.targets[0].expr,
      alertRules()
        .find((a) => a.alert === "KafkaConsumerLagHigh")!
        .expr.replace(/^\((.*)\) > \d+$/, "$1"),
    );
  });

  it("no panel reads a metric nothing exports (every name is in the fixtures or docs/metrics-upstream.md)", () => {
    const known = knownMetrics();
    const queries = panelQueries(r);
    assert.ok(queries.length > 80, `${queries.length} panel queries`);
    for (const q of queries) {
      const { names, patterns } = metricsOf(q.expr);
      for (const n of names) assert.ok(known.has(n), `${q.dashboard} "${q.title}" reads ${n}, which no fixture or upstream note names`);
      for (const p of patterns)
        assert.ok(
          [...known].some((n) => p.test(n)),
          `${q.dashboard} "${q.title}" selects ${p}, which matches no known series`,
        );
    }
  });

  it("the metric extractor sees through label matchers, grouping and functions (and would catch an unknown name)", () => {
    assert.deepEqual(metricsOf('sum by (namespace, pod) (rate(foo_total{pod=~"a-.+"}[5m])) / max by (le) (bar_bytes > 0)').names, ["foo_total", "bar_bytes"]);
    assert.ok(!knownMetrics().has("foo_total"));
    assert.equal(metricsOf('histogram_quantile(0.5, sum by (le) (rate({__name__=~".+_request_duration_seconds_bucket", service=~"x"}[5m])))').patterns.length, 1);
  });

  it("docs/operations.md lists every dashboard Grafana gets, and its exporter port-forwards reach ports those pods have", async () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../docs/operations.md"), "utf8");
    const full = await renderOnce("prod", { posthog: { mode: "self-hosted" } });
    const data = full.object("kubernetes:core/v1:ConfigMap", "grafana-dashboards", "voicehelper-monitoring").inputs.data as Record<string, string>;
    const uids = Object.values(data).map((text) => JSON.parse(text).uid as string);
    const documented = [...doc.matchAll(/\| `(voicehelper-[a-z-]+)` \|/g)].map((m) => m[1]);
    assert.deepEqual([...documented].sort(), [...uids].sort());
    const forwards = [...doc.matchAll(/kubectl -n (\S+) port-forward pod\/(\S+)-\d+ (\d+):(\d+)/g)];
    assert.ok(forwards.length >= 2);
    for (const [, ns, sts, , port] of forwards) {
      const ports = full.object("kubernetes:apps/v1:StatefulSet", sts, ns).inputs.spec.template.spec.containers.flatMap((c: any) => c.ports.map((p: any) => p.containerPort));
      assert.ok(ports.includes(Number(port)), `${ns}/${sts} has no port ${port}`);
    }
  });

  it("layer dashboards are built from the catalog: a layer with nothing deployed gets none", () => {
    assert.deepEqual(Object.keys(layerDashboards(["redis"], "prometheus")), ["storage.json"]);
    assert.ok(JSON.stringify(platformDashboard("prometheus")).length > 0);
    assert.ok(configText(r, "grafana-dashboards", "storage.json").includes('"uid": "voicehelper-storage"'));
  });
});
