import { strict as assert } from "assert";
import { NAMESPACES } from "../../components/config/catalog";
import { Rendered, render } from "../harness";

const deployment = (r: Rendered) => r.object("kubernetes:apps/v1:Deployment", "gateway", NAMESPACES.apps);

describe("gateway", () => {
  it("runs the in-house image from config, never latest", async () => {
    const r = await render("dev", { services: ["gateway"], images: { registry: "registry.example.com/vh", tag: "2.3.1" } });
    assert.equal(deployment(r).inputs.spec.template.spec.containers[0].image, "registry.example.com/vh/gateway:2.3.1");
    assert.equal(deployment(r).inputs.metadata.labels["app.kubernetes.io/version"], "2.3.1");
  });

  it("is autoscaled 2-10 on CPU 70% / memory 80% from the recommended tier up (seed 003), fixed at 1 in minimal", async () => {
    const dev = await render("dev");
    assert.equal(deployment(dev).inputs.spec.replicas, 1);
    assert.equal(dev.ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").length, 0);
    for (const stack of ["staging", "prod"]) {
      const r = await render(stack);
      assert.equal(deployment(r).inputs.spec.replicas, undefined, "the HPA owns the replica count");
      const hpa = r.object("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "gateway").inputs.spec;
      assert.deepEqual([hpa.minReplicas, hpa.maxReplicas], [2, 10]);
      assert.deepEqual(
        hpa.metrics.map((m: any) => m.resource.target.averageUtilization),
        [70, 80],
      );
      assert.ok(r.object("kubernetes:policy/v1:PodDisruptionBudget", "gateway"));
    }
  });

  it("reaches Redis with a password copied into its own namespace, and Redis admits it on 6379 only (+ HBONE in the mesh)", async () => {
    const r = await render("prod");
    const c = deployment(r).inputs.spec.template.spec.containers[0];
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e]));
    assert.equal(env.REDIS_MODE.value, "cluster");
    assert.equal(env.REDIS_ADDRS.value.split(",").length, 6);
    const ref = env.REDIS_PASSWORD.valueFrom.secretKeyRef;
    const copy = r.object("kubernetes:core/v1:Secret", ref.name, NAMESPACES.apps);
    const original = r.object("kubernetes:core/v1:Secret", ref.name, NAMESPACES.storage);
    assert.equal(copy.inputs.stringData.password, original.inputs.stringData.password);
    const egress = r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "gateway-egress").inputs.spec.egress;
    assert.ok(egress.some((e: any) => e.to?.[0]?.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "redis" && e.ports[0].port === 6379));
    const ingress = r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "redis-from-gateway").inputs.spec.ingress[0];
    assert.deepEqual(ingress.ports, [
      { protocol: "TCP", port: 6379 },
      { protocol: "TCP", port: 15008 },
    ]);
  });

  it("exposes only its API port to clients and its metrics port to scrapers via annotations", async () => {
    const r = await render("dev");
    const svc = r.object("kubernetes:core/v1:Service", "gateway", NAMESPACES.apps);
    assert.deepEqual(
      svc.inputs.spec.ports.map((p: any) => p.name),
      ["http"],
    );
    const ann = deployment(r).inputs.spec.template.metadata.annotations;
    assert.deepEqual([ann["prometheus.io/scrape"], ann["prometheus.io/port"], ann["prometheus.io/path"]], ["true", "9090", "/metrics"]);
  });
});
