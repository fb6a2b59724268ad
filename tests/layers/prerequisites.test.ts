import { strict as assert } from "assert";
import { NAMESPACES } from "../../components/config/catalog";
import { PRIORITY_CLASSES } from "../../components/layers/prerequisites";
import { render } from "../harness";

describe("prerequisites layer", () => {
  it("creates only the namespaces the deploy mode needs, restricted by Pod Security Admission", async () => {
    const full = await render("dev");
    const names = full
      .ofType("kubernetes:core/v1:Namespace")
      .map((n) => n.inputs.metadata.name)
      .sort();
    assert.deepEqual(
      names,
      [NAMESPACES.apps, NAMESPACES.monitoring, NAMESPACES.storage, NAMESPACES.istio, NAMESPACES.certManager].sort(),
      "PostHog's namespace only when self-hosted; Istio's because it implements the Gateway API edge even without the mesh",
    );
    for (const n of full.ofType("kubernetes:core/v1:Namespace").filter((x) => x.inputs.metadata.name !== NAMESPACES.monitoring)) {
      assert.equal(n.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted", n.inputs.metadata.name);
      assert.equal(n.inputs.metadata.labels["pod-security.kubernetes.io/warn"], "restricted");
    }
    const storageOnly = await render("dev", { deployMode: "storage-only" });
    assert.deepEqual(
      storageOnly.ofType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name),
      [NAMESPACES.storage],
    );
  });

  it("sizes each namespace's quota from its services at maximum scale, larger in production", async () => {
    const quota = async (stack: string) => (await render(stack)).ofType("kubernetes:core/v1:ResourceQuota").find((q) => q.inputs.metadata.namespace === NAMESPACES.apps)!.inputs.spec.hard;
    const dev = await quota("dev");
    const prod = await quota("prod");
    const milli = (q: string) => Number(q.replace(/m$/, ""));
    assert.ok(milli(prod["requests.cpu"]) > milli(dev["requests.cpu"]) * 3, `${dev["requests.cpu"]} vs ${prod["requests.cpu"]}`);
    assert.equal(dev["services.nodeports"], "3", "the load balancers' node ports only (see below)");
  });

  it("a namespace's quota leaves room for its one-off Jobs even when its services' requests fill the rest", async () => {
    // Shrunk requests (as on a small node): 20m per storage service; the MinIO bucket Job asks for the backup row's 50m.
    const services = ["redis", "minio", "nats", "milvus-etcd"];
    const r = await render("dev", { services, overrides: Object.fromEntries(services.map((s) => [s, { requests: { cpu: "20m" } }])) });
    const hard = r.ofType("kubernetes:core/v1:ResourceQuota").find((q) => q.inputs.metadata.namespace === NAMESPACES.storage)!.inputs.spec.hard;
    const milli = (q: string) => Number(q.replace(/m$/, ""));
    const jobCpu = r.ofType("kubernetes:batch/v1:Job").find((j) => j.inputs.metadata.name === "minio-buckets")!.inputs.spec.template.spec.containers[0].resources.requests.cpu;
    const servicesCpu = 4 * 20;
    assert.ok(milli(hard["requests.cpu"]) >= servicesCpu + 3 * milli(jobCpu), `quota ${hard["requests.cpu"]} admits the services (${servicesCpu}m) but not three Jobs of ${jobCpu}`);
  });

  it("data stores outrank stateless apps", async () => {
    const r = await render("dev");
    const pcs = Object.fromEntries(r.ofType("kubernetes:scheduling.k8s.io/v1:PriorityClass").map((p) => [p.inputs.metadata.name, p.inputs.value]));
    assert.ok(pcs[PRIORITY_CLASSES.data.name] > pcs[PRIORITY_CLASSES.app.name]);
    assert.equal(r.object("kubernetes:apps/v1:StatefulSet", "redis").inputs.spec.template.spec.priorityClassName, PRIORITY_CLASSES.data.name);
    assert.equal(r.object("kubernetes:apps/v1:Deployment", "gateway").inputs.spec.template.spec.priorityClassName, PRIORITY_CLASSES.app.name);
  });

  it("every workload waits for the namespaces: layers depend on the prerequisites", async () => {
    const r = await render("dev");
    const namespaces = r.ofType("kubernetes:core/v1:Namespace").map((n) => n.urn);
    const layers = r.resources.filter((x) => /^voicehelper:(storage|apps):/.test(x.type));
    assert.equal(layers.length, 2);
    for (const layer of layers) {
      for (const ns of namespaces) assert.ok(layer.dependencies.includes(ns), `${layer.type} does not wait for ${ns}`);
    }
  });
});

describe("prerequisites: quotas admit exactly the declared load balancers", () => {
  it("dev: the edge proxy (2 ports) and the voice media balancer (1 port) in the apps namespace, none elsewhere", async () => {
    const r = await render("dev");
    const hard = (ns: string) => r.ofType("kubernetes:core/v1:ResourceQuota").find((q) => q.inputs.metadata.namespace === ns)!.inputs.spec.hard;
    assert.deepEqual([hard(NAMESPACES.apps)["services.loadbalancers"], hard(NAMESPACES.apps)["services.nodeports"]], ["2", "3"]);
    const lbServices = r.ofType("kubernetes:core/v1:Service").filter((s) => s.inputs.spec.type === "LoadBalancer" && s.inputs.metadata.namespace === NAMESPACES.apps);
    assert.equal(lbServices.length, 1, "voice media is ours; the edge proxy's Service is created by Istio for the Gateway");
    assert.deepEqual([hard(NAMESPACES.storage)["services.loadbalancers"], hard(NAMESPACES.storage)["services.nodeports"]], ["0", "0"]);
  });

  it("TURN media and an Ingress edge need no load balancer", async () => {
    const r = await render("staging", { edge: { mode: "ingress", ingressClassName: "traefik", controllerNamespace: "traefik" } });
    const hard = r.ofType("kubernetes:core/v1:ResourceQuota").find((q) => q.inputs.metadata.namespace === NAMESPACES.apps)!.inputs.spec.hard;
    assert.deepEqual([hard["services.loadbalancers"], hard["services.nodeports"]], ["0", "0"]);
  });
});
