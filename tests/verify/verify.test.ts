/**
 * `npm run verify` offline: its decisions on a cluster made of the dev stack's rendered objects (as
 * the API server would return them, with a status) plus recorded kubectl JSON for what operators and
 * charts create, healthy and then broken in the ways an operator meets after `pulumi up`.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CheckResult, ClusterSnapshot, K8sObject, PlannedProbe, ProbeAnswer, StackOutputs, exitCode, judge, plan, probeFor, skipped, table } from "../../tools/verify/checks";
import { locators } from "../../tools/verify/locators";
import { parseArgs } from "../../tools/verify/main";
import { Rendered, render } from "../harness";

const FIXTURES = path.join(__dirname, "fixtures");
const recorded = (file: string): K8sObject[] => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")).items;

const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

/** The rendered objects as a healthy cluster reports them. */
function healthyCluster(r: Rendered): ClusterSnapshot {
  const objects = r.kubernetes().map((res) => ({ ...res.inputs, kind: res.inputs.kind ?? res.type.split(":").pop() }) as K8sObject);
  const workloads = objects
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((o) => {
      const replicas = o.spec?.replicas ?? 1;
      const status =
        o.kind === "Job"
          ? { succeeded: 1 }
          : o.kind === "CronJob"
            ? { lastSuccessfulTime: "2026-12-01T03:00:00Z" }
            : o.kind === "DaemonSet"
              ? { desiredNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2 }
              : { replicas, readyReplicas: replicas, updatedReplicas: replicas };
      return { ...o, status };
    });
  const services = objects.filter((o) => o.kind === "Service");
  const endpointSlices = services.map((s) => ({
    kind: "EndpointSlice",
    metadata: { name: `${s.metadata.name}-abcde`, namespace: s.metadata.namespace, labels: { "kubernetes.io/service-name": s.metadata.name } },
    addressType: "IPv4",
    endpoints: [{ addresses: ["10.244.0.10"], conditions: { ready: true, serving: true, terminating: false } }],
  })) as K8sObject[];
  return { workloads: [...workloads, ...recorded("operator-workloads.json")], pods: recorded("operator-pods.json"), services, endpointSlices };
}

const outputsOf = (r: Rendered): StackOutputs => ({ deployed: r.outputs.deployed, namespaces: r.outputs.namespaces, urls: r.outputs.urls, posthogHealthUrl: r.outputs.posthogHealthUrl });

/** Runs verify's decisions with canned probe answers. */
function decide(outputs: StackOutputs, cluster: ClusterSnapshot, answer: (p: PlannedProbe) => ProbeAnswer = () => ({ status: 200 })): CheckResult[] {
  const { results, probes } = plan(outputs, cluster, locators());
  return [...results, ...probes.map((p) => judge(p, answer(p)))];
}
const failures = (results: CheckResult[]) => results.filter((r) => r.outcome === "fail");
const row = (results: CheckResult[], service: string, check: string) => results.find((r) => r.service === service && r.check === check);

