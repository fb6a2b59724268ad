import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { loadConfig } from "../../components/config/schema";
import { stackSettings } from "../harness";
import { JOB, STORAGE_NS, STS, assertFromGeneratedSecret, assertProtection, claimSize, envOf, flagValue, mainContainer, podHostsOf, podNamesOf, stacks } from "./helpers";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("storage: Milvus and its etcd", () => {
  const s = stacks("dev", "prod");

  it("runs etcd v3.5 with revision compaction and a 4 GiB quota", () => {
    for (const out of [s.dev, s.prod]) {
      const sts = out.object(STS, "milvus-etcd", STORAGE_NS);
      const c = mainContainer(sts);
      assert.strictEqual(c.image, IMAGES.etcd);
      assert.match(c.image, /:v3\.5\./);
      assert.strictEqual(flagValue(c.args, "--auto-compaction-mode"), "revision");
      assert.strictEqual(flagValue(c.args, "--auto-compaction-retention"), "1000");
      assert.strictEqual(flagValue(c.args, "--quota-backend-bytes"), String(4 * 1024 ** 3));
      assert.strictEqual(claimSize(sts), out.config.sizes["milvus-etcd"].storage);
      assert.ok(c.readinessProbe && c.livenessProbe);
    }
  });

  it("names exactly the StatefulSet's pods as the initial etcd cluster, one member in dev and three in prod", () => {
    for (const [out, members] of [
      [s.dev, 1],
      [s.prod, 3],
    ] as const) {
      const sts = out.object(STS, "milvus-etcd", STORAGE_NS);
      assert.strictEqual(sts.inputs.spec.replicas, members);
      const c = mainContainer(sts);
      const expected = podNamesOf(sts).map((pod, i) => `${pod}=http://${podHostsOf(sts)[i]}:2380`);
      assert.deepStrictEqual(flagValue(c.args, "--initial-cluster")!.split(","), expected);
      assert.strictEqual(flagValue(c.args, "--name"), "$(POD_NAME)");
      assert.strictEqual(flagValue(c.args, "--initial-advertise-peer-urls"), `http://$(POD_NAME).${sts.inputs.spec.serviceName}.${STORAGE_NS}.svc.cluster.local:2380`);
    }
  });

  it("runs Milvus standalone, one pod, with the tier's volume and its health probes", () => {
    for (const out of [s.dev, s.prod]) {
      const sts = out.object(STS, "milvus", STORAGE_NS);
      assert.strictEqual(sts.inputs.spec.replicas, 1);
      assert.strictEqual(claimSize(sts), out.config.sizes.milvus.storage);
      const c = mainContainer(sts);
      assert.strictEqual(c.image, IMAGES.milvus);
      assert.deepStrictEqual(c.command, ["milvus", "run", "standalone"]);
      assert.strictEqual(c.readinessProbe.httpGet.path, "/healthz");
      assert.strictEqual(c.readinessProbe.httpGet.port, "http");
    }
  });

  it("points Milvus at every etcd member and at the object store's milvus bucket with its credentials", () => {
    const c = mainContainer(s.prod.object(STS, "milvus", STORAGE_NS));
    const etcdSts = s.prod.object(STS, "milvus-etcd", STORAGE_NS);
    assert.deepStrictEqual(
      envOf(c, "ETCD_ENDPOINTS").value.split(","),
      podHostsOf(etcdSts).map((h) => `${h}:2379`),
    );
    assert.strictEqual(envOf(c, "MINIO_ADDRESS").value, `minio.${STORAGE_NS}.svc.cluster.local`);
    assert.strictEqual(envOf(c, "MINIO_PORT").value, "9000");
    assert.strictEqual(envOf(c, "MINIO_BUCKET_NAME").value, "milvus-bucket");
    // Its own MinIO user, the one the bucket job limits to milvus-bucket; never the root credentials.
    const job = mainContainer(s.prod.object(JOB, "minio-buckets", STORAGE_NS));
    assert.deepStrictEqual(envOf(c, "MINIO_ACCESS_KEY_ID").valueFrom, envOf(job, "CLIENT_MILVUS_ACCESS_KEY").valueFrom);
    assert.deepStrictEqual(envOf(c, "MINIO_SECRET_ACCESS_KEY").valueFrom, envOf(job, "CLIENT_MILVUS_SECRET_KEY").valueFrom);
    const resources = JSON.parse(envOf(job, "CLIENT_MILVUS_POLICY").value).Statement.flatMap((st: any) => st.Resource);
    assert.deepStrictEqual([...new Set(resources.map((r: string) => r.replace(/^arn:aws:s3:::/, "").split("/")[0]))], ["milvus-bucket"]);
    assertFromGeneratedSecret(s.prod, STORAGE_NS, c, "MINIO_SECRET_ACCESS_KEY");
  });

  it("turns authentication on with a generated root password", () => {
    const c = mainContainer(s.dev.object(STS, "milvus", STORAGE_NS));
    assert.strictEqual(envOf(c, "COMMON_SECURITY_AUTHORIZATIONENABLED").value, "true");
    assert.notStrictEqual(assertFromGeneratedSecret(s.dev, STORAGE_NS, c, "COMMON_SECURITY_DEFAULTROOTPASSWORD"), "Milvus");
  });

  it("lets only Milvus reach etcd, and Milvus reach the object store's API (dev: no mesh, so no HBONE port)", () => {
    const toEtcd = s.dev.object(NETPOL, "milvus-etcd-from-milvus", STORAGE_NS);
    assert.deepStrictEqual(toEtcd.inputs.spec.ingress[0].ports, [{ protocol: "TCP", port: 2379 }]);
    const toMinio = s.dev.object(NETPOL, "minio-from-milvus", STORAGE_NS);
    assert.deepStrictEqual(toMinio.inputs.spec.ingress[0].ports, [{ protocol: "TCP", port: 9000 }]);
  });

  it("refuses more than one Milvus replica (standalone)", () => {
    assert.throws(() => loadConfig("dev", stackSettings("dev", { overrides: { milvus: { replicas: 2 } } })), /milvus.replicas: must be 1/);
  });

  it("protects both data stores in prod and neither in dev", () => {
    for (const name of ["milvus", "milvus-etcd"]) {
      assertProtection(s.prod.object(STS, name, STORAGE_NS), true);
      assertProtection(s.dev.object(STS, name, STORAGE_NS), false);
    }
  });
});
