import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { memoryBytes } from "../../components/config/quantity";
import { STORAGE_NS, STS, assertFromGeneratedSecret, assertProtection, claimSize, envOf, mainContainer, podHostsOf, podNamesOf, portsOf, stacks } from "./helpers";

const hasEnv = (c: any, name: string) => (c.env ?? []).some((e: any) => e.name === name);

describe("storage: Elasticsearch", () => {
  const s = stacks("dev", "staging", "prod");

  it("runs one node with single-node discovery in dev", () => {
    const sts = s.dev.object(STS, "elasticsearch", STORAGE_NS);
    assert.strictEqual(sts.inputs.spec.replicas, 1);
    const c = mainContainer(sts);
    assert.strictEqual(envOf(c, "discovery.type").value, "single-node");
    assert.ok(!hasEnv(c, "discovery.seed_hosts") && !hasEnv(c, "cluster.initial_master_nodes"));
  });

  it("forms a three-node cluster whose seed hosts and initial masters are exactly the StatefulSet's pods", () => {
    for (const out of [s.staging, s.prod]) {
      const sts = out.object(STS, "elasticsearch", STORAGE_NS);
      assert.strictEqual(sts.inputs.spec.replicas, 3);
      assert.strictEqual(sts.inputs.spec.podManagementPolicy, "Parallel");
      const c = mainContainer(sts);
      assert.ok(!hasEnv(c, "discovery.type"));
      assert.deepStrictEqual(envOf(c, "discovery.seed_hosts").value.split(","), podHostsOf(sts).map((h) => `${h}:9300`));
      assert.deepStrictEqual(envOf(c, "cluster.initial_master_nodes").value.split(","), podNamesOf(sts));
      assert.deepStrictEqual(envOf(c, "node.name").valueFrom, { fieldRef: { fieldPath: "metadata.name" } });
    }
  });

  it("uses the pinned image, the tier's volume, the HTTP and transport ports and probes", () => {
    for (const out of [s.dev, s.prod]) {
      const sts = out.object(STS, "elasticsearch", STORAGE_NS);
      const c = mainContainer(sts);
      assert.strictEqual(c.image, IMAGES.elasticsearch);
      assert.strictEqual(claimSize(sts), out.config.sizes.elasticsearch.storage);
      assert.deepStrictEqual(portsOf(c), { http: 9200, transport: 9300 });
      assert.match(c.readinessProbe.exec.command.join(" "), /_cluster\/health/);
      assert.ok(c.livenessProbe && c.startupProbe);
      assert.strictEqual(sts.inputs.spec.template.spec.securityContext.runAsUser, 1000);
    }
  });

  it("takes the elastic password from a generated Secret and keeps security on", () => {
    const c = mainContainer(s.prod.object(STS, "elasticsearch", STORAGE_NS));
    assert.notStrictEqual(assertFromGeneratedSecret(s.prod, STORAGE_NS, c, "ELASTIC_PASSWORD"), "changeme");
    assert.strictEqual(envOf(c, "xpack.security.enabled").value, "true");
  });

  it("gives the JVM half the memory limit", () => {
    for (const out of [s.dev, s.prod]) {
      const c = mainContainer(out.object(STS, "elasticsearch", STORAGE_NS));
      const m = /^-Xms(\d+)m -Xmx(\d+)m$/.exec(envOf(c, "ES_JAVA_OPTS").value)!;
      assert.ok(m);
      assert.strictEqual(m[1], m[2]);
      assert.strictEqual(Number(m[2]), Math.floor(memoryBytes(c.resources.limits.memory) / 2 / 2 ** 20));
    }
  });

  it("needs no privileged sysctl init container: mmap is off instead", () => {
    const sts = s.prod.object(STS, "elasticsearch", STORAGE_NS);
    assert.strictEqual(envOf(mainContainer(sts), "node.store.allow_mmap").value, "false");
    for (const c of [...(sts.inputs.spec.template.spec.initContainers ?? []), ...sts.inputs.spec.template.spec.containers]) {
      assert.notStrictEqual(c.securityContext.privileged, true, `${c.name} must not be privileged`);
      assert.strictEqual(c.securityContext.runAsNonRoot, true);
    }
  });

  it("protects its data in s.prod and not in dev", () => {
    assertProtection(s.prod.object(STS, "elasticsearch", STORAGE_NS), true);
    assertProtection(s.dev.object(STS, "elasticsearch", STORAGE_NS), false);
  });
});