describe("npm run verify (offline)", () => {
  let r: Rendered;
  let outputs: StackOutputs;
  before(async () => {
    r = await render("dev");
    outputs = outputsOf(r);
  });

  it("reports every deployed service, and a healthy cluster passes with exit code 0", () => {
    const results = decide(outputs, healthyCluster(r));
    assert.deepEqual(failures(results), []);
    for (const service of outputs.deployed) assert.ok(row(results, service, "ready")?.outcome === "pass", `no passing ready row for ${service}`);
    assert.equal(exitCode(results), 0);
    const printed = table(results);
    for (const service of outputs.deployed) assert.match(printed, new RegExp(`^${service} `, "m"));
    assert.match(printed, /\d+ passed, 0 failed, 0 skipped/);
  });

  it("requests every in-house service's /health through its Service's http port", () => {
    const { probes } = plan(outputs, healthyCluster(r), locators());
    for (const service of ["gateway", "bge-service", "model-router", "frontend"]) {
      const p = probes.find((x) => x.service === service && x.check === "http");
      assert.deepEqual(p?.probe, { via: "service", namespace: "voicehelper", service, port: 8080, path: "/health" }, `${service}'s health request`);
    }
    // Third-party services are asked on their own readiness path, e.g. Grafana.
    const grafana = probes.find((x) => x.service === "grafana" && x.check === "http");
    assert.equal(grafana?.probe.via, "service");
    assert.equal((grafana?.probe as any).port, 3000);
  });

  it("checks PostHog's health URL and every public route", () => {
    const { probes } = plan(outputs, healthyCluster(r), locators());
    assert.deepEqual(probes.find((p) => p.check === "posthog")?.probe, { via: "url", url: outputs.posthogHealthUrl });
    const routes = probes.filter((p) => p.check === "route").map((p) => (p.probe as any).url);
    assert.deepEqual(routes.sort(), Object.values(outputs.urls).sort());
    assert.ok(routes.length > 0 && routes.every((u) => u.startsWith("https://")));
  });

  it("fails a Deployment with fewer ready replicas than desired, naming it", () => {
    const cluster = healthyCluster(r);
    const gw = cluster.workloads.find((w) => w.kind === "Deployment" && w.metadata.name === "gateway")!;
    gw.status = { ...gw.status, readyReplicas: 0 };
    const results = decide(outputs, cluster);
    assert.equal(row(results, "gateway", "ready")?.outcome, "fail");
    assert.match(row(results, "gateway", "ready")!.detail, /Deployment voicehelper\/gateway 0\/\d+ ready/);
    assert.equal(exitCode(results), 1);
  });

  it("fails a deployed service that has no workload in the cluster", () => {
    const cluster = healthyCluster(r);
    cluster.workloads = cluster.workloads.filter((w) => w.metadata.name !== "redis");
    assert.equal(row(decide(outputs, cluster), "redis", "ready")?.outcome, "fail");
  });

  it("fails a Service with no ready address", () => {
    const cluster = healthyCluster(r);
    for (const e of cluster.endpointSlices.filter((s) => s.metadata.labels?.["kubernetes.io/service-name"] === "redis")) (e as any).endpoints[0].conditions.ready = false;
    const results = decide(outputs, cluster);
    assert.equal(row(results, "redis", "endpoints")?.outcome, "fail");
    assert.equal(exitCode(results), 1);
  });

  it("passes a one-instance PostgreSQL whose replicas-only Service is empty, fails an empty primary Service (seen live)", () => {
    const cluster = healthyCluster(r);
    const labels = { "app.kubernetes.io/name": "postgresql", "cnpg.io/cluster": "postgresql" };
    const svc = (name: string) => ({ kind: "Service", metadata: { name, namespace: "voicehelper-storage", labels }, spec: { clusterIP: "10.96.0.20", ports: [{ port: 5432 }] } }) as K8sObject;
    const slice = (name: string, ready: boolean) =>
      ({
        kind: "EndpointSlice",
        metadata: { name: `${name}-x`, namespace: "voicehelper-storage", labels: { "kubernetes.io/service-name": name } },
        endpoints: ready ? [{ addresses: ["10.88.0.9"], conditions: { ready: true } }] : [],
      }) as K8sObject;
    cluster.services.push(svc("postgresql-rw"), svc("postgresql-ro"));
    cluster.endpointSlices.push(slice("postgresql-rw", true), slice("postgresql-ro", false));
    assert.equal(row(decide(outputs, cluster), "postgresql", "endpoints")?.outcome, "pass");
    (cluster.endpointSlices.find((e) => e.metadata.name === "postgresql-rw-x") as any).endpoints = [];
    assert.equal(row(decide(outputs, cluster), "postgresql", "endpoints")?.outcome, "fail");
  });

  it("does not list operators a stack without remote charts leaves to other means (seen live: verify failed the operator)", async () => {
    const offline = await render("dev", { externalCharts: false });
    assert.ok(!offline.outputs.deployed.includes("cnpg-operator"));
    assert.ok(offline.outputs.deployed.includes("postgresql"));
    assert.ok(outputs.deployed.includes("cnpg-operator"), "with remote charts the stack installs it");
  });

  it("reports each of the program's Jobs, and fails one that did not succeed", () => {
    const cluster = healthyCluster(r);
    const users = cluster.workloads.find((w) => w.kind === "Job" && w.metadata.name === "rabbitmq-users")!;
    assert.equal(row(decide(outputs, cluster), "rabbitmq-users", "job")?.outcome, "pass");
    users.status = { failed: 6 };
    const results = decide(outputs, cluster);
    assert.equal(row(results, "rabbitmq-users", "job")?.outcome, "fail");
    assert.match(row(results, "rabbitmq-users", "job")!.detail, /not succeeded \(6 failed\)/);
  });

  it("judges PostgreSQL by its pods (CloudNativePG creates no workload object); a completed init pod does not count", () => {
    const cluster = healthyCluster(r);
    assert.equal(row(decide(outputs, cluster), "postgresql", "ready")?.detail, "1 pod(s) ready");
    (cluster.pods[0].status as any).conditions = [{ type: "Ready", status: "False" }];
    assert.equal(row(decide(outputs, cluster), "postgresql", "ready")?.outcome, "fail");
  });

  it("judges chart-installed services by their namespace's workloads", () => {
    const cluster = healthyCluster(r);
    cluster.workloads.find((w) => w.metadata.name === "ztunnel")!.status.numberReady = 1;
    const results = decide(outputs, cluster);
    for (const s of outputs.deployed.filter((x) => ["istiod", "ztunnel", "istio-cni"].includes(x))) assert.equal(row(results, s, "ready")?.outcome, "fail");
    assert.equal(row(results, "cert-manager", "ready")?.outcome, outputs.deployed.includes("cert-manager") ? "pass" : undefined);
  });

  it("fails a health request that answers 503 or not at all; a route answering 404 passes, 502 fails", () => {
    const results = decide(outputs, healthyCluster(r), (p) => {
      if (p.service === "llm-proxy") return { status: 503 };
      if (p.service === "tts-service") return { error: "connect ECONNREFUSED" };
      if (p.check === "route") return { status: p.service === "grafana" ? 502 : 404 };
      return { status: 200 };
    });
    assert.equal(row(results, "llm-proxy", "http")?.outcome, "fail");
    assert.match(row(results, "llm-proxy", "http")!.detail, /HTTP 503/);
    assert.equal(row(results, "tts-service", "http")?.outcome, "fail");
    assert.equal(row(results, "grafana", "route")?.outcome, "fail");
    assert.equal(row(results, "frontend", "route")?.outcome, "pass");
  });

  it("lists skipped checks without counting them as passes", () => {
    const { results, probes } = plan(outputs, healthyCluster(r), locators());
    const all = [...results, ...probes.map((p) => (p.check === "route" ? skipped(p, "skipped (--skip route)") : judge(p, { status: 200 })))];
    assert.equal(exitCode(all), 0);
    assert.match(table(all), new RegExp(`, ${probes.filter((p) => p.check === "route").length} skipped`));
  });
});

