import { strict as assert } from "assert";
import { CATALOG, NAMESPACES, ServiceName } from "../../components/config/catalog";
import { Rendered, render } from "../harness";

const sts = (r: Rendered) => r.object("kubernetes:apps/v1:StatefulSet", "redis", NAMESPACES.storage);
const conf = (r: Rendered) => r.object("kubernetes:core/v1:ConfigMap", "redis-config").inputs.data["redis.conf"] as string;
const main = (r: Rendered) => sts(r).inputs.spec.template.spec.containers[0];

describe("redis", () => {
  let dev: Rendered;
  let prod: Rendered;
  before(async () => {
    dev = await render("dev");
    prod = await render("prod");
  });

  it("is standalone with AOF + RDB in the minimal tier, with maxmemory at 75% of its limit", () => {
    assert.equal(sts(dev).inputs.spec.replicas, 1);
    const c = conf(dev);
    assert.match(c, /^appendonly yes$/m);
    assert.match(c, /^appendfsync everysec$/m);
    assert.match(c, /^save 3600 1 300 100 60 10000$/m);
    assert.match(c, /^maxmemory 384mb$/m, "512Mi limit");
    assert.match(c, /^maxmemory-policy allkeys-lru$/m);
    assert.doesNotMatch(c, /cluster-enabled/);
    assert.equal(dev.ofType("kubernetes:batch/v1:Job").filter((j) => j.inputs.metadata.name === "redis-cluster-bootstrap").length, 0, "no bootstrap job for a standalone server");
  });

  it("always requires a generated password, read from a Secret file, never from the command line or the ConfigMap", () => {
    const c = main(dev);
    assert.deepEqual(c.args, ["/etc/redis/redis.conf"]);
    assert.match(conf(dev), /^include \/etc\/redis-auth\/auth.conf$/m);
    const authVolume = sts(dev).inputs.spec.template.spec.volumes.find((v: any) => v.name === "auth");
    assert.ok(c.volumeMounts.some((m: any) => m.name === "auth" && m.mountPath === "/etc/redis-auth"));
    const secret = dev.object("kubernetes:core/v1:Secret", authVolume.secret.secretName, NAMESPACES.storage).inputs.stringData;
    assert.ok(secret.password.length >= 32);
    assert.equal(secret["auth.conf"], `requirepass ${secret.password}\nmasterauth ${secret.password}\n`);
    assert.equal(authVolume.secret.defaultMode, 0o400);
    assert.ok(!conf(dev).includes(secret.password));
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e]));
    assert.equal(env.REDISCLI_AUTH.valueFrom.secretKeyRef.key, "password", "the probes authenticate too");
  });

  it("keeps its data on a claim sized by tier, protected outside dev", () => {
    assert.equal(sts(dev).inputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "2Gi");
    assert.equal(sts(prod).inputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "20Gi");
    assert.deepEqual([sts(dev).protect, sts(dev).retainOnDelete], [false, false]);
    assert.deepEqual([sts(prod).protect, sts(prod).retainOnDelete], [true, true]);
  });

  it("probes: liveness tolerates LOADING, readiness requires PONG (and cluster_state:ok in cluster mode)", () => {
    const live = main(dev).livenessProbe.exec.command.join(" ");
    assert.match(live, /PONG\|LOADING/);
    assert.doesNotMatch(main(dev).readinessProbe.exec.command.join(" "), /LOADING|cluster_state/);
    assert.match(main(prod).readinessProbe.exec.command.join(" "), /cluster_state:ok/);
    assert.ok(main(dev).startupProbe);
  });

  it("runs a 6-node Redis Cluster in production, announcing stable hostnames, formed by a bootstrap Job naming exactly its pods", () => {
    const s = sts(prod).inputs.spec;
    assert.equal(s.replicas, 6);
    assert.equal(s.podManagementPolicy, "Parallel");
    assert.match(conf(prod), /^cluster-enabled yes$/m);
    const headless = `${s.serviceName}.${NAMESPACES.storage}.svc.cluster.local`;
    assert.deepEqual(main(prod).args.slice(-2), ["--cluster-announce-hostname", `$(POD_NAME).${headless}`]);
    const job = prod.object("kubernetes:batch/v1:Job", "redis-cluster-bootstrap");
    const c = job.inputs.spec.template.spec.containers[0];
    const nodes = c.env.find((e: any) => e.name === "REDIS_NODES").value.split(" ");
    const expected = Array.from({ length: s.replicas }, (_, i) => `redis-${i}.${headless}:6379`);
    assert.deepEqual(nodes, expected);
    assert.match(c.command.join(" "), /--cluster-replicas 1 --cluster-yes/);
    assert.match(c.command.join(" "), /cluster already formed/, "the job is idempotent");
    const bus = prod.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "redis-from-peers").inputs.spec.ingress[0].ports.map((p: any) => p.port);
    assert.deepEqual(bus.sort(), [15008, 16379, 6379], "client, cluster bus, and HBONE (prod runs the ambient mesh)");
    assert.ok(prod.object("kubernetes:policy/v1:PodDisruptionBudget", "redis"));
  });

  it("admits only declared clients: the built services that need or use Redis, the backup job, and the bootstrap job in production", () => {
    const clients = (r: Rendered) =>
      r.outputs.deployed
        .filter((s) => CATALOG[s as ServiceName].layer !== "storage" && [...(CATALOG[s as ServiceName].needs ?? []), ...(CATALOG[s as ServiceName].uses ?? [])].includes("redis" as never))
        .map((s) => `redis-from-${s}`);
    const admitted = (r: Rendered) =>
      r
        .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
        .filter((p) => p.inputs.metadata.namespace === NAMESPACES.storage && p.inputs.metadata.name.startsWith("redis-from-") && !p.inputs.metadata.name.endsWith("kubelet-probes"))
        .map((p) => p.inputs.metadata.name)
        .sort();
    assert.ok(clients(dev).includes("redis-from-gateway") && clients(dev).includes("redis-from-model-router"));
    // redis-from-metrics: Prometheus, to the exporter sidecar's port only (tests/layers/exporter-sidecars.test.ts).
    assert.deepEqual(admitted(dev), [...clients(dev), "redis-from-metrics", "redis-from-redis-backup"].sort());
    assert.deepEqual(admitted(prod), [...clients(prod), "redis-from-metrics", "redis-from-peers", "redis-from-redis-backup", "redis-from-redis-cluster-bootstrap"].sort());
  });
});
