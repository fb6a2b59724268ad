import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { memoryBytes } from "../../components/config/quantity";
import { SECRET, STORAGE_NS, STS, assertProtection, claimSize, envOf, mainContainer, portsOf, secretData, stacks } from "./helpers";

describe("storage: Neo4j", () => {
  const s = stacks("dev", "prod");

  it("runs one Community node with the tier's volume, on the graph's ports", () => {
    for (const out of [s.dev, s.prod]) {
      const sts = out.object(STS, "neo4j", STORAGE_NS);
      assert.strictEqual(sts.inputs.spec.replicas, 1);
      assert.strictEqual(claimSize(sts), out.config.sizes.neo4j.storage);
      const c = mainContainer(sts);
      assert.strictEqual(c.image, IMAGES.neo4j);
      assert.match(c.image, /community/);
      assert.deepStrictEqual(portsOf(c), { http: 7474, bolt: 7687 });
      assert.strictEqual(c.securityContext.runAsUser, undefined); // the pod's UID applies
      assert.strictEqual(sts.inputs.spec.template.spec.securityContext.runAsUser, 7474);
      assert.ok(c.readinessProbe && c.livenessProbe && c.startupProbe);
    }
  });

  it("sets NEO4J_AUTH to neo4j/<generated password> from a Secret, never none or the default", () => {
    const c = mainContainer(s.prod.object(STS, "neo4j", STORAGE_NS));
    const ref = envOf(c, "NEO4J_AUTH").valueFrom.secretKeyRef;
    const data = secretData(s.prod.object(SECRET, ref.name, STORAGE_NS));
    const auth = data[ref.key];
    assert.strictEqual(auth, `neo4j/${data.password}`);
    assert.ok(data.password.length >= 32);
  });

  it("sizes heap and page cache inside the memory limit", () => {
    for (const out of [s.dev, s.prod]) {
      const c = mainContainer(out.object(STS, "neo4j", STORAGE_NS));
      const mb = (env: string) => Number(/^(\d+)m$/.exec(envOf(c, env).value)![1]) * 2 ** 20;
      const heap = mb("NEO4J_server_memory_heap_max__size");
      assert.strictEqual(envOf(c, "NEO4J_server_memory_heap_initial__size").value, envOf(c, "NEO4J_server_memory_heap_max__size").value);
      const total = heap + mb("NEO4J_server_memory_pagecache_size");
      const limit = memoryBytes(c.resources.limits.memory);
      assert.ok(heap > 0.3 * limit, "heap is a real share of the limit");
      assert.ok(total < 0.8 * limit, "heap + page cache leave room for the rest of the JVM and the OS");
    }
  });

  it("keeps the root filesystem read-only by giving the entrypoint a writable copy of conf/", () => {
    const sts = s.dev.object(STS, "neo4j", STORAGE_NS);
    const c = mainContainer(sts);
    assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
    const confMount = c.volumeMounts.find((m: any) => m.mountPath === "/var/lib/neo4j/conf");
    assert.ok(confMount);
    const init = sts.inputs.spec.template.spec.initContainers.find((i: any) => i.volumeMounts.some((m: any) => m.name === confMount.name));
    assert.ok(init, "an init container fills the conf volume");
    assert.strictEqual(init.image, IMAGES.neo4j);
  });

  it("protects its data in prod and not in dev", () => {
    assertProtection(s.prod.object(STS, "neo4j", STORAGE_NS), true);
    assertProtection(s.dev.object(STS, "neo4j", STORAGE_NS), false);
  });
});
