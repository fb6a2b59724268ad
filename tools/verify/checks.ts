/**
 * What `npm run verify` decides, without any I/O: from the stack's outputs and a snapshot of the
 * cluster (kubectl's JSON), which checks each deployed service gets and whether they pass. The
 * probes that need the network (a request through a Service, a public URL) are planned here and
 * their answers judged here; `cluster.ts` makes them.
 */

export const PART_OF_LABEL = "app.kubernetes.io/part-of";
export const NAME_LABEL = "app.kubernetes.io/name";
const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/** The stack outputs verify reads (`pulumi stack output --json`). */
export interface StackOutputs {
  deployed: string[];
  namespaces: Record<string, string>;
  urls: Record<string, string>;
  posthogHealthUrl: string;
}

/** The subset of Kubernetes objects verify reads, as kubectl prints them. */
export interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: unknown[] };
  spec?: any;
  status?: any;
}

export interface ClusterSnapshot {
  /** Deployments, StatefulSets, DaemonSets, Jobs and CronJobs of the platform's namespaces. */
  workloads: K8sObject[];
  /** Pods of the platform's namespaces (for pods an operator creates without a workload object). */
  pods: K8sObject[];
  services: K8sObject[];
  endpointSlices: K8sObject[];
}

export type CheckKind = "ready" | "job" | "endpoints" | "http" | "posthog" | "route";
export const CHECK_KINDS: readonly CheckKind[] = ["ready", "job", "endpoints", "http", "posthog", "route"];

export type Outcome = "pass" | "fail" | "skip";

export interface CheckResult {
  service: string;
  check: CheckKind;
  outcome: Outcome;
  detail: string;
}

/** A request verify must make: through a Service (in-cluster) or to a URL (public). */
export type Probe = { via: "service"; namespace: string; service: string; port: number; path: string } | { via: "url"; url: string };

export interface PlannedProbe {
  service: string;
  check: Extract<CheckKind, "http" | "posthog" | "route">;
  probe: Probe;
  /** The status codes that pass. */
  accept: (status: number) => boolean;
}

/** The answer to a probe: an HTTP status, or why there was none. */
export type ProbeAnswer = { status: number } | { error: string };

const is2xx = (s: number) => s >= 200 && s < 300;
/** A public route works when the edge answers and the backend does not fail: 2xx-4xx (a login redirect, 401, 404 on `/`). */
const notServerError = (s: number) => s >= 100 && s < 500;

/**
 * How verify finds a service's pods: by the labels on its pod templates (what the program's selectors
 * and NetworkPolicies use), or, for a chart that labels its own way, every workload of its namespace.
 */
export type Locator = { labels: Record<string, string> } | { namespace: string };
export const byName = (service: string): Locator => ({ labels: { [NAME_LABEL]: service } });

/** The pod template's labels of a workload (CronJobs: their Job template's). */
function podLabels(o: K8sObject): Record<string, string> {
  const template = o.kind === "CronJob" ? o.spec?.jobTemplate?.spec?.template : o.kind === "Pod" ? { metadata: o.metadata } : o.spec?.template;
  return template?.metadata?.labels ?? {};
}
function located(o: K8sObject, where: Locator): boolean {
  if ("namespace" in where) return o.metadata.namespace === where.namespace && o.kind !== "Job" && o.kind !== "CronJob" && o.kind !== "Pod";
  const labels = podLabels(o);
  return Object.entries(where.labels).every(([k, v]) => labels[k] === v);
}
const labelled = (o: K8sObject, service: string) => o.metadata.labels?.[NAME_LABEL] === service;
const describe = (o: K8sObject) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;