describe("verify's arguments and in-cluster URLs", () => {
  it("needs --stack and refuses unknown flags and unskippable checks, naming what is allowed", () => {
    assert.throws(() => parseArgs([]), /--stack is required/);
    assert.throws(() => parseArgs(["--stack", "dev", "--fast"]), /unknown argument "--fast"/);
    assert.throws(() => parseArgs(["--stack", "dev", "constructor", "x"]), /unknown argument "constructor"/);
    assert.throws(() => parseArgs(["--stack", "dev", "--skip", "ready"]), /"ready" cannot be skipped; allowed: http, posthog, route/);
    assert.throws(() => parseArgs(["--stack"]), /--stack needs a value/);
    assert.deepEqual(parseArgs(["--stack", "prod", "--context", "c", "--skip", "http,route", "--insecure-tls"]), { stack: "prod", context: "c", skip: ["http", "route"], insecureTls: true });
  });

  it("sends an in-cluster URL (self-hosted PostHog) through its Service, a public one directly", () => {
    assert.deepEqual(probeFor("http://posthog-web.voicehelper-posthog.svc.cluster.local:8000/_health"), {
      via: "service",
      namespace: "voicehelper-posthog",
      service: "posthog-web",
      port: 8000,
      path: "/_health",
    });
    assert.deepEqual(probeFor("https://us.i.posthog.com/_health"), { via: "url", url: "https://us.i.posthog.com/_health" });
  });
});
