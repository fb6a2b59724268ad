import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { CONFIGMAP, STORAGE_NS, STS, assertFromGeneratedSecret, assertProtection, claimSize, envOf, mainContainer, portsOf, stacks } from "./helpers";
import { EPHEMERAL_STORAGE } from "../../components/config/sizing";

describe("storage: ClickHouse", () => {
  const s = stacks("dev", "prod");

  it("runs one node as UID 101 with the tier's volume, ports and /ping probes", () => {
    for (const out of [s.dev, s.prod]) {
      const sts = out.object(STS, "clickhouse", STORAGE_NS);
      assert.strictEqual(sts.inputs.spec.replicas, 1);
      assert.strictEqual(claimSize(sts), out.config.sizes.clickhouse.storage);
      assert.strictEqual(sts.inputs.spec.template.spec.securityContext.runAsUser, 101);
      const c = mainContainer(sts);
      assert.strictEqual(c.image, IMAGES.clickhouse);
      assert.deepStrictEqual(portsOf(c), { http: 8123, native: 9000, interserver: 9009, metrics: 9363 });
      for (const p of [c.readinessProbe, c.livenessProbe]) assert.deepStrictEqual(p.httpGet, { path: "/ping", port: "http" });
    }
  });

  it("creates a generated user with access management instead of the password-less default", () => {
    const c = mainContainer(s.prod.object(STS, "clickhouse", STORAGE_NS));
    assertFromGeneratedSecret(s.prod, STORAGE_NS, c, "CLICKHOUSE_PASSWORD");
    assert.ok(envOf(c, "CLICKHOUSE_USER").valueFrom.secretKeyRef);
    assert.strictEqual(envOf(c, "CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT").value, "1");
    assert.ok(!(c.env ?? []).some((e: any) => e.name === "CLICKHOUSE_SKIP_USER_SETUP"));
  });

  it("lets the entrypoint write users.d on a read-only root filesystem", () => {
    const c = mainContainer(s.dev.object(STS, "clickhouse", STORAGE_NS));
    assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
    const mount = c.volumeMounts.find((m: any) => m.mountPath === "/etc/clickhouse-server/users.d");
    assert.ok(mount && !mount.readOnly);
    const volume = s.dev.object(STS, "clickhouse", STORAGE_NS).inputs.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
    // A disk-backed scratch directory, capped like every emptyDir the kit makes.
    assert.deepStrictEqual(volume.emptyDir, { sizeLimit: EPHEMERAL_STORAGE.scratch });
  });

  it("caps server memory at 80% of the container's memory through a config.d file", () => {
    const sts = s.dev.object(STS, "clickhouse", STORAGE_NS);
    const mount = mainContainer(sts).volumeMounts.find((m: any) => m.mountPath.startsWith("/etc/clickhouse-server/config.d/"));
    assert.ok(mount);
    const volume = sts.inputs.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
    const cm = s.dev.object(CONFIGMAP, volume.configMap.name, STORAGE_NS);
    assert.match(cm.inputs.data[mount.subPath], /<max_server_memory_usage_to_ram_ratio>0\.8<\/max_server_memory_usage_to_ram_ratio>/);
    // Its own Prometheus endpoint on the port the pod declares and Prometheus scrapes.
    assert.match(cm.inputs.data[mount.subPath], /<prometheus>\s*<endpoint>\/metrics<\/endpoint>\s*<port>9363<\/port>\s*<metrics>true<\/metrics>\s*<events>true<\/events>/);
  });

  it("protects its data in prod and not in dev", () => {
    assertProtection(s.prod.object(STS, "clickhouse", STORAGE_NS), true);
    assertProtection(s.dev.object(STS, "clickhouse", STORAGE_NS), false);
  });
});