/** Whether one workload object has all it wants, and why not. */
export function workloadReadiness(o: K8sObject): { ready: boolean; detail: string } {
  const s = o.status ?? {};
  switch (o.kind) {
    case "Deployment":
    case "StatefulSet": {
      const want = o.spec?.replicas ?? 1;
      const ready = s.readyReplicas ?? 0;
      const updated = s.updatedReplicas ?? 0;
      const ok = ready >= want && updated >= want;
      return { ready: ok, detail: `${describe(o)} ${ready}/${want} ready${ok || updated >= want ? "" : `, ${updated}/${want} updated`}` };
    }
    case "DaemonSet": {
      const want = s.desiredNumberScheduled ?? 0;
      const ready = s.numberReady ?? 0;
      const updated = s.updatedNumberScheduled ?? 0;
      const ok = want > 0 && ready >= want && updated >= want;
      return { ready: ok, detail: `${describe(o)} ${ready}/${want} ready` };
    }
    case "Job": {
      const ok = (s.succeeded ?? 0) >= 1;
      return { ready: ok, detail: `${describe(o)} ${ok ? "succeeded" : `not succeeded (${s.failed ?? 0} failed)`}` };
    }
    case "CronJob":
      // A schedule has nothing to be ready; ScheduledJobOverdue alerts when it stops succeeding.
      return { ready: true, detail: `${describe(o)} last success ${s.lastSuccessfulTime ?? "none yet"}` };
    default:
      return { ready: false, detail: `${describe(o)}: unknown kind` };
  }
}

