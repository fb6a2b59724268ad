/**
 * Containers that charts and operators create (cert-manager and its ACME solver pods, the CloudNativePG
 * operator and its PostgreSQL and PgBouncer pods, istiod, the Istio CNI agent, ztunnel) bound their
 * node-local disk like every container the kit builds: the policy pack's ephemeral-storage rule holds
 * for what the program cannot see at preview time too.
 */
import { strict as assert } from "assert";
import { CHART_EPHEMERAL_STORAGE } from "../../components/kit/chart-resources";
import { EPHEMERAL_STORAGE } from "../../components/kit/size";
import { memoryBytes } from "../../components/kit/quantity";
import { Rendered, render } from "../harness";

/** Where each pinned chart takes its containers' resources (read in each chart at its pinned version: docs/images.md). */
const CHART_RESOURCE_VALUES: Record<string, string[]> = {
  "cloudnative-pg": ["resources"],
  base: [],
  istiod: ["pilot.resources"],
  cni: ["resources"],
  ztunnel: ["resources"],
};
const CERT_MANAGER_RESOURCE_VALUES = ["resources", "webhook.resources", "cainjector.resources"];

const at = (obj: any, dotted: string) => dotted.split(".").reduce((o, k) => o?.[k], obj);

function assertBounded(where: string, resources: any, expected: { request: string; limit: string } = CHART_EPHEMERAL_STORAGE): void {
  assert.ok(resources, `${where}: no resources`);
  assert.equal(resources.requests?.["ephemeral-storage"], expected.request, `${where}: ephemeral-storage request`);
  assert.equal(resources.limits?.["ephemeral-storage"], expected.limit, `${where}: ephemeral-storage limit`);
}

describe("charts and operators: every container they create bounds its ephemeral storage", () => {
  let staging: Rendered;
  let ingress: Rendered;
  before(async () => {
    staging = await render("staging");
    ingress = await render("staging", { edge: { mode: "ingress", ingressClassName: "nginx", controllerNamespace: "ingress-nginx" } });
  });

  it("each Helm chart's containers, through the chart's own resource values", () => {
    const charts = staging.ofType("kubernetes:helm.sh/v4:Chart");
    assert.deepEqual(charts.map((c) => c.inputs.chart).sort(), ["base", "cloudnative-pg", "cni", "istiod", "ztunnel"]);
    for (const c of charts) {
      const paths = CHART_RESOURCE_VALUES[c.inputs.chart];
      assert.ok(paths, `chart ${c.inputs.chart}: say where its containers take their resources`);
      for (const p of paths) assertBounded(`${c.inputs.chart} ${p}`, at(c.inputs.values, p));
    }
  });

  it("keeps the tier's CPU and memory next to the ephemeral storage", () => {
    const istiod = staging.ofType("kubernetes:helm.sh/v4:Chart").find((c) => c.inputs.chart === "istiod")!;
    const size = staging.config.sizes.istiod.resources;
    assert.deepEqual(istiod.inputs.values.pilot.resources, {
      requests: { ...size.requests, "ephemeral-storage": CHART_EPHEMERAL_STORAGE.request },
      limits: { ...size.limits, "ephemeral-storage": CHART_EPHEMERAL_STORAGE.limit },
    });
  });

  it("cert-manager's controller, webhook and cainjector", () => {
    const [cm] = staging.ofType("kubernetes-cert-manager:index:CertManager");
    for (const p of CERT_MANAGER_RESOURCE_VALUES) assertBounded(`cert-manager ${p}`, at(cm.inputs, p));
  });

  it("cert-manager's ACME HTTP-01 solver pods, through the issuer's pod template, on a Gateway and on an Ingress", () => {
    for (const [r, solver] of [
      [staging, "gatewayHTTPRoute"],
      [ingress, "ingress"],
    ] as const) {
      const [issuer] = r.ofType("kubernetes:cert-manager.io/v1:ClusterIssuer");
      const http01 = issuer.inputs.spec.acme.solvers[0].http01;
      // Only ephemeral storage: the controller's flags keep setting the solver's CPU and memory.
      assert.deepEqual(http01[solver].podTemplate.spec.resources, {
        requests: { "ephemeral-storage": EPHEMERAL_STORAGE.container.request },
        limits: { "ephemeral-storage": EPHEMERAL_STORAGE.container.limit },
      });
    }
  });

  it("CloudNativePG's PostgreSQL instances and PgBouncer poolers", () => {
    const clusters = staging.ofType("kubernetes:postgresql.cnpg.io/v1:Cluster");
    const poolers = staging.ofType("kubernetes:postgresql.cnpg.io/v1:Pooler");
    assert.ok(clusters.length > 0 && poolers.length > 0);
    for (const c of clusters) assertBounded(`Cluster ${c.inputs.metadata.name}`, c.inputs.spec.resources);
    for (const p of poolers) for (const ctr of p.inputs.spec.template.spec.containers) assertBounded(`Pooler ${p.inputs.metadata.name} ${ctr.name}`, ctr.resources);
  });

  it("leaves a chart's container room for one uncapped scratch directory above the kit's own share", () => {
    assert.equal(memoryBytes(CHART_EPHEMERAL_STORAGE.limit), memoryBytes(EPHEMERAL_STORAGE.container.limit) + memoryBytes(EPHEMERAL_STORAGE.scratch));
  });
});
