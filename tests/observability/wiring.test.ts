import * as assert from "assert";
import { Rendered } from "../harness";
import { renderOnce } from "./helpers";

const APPS = "voicehelper";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("observability: metrics wiring", () => {
  let full: Rendered;
  let minimal: Rendered;
  before(async () => {
    full = await renderOnce("dev");
    minimal = await renderOnce("dev", { deployMode: "minimal" });
  });

  it("with Prometheus deployed, the gateway's metrics port admits Prometheus' pods, and only that port", () => {
    assert.ok(full.outputs.deployed.includes("prometheus"));
    const prometheus = full.object("kubernetes:apps/v1:StatefulSet", "prometheus", "voicehelper-monitoring").inputs;
    const gateway = full.object("kubernetes:apps/v1:Deployment", "gateway", APPS).inputs;
    const ports = gateway.spec.template.spec.containers[0].ports;
    const metricsPort = ports.find((p: any) => p.name === "metrics").containerPort;
    assert.strictEqual(gateway.spec.template.metadata.annotations["prometheus.io/port"], String(metricsPort));

    const policy = full.object(POLICY, "gateway-from-metrics", APPS).inputs.spec;
    assert.deepStrictEqual(policy.podSelector.matchLabels, gateway.spec.selector.matchLabels);
    assert.deepStrictEqual(policy.policyTypes, ["Ingress"]);
    assert.strictEqual(policy.ingress.length, 1);
    assert.deepStrictEqual(policy.ingress[0].from, [
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "voicehelper-monitoring" } },
        podSelector: { matchLabels: prometheus.spec.selector.matchLabels },
      },
    ]);
    assert.deepStrictEqual(policy.ingress[0].ports, [{ protocol: "TCP", port: metricsPort }]);
    assert.ok(!policy.ingress[0].ports.some((p: any) => p.port === ports.find((x: any) => x.name === "http").containerPort));
  });

  it("Prometheus itself may leave for the gateway's pods (its egress reaches the apps namespace)", () => {
    const egress = full.object(POLICY, "prometheus-egress", "voicehelper-monitoring").inputs.spec.egress;
    assert.ok(egress.some((e: any) => e.ports === undefined && e.to.some((t: any) => t.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] === APPS)));
  });

  it("without Prometheus, no workload admits a scraper", () => {
    assert.ok(!minimal.outputs.deployed.includes("prometheus"));
    assert.ok(minimal.outputs.deployed.includes("gateway"));
    assert.deepStrictEqual(
      minimal
        .ofType(POLICY)
        .filter((p) => p.inputs.metadata.name.endsWith("-from-metrics"))
        .map((p) => p.inputs.metadata.name),
      [],
    );
  });
});