function podReadiness(p: K8sObject): { ready: boolean; detail: string } {
  const ready = (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
  return { ready, detail: `Pod ${p.metadata.namespace}/${p.metadata.name} ${ready ? "ready" : `not ready (${p.status?.phase ?? "unknown"})`}` };
}

/**
 * `ready`: every workload that runs the service's pods has all it wants; where an operator creates
 * the pods directly (CloudNativePG), every running pod is Ready.
 */
function readyCheck(service: string, snapshot: ClusterSnapshot, where: Locator): CheckResult {
  const workloads = snapshot.workloads.filter((w) => located(w, where));
  const pods = workloads.length > 0 ? [] : snapshot.pods.filter((p) => located(p, where) && p.status?.phase !== "Succeeded");
  const states = [...workloads.map(workloadReadiness), ...pods.map(podReadiness)];
  const what =
    "namespace" in where
      ? `workload in ${where.namespace}`
      : `pod template labelled ${Object.entries(where.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(",")}`;
  if (states.length === 0) return { service, check: "ready", outcome: "fail", detail: `no ${what}` };
  const failing = states.filter((s) => !s.ready);
  return failing.length === 0
    ? { service, check: "ready", outcome: "pass", detail: `${workloads.length > 0 ? `${workloads.length} workload(s)` : `${pods.length} pod(s)`} ready` }
    : { service, check: "ready", outcome: "fail", detail: failing.map((s) => s.detail).join("; ") };
}

/** Services of the program labelled with the service; headless ones are for peers, not clients. */
function clientServices(service: string, snapshot: ClusterSnapshot): K8sObject[] {
  return snapshot.services.filter((s) => labelled(s, service) && s.spec?.clusterIP !== "None" && s.spec?.type !== "ExternalName");
}

function readyAddresses(svc: K8sObject, snapshot: ClusterSnapshot): number {
  return snapshot.endpointSlices
    .filter((e) => e.metadata.namespace === svc.metadata.namespace && e.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name)
    .flatMap((e: any) => e.endpoints ?? [])
    .filter((ep: any) => ep.conditions?.ready !== false).length;
}

/** CloudNativePG's `<cluster>-ro` selects replicas only: a one-instance cluster rightly has no address there. */
const replicasOnly = (s: K8sObject) => s.metadata.labels?.["cnpg.io/cluster"] !== undefined && s.metadata.name.endsWith("-ro");

function endpointsCheck(service: string, snapshot: ClusterSnapshot): CheckResult | undefined {
  const services = clientServices(service, snapshot).filter((s) => !replicasOnly(s));
  if (services.length === 0) return undefined;
  const empty = services.filter((s) => readyAddresses(s, snapshot) === 0);
  return empty.length === 0
    ? { service, check: "endpoints", outcome: "pass", detail: services.map((s) => `${s.metadata.name}: ${readyAddresses(s, snapshot)} ready`).join(", ") }
    : { service, check: "endpoints", outcome: "fail", detail: `no ready address behind ${empty.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).join(", ")}` };
}

/**
 * The service's health request as its clients make it: the main container's HTTP readiness path,
 * sent to the Service port that leads to the probed container port.
 */
export function healthProbe(service: string, snapshot: ClusterSnapshot): PlannedProbe | undefined {
  for (const w of snapshot.workloads.filter((x) => located(x, byName(service)) && ["Deployment", "StatefulSet", "DaemonSet"].includes(x.kind))) {
    const container = w.spec?.template?.spec?.containers?.[0];
    const http = container?.readinessProbe?.httpGet;
    if (!http?.path) continue;
    const probedPort = container.ports?.find((p: any) => p.name === http.port || p.containerPort === http.port);
    for (const svc of clientServices(service, snapshot).filter((s) => s.metadata.namespace === w.metadata.namespace)) {
      const port = (svc.spec.ports ?? []).find((p: any) => p.targetPort === http.port || (probedPort && (p.targetPort === probedPort.name || p.targetPort === probedPort.containerPort)));
      if (port) return { service, check: "http", probe: { via: "service", namespace: svc.metadata.namespace!, service: svc.metadata.name, port: port.port, path: http.path }, accept: is2xx };
    }
  }
  return undefined;
}

/** An in-cluster URL (`http://<svc>.<ns>.svc[.cluster.local]:<port>/path`) as a request through that Service. */
export function probeFor(url: string): Probe {
  const u = new URL(url);
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(u.hostname);
  if (!m) return { via: "url", url };
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  return { via: "service", namespace: m[2], service: m[1], port, path: `${u.pathname}${u.search}` };
}

/** Every check of the stack: the ones decided from the snapshot, and the probes still to make. */
export function plan(outputs: StackOutputs, snapshot: ClusterSnapshot, locators: Readonly<Record<string, Locator>> = {}): { results: CheckResult[]; probes: PlannedProbe[] } {
  const results: CheckResult[] = [];
  const probes: PlannedProbe[] = [];
  for (const service of outputs.deployed) {
    results.push(readyCheck(service, snapshot, locators[service] ?? byName(service)));
    const endpoints = endpointsCheck(service, snapshot);
    if (endpoints) results.push(endpoints);
    const health = healthProbe(service, snapshot);
    if (health) probes.push(health);
  }
  // The program's own Jobs (bootstrap: users, schemas, buckets); a CronJob's runs are its schedule's business.
  for (const job of snapshot.workloads.filter((w) => w.kind === "Job" && w.metadata.labels?.[PART_OF_LABEL] && !w.metadata.ownerReferences?.length)) {
    const state = workloadReadiness(job);
    results.push({ service: job.metadata.labels?.[NAME_LABEL] ?? job.metadata.name, check: "job", outcome: state.ready ? "pass" : "fail", detail: state.detail });
  }
  if (outputs.posthogHealthUrl) probes.push({ service: "posthog", check: "posthog", probe: probeFor(outputs.posthogHealthUrl), accept: is2xx });
  for (const [service, url] of Object.entries(outputs.urls)) probes.push({ service, check: "route", probe: { via: "url", url }, accept: notServerError });
  return { results, probes };
}

export function judge(p: PlannedProbe, answer: ProbeAnswer): CheckResult {
  const target = p.probe.via === "url" ? p.probe.url : `service/${p.probe.service}:${p.probe.port}${p.probe.path} in ${p.probe.namespace}`;
  if ("error" in answer) return { service: p.service, check: p.check, outcome: "fail", detail: `${target}: ${answer.error}` };
  return { service: p.service, check: p.check, outcome: p.accept(answer.status) ? "pass" : "fail", detail: `${target}: HTTP ${answer.status}` };
}

export function skipped(p: PlannedProbe, why: string): CheckResult {
  return { service: p.service, check: p.check, outcome: "skip", detail: why };
}

/** 0: every check that ran passed; 1: at least one failed. Skips never count as passes or failures. */
export function exitCode(results: readonly CheckResult[]): 0 | 1 {
  return results.some((r) => r.outcome === "fail") ? 1 : 0;
}

/** A plain-text table, one row per check, failures first within each service's rows kept in order. */
export function table(results: readonly CheckResult[]): string {
  const rows = [["SERVICE", "CHECK", "RESULT", "DETAIL"], ...results.map((r) => [r.service, r.check, r.outcome.toUpperCase(), r.detail])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => [...row.slice(0, 3).map((c, i) => c.padEnd(widths[i])), row[3]].join("  ").trimEnd());
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  return `${lines.join("\n")}\n\n${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped\n`;
}
