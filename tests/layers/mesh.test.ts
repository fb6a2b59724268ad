import { strict as assert } from "assert";
import { NAMESPACES, PLATFORM_NAMESPACES } from "../../components/config/catalog";
import { CHARTS } from "../../components/config/images";
import { Rendered, render } from "../harness";

const charts = (r: Rendered) =>
  r
    .ofType("kubernetes:helm.sh/v4:Chart")
    .filter((c) => c.inputs.namespace === NAMESPACES.istio)
    .map((c) => c.inputs.chart)
    .sort();
const nsLabels = (r: Rendered, name: string) => r.object("kubernetes:core/v1:Namespace", name).inputs.metadata.labels;

describe("mesh: Istio ambient", () => {
  let staging: Rendered;
  before(async () => {
    staging = await render("staging");
  });

  it("installs base, istiod (ambient profile), the CNI agent and ztunnel from pinned charts", () => {
    assert.deepEqual(charts(staging), ["base", "cni", "istiod", "ztunnel"]);
    for (const c of staging.ofType("kubernetes:helm.sh/v4:Chart").filter((x) => x.inputs.namespace === NAMESPACES.istio)) {
      const pinned = Object.values(CHARTS).find((x) => x.chart === c.inputs.chart)!;
      assert.equal(c.inputs.version, pinned.version);
      assert.equal(c.inputs.namespace, NAMESPACES.istio);
    }
    const istiod = staging.ofType("kubernetes:helm.sh/v4:Chart").find((c) => c.inputs.chart === "istiod")!;
    assert.equal(istiod.inputs.values.profile, "ambient");
    assert.deepEqual(istiod.inputs.values.pilot.resources, {
      requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "64Mi" },
      limits: { cpu: "1", memory: "2Gi", "ephemeral-storage": "1536Mi" },
    });
  });

  it("enrols every platform namespace and enforces STRICT mTLS in each", () => {
    const used = staging
      .ofType("kubernetes:core/v1:Namespace")
      .map((n) => n.inputs.metadata.name)
      .filter((n) => PLATFORM_NAMESPACES.map((r) => NAMESPACES[r] as string).includes(n));
    assert.ok(used.length >= 3);
    const strict = staging.ofType("kubernetes:security.istio.io/v1:PeerAuthentication");
    assert.deepEqual(strict.map((p) => p.inputs.metadata.namespace).sort(), [...used].sort());
    for (const p of strict) assert.equal(p.inputs.spec.mtls.mode, "STRICT");
    for (const n of used) {
      assert.equal(nsLabels(staging, n)["istio.io/dataplane-mode"], "ambient");
      if (n !== NAMESPACES.monitoring)
        assert.equal(nsLabels(staging, n)["pod-security.kubernetes.io/enforce"], "restricted", "ambient keeps application namespaces restricted (monitoring relaxes for Fluentd alone)");
    }
  });

  it("only istio-system runs privileged, and says why", () => {
    const ns = staging.object("kubernetes:core/v1:Namespace", NAMESPACES.istio).inputs.metadata;
    assert.equal(ns.labels["pod-security.kubernetes.io/enforce"], "privileged");
    assert.match(JSON.parse(ns.annotations["voicehelper.io/policy-exceptions"])["namespace-pod-security"], /ztunnel/);
  });

  it("mesh off keeps istiod for the Gateway API edge, without ambient or mTLS policy", async () => {
    const dev = await render("dev");
    assert.deepEqual(charts(dev), ["base", "istiod"]);
    assert.equal(dev.ofType("kubernetes:security.istio.io/v1:PeerAuthentication").length, 0);
    assert.equal(nsLabels(dev, NAMESPACES.apps)["istio.io/dataplane-mode"], undefined);
    assert.equal(nsLabels(dev, NAMESPACES.istio)["pod-security.kubernetes.io/enforce"], "restricted");
  });

  it("no charts when they are switched off; the mTLS policy still applies to an installed Istio", async () => {
    const r = await render("staging", { externalCharts: false });
    assert.deepEqual(charts(r), []);
    assert.ok(r.ofType("kubernetes:security.istio.io/v1:PeerAuthentication").length >= 3);
  });
});

describe("mesh: NetworkPolicies in the ambient mesh", () => {
  it("every allowed pod-to-pod path also allows HBONE (15008), and the kubelet's probes are admitted", async () => {
    const staging = await render("staging");
    const policy = (name: string) => staging.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", name).inputs.spec;
    assert.deepEqual(
      policy("redis-from-gateway").ingress[0].ports.map((p: any) => p.port),
      [6379, 15008],
    );
    const toRedis = policy("gateway-egress").egress.find((e: any) => e.to?.[0]?.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "redis");
    assert.deepEqual(
      toRedis.ports.map((p: any) => p.port),
      [6379, 15008],
    );
    assert.deepEqual(policy("gateway-from-kubelet-probes").ingress, [{ from: [{ ipBlock: { cidr: "169.254.7.127/32" } }] }]);
  });

  it("without the mesh, no HBONE port and no probe admission", async () => {
    const dev = await render("dev");
    const ports = dev.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "redis-from-gateway").inputs.spec.ingress[0].ports.map((p: any) => p.port);
    assert.deepEqual(ports, [6379]);
    assert.ok(!dev.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").some((p) => p.inputs.metadata.name.endsWith("-from-kubelet-probes")));
  });
});
