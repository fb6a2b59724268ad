import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { JOB, SECRET, STORAGE_NS, STS, assertFromGeneratedSecret, assertProtection, claimSize, envOf, mainContainer, podHostsOf, portsOf, secretData, stacks } from "./helpers";

const hasEnv = (c: any, name: string) => (c.env ?? []).some((e: any) => e.name === name);

describe("storage: Nacos and its MySQL", () => {
  const s = stacks("dev", "prod");

  it("runs standalone with one replica in dev", () => {
    const sts = s.dev.object(STS, "nacos", STORAGE_NS);
    assert.strictEqual(sts.inputs.spec.replicas, 1);
    const c = mainContainer(sts);
    assert.strictEqual(envOf(c, "MODE").value, "standalone");
    assert.ok(!hasEnv(c, "NACOS_SERVERS"));
  });

  it("runs a cluster in prod whose member list is exactly the StatefulSet's pods", () => {
    const sts = s.prod.object(STS, "nacos", STORAGE_NS);
    assert.strictEqual(sts.inputs.spec.replicas, 3);
    const c = mainContainer(sts);
    assert.strictEqual(envOf(c, "MODE").value, "cluster");
    assert.strictEqual(envOf(c, "PREFER_HOST_MODE").value, "hostname");
    assert.deepStrictEqual(
      envOf(c, "NACOS_SERVERS").value.split(" "),
      podHostsOf(sts).map((h) => `${h}:8848`),
    );
  });

  it("uses the pinned image, its ports and the v3 console health probes", () => {
    const c = mainContainer(s.prod.object(STS, "nacos", STORAGE_NS));
    assert.strictEqual(c.image, IMAGES.nacos);
    assert.deepStrictEqual(portsOf(c), { http: 8848, grpc: 9848, "grpc-cluster": 9849, raft: 7848, console: 8080 });
    assert.deepStrictEqual(c.readinessProbe.httpGet, { path: "/v3/console/health/readiness", port: "console" });
    assert.deepStrictEqual(c.livenessProbe.httpGet, { path: "/v3/console/health/liveness", port: "console" });
  });

  it("turns auth on with a generated token (base64 of 48 bytes) and a generated server identity", () => {
    for (const out of [s.dev, s.prod]) {
      const c = mainContainer(out.object(STS, "nacos", STORAGE_NS));
      assert.strictEqual(envOf(c, "NACOS_AUTH_ENABLE").value, "true");
      const token = assertFromGeneratedSecret(out, STORAGE_NS, c, "NACOS_AUTH_TOKEN");
      assert.match(token, /^[A-Za-z0-9+/]+=*$/, "the token is standard base64");
      // The mock runtime's random bytes are at most 32 long: check what the program asks for.
      const ids = out.ofType("random:index/randomId:RandomId").filter((r) => r.name.startsWith("nacos-auth-token"));
      assert.deepStrictEqual(
        ids.map((r) => r.inputs.byteLength),
        [48],
      );
      assertFromGeneratedSecret(out, STORAGE_NS, c, "NACOS_AUTH_IDENTITY_KEY");
      assertFromGeneratedSecret(out, STORAGE_NS, c, "NACOS_AUTH_IDENTITY_VALUE");
    }
  });

  it("always stores its data in MySQL with the nacos user's generated password", () => {
    for (const out of [s.dev, s.prod]) {
      const c = mainContainer(out.object(STS, "nacos", STORAGE_NS));
      const db = mainContainer(out.object(STS, "nacos-mysql", STORAGE_NS));
      assert.strictEqual(envOf(c, "SPRING_DATASOURCE_PLATFORM").value, "mysql");
      assert.strictEqual(envOf(c, "MYSQL_SERVICE_HOST").value, `nacos-mysql.${STORAGE_NS}.svc.cluster.local`);
      assert.deepStrictEqual(envOf(c, "MYSQL_SERVICE_PASSWORD").valueFrom, envOf(db, "MYSQL_PASSWORD").valueFrom);
      const userRef = envOf(db, "MYSQL_USER").valueFrom.secretKeyRef;
      assert.strictEqual(secretData(out.object(SECRET, userRef.name, STORAGE_NS))[userRef.key], envOf(c, "MYSQL_SERVICE_USER").value);
      assert.strictEqual(envOf(db, "MYSQL_DATABASE").value, envOf(c, "MYSQL_SERVICE_DB_NAME").value);
    }
  });

  it("runs MySQL 8.4 with generated root and user passwords on the tier's volume", () => {
    for (const out of [s.dev, s.prod]) {
      const sts = out.object(STS, "nacos-mysql", STORAGE_NS);
      const c = mainContainer(sts);
      assert.strictEqual(c.image, IMAGES.mysql);
      assert.match(c.image, /:8\.4\./);
      assert.strictEqual(claimSize(sts), out.config.sizes["nacos-mysql"].storage);
      assertFromGeneratedSecret(out, STORAGE_NS, c, "MYSQL_ROOT_PASSWORD");
      assertFromGeneratedSecret(out, STORAGE_NS, c, "MYSQL_PASSWORD");
      assert.ok(!hasEnv(c, "MYSQL_ALLOW_EMPTY_PASSWORD"));
      assert.ok(c.readinessProbe.exec && c.livenessProbe.exec);
    }
  });

  it("loads the schema shipped in the deployed Nacos image on MySQL's first start", () => {
    const spec = s.prod.object(STS, "nacos-mysql", STORAGE_NS).inputs.spec.template.spec;
    const init = spec.initContainers.find((i: any) => i.image === IMAGES.nacos);
    assert.ok(init, "an init container from the Nacos image provides the schema");
    assert.strictEqual(envOf(init, "SCHEMA").value, "/home/nacos/conf/mysql-schema.sql");
    const target = init.volumeMounts[0].name;
    assert.ok(spec.containers[0].volumeMounts.some((m: any) => m.name === target && m.mountPath === "/docker-entrypoint-initdb.d"));
  });

  it("sets the admin password once with a Job, from a generated Secret", () => {
    const job = s.prod.object(JOB, "nacos-admin", STORAGE_NS);
    const c = mainContainer(job);
    assertFromGeneratedSecret(s.prod, STORAGE_NS, c, "ADMIN_PASSWORD");
    assert.match(c.command.join(" "), /\/v3\/auth\/user\/admin/);
  });

  it("protects MySQL's data in prod and not in dev", () => {
    assertProtection(s.prod.object(STS, "nacos-mysql", STORAGE_NS), true);
    assertProtection(s.dev.object(STS, "nacos-mysql", STORAGE_NS), false);
  });
});
