import * as assert from "assert";
import { chartResources } from "../../components/kit/chart-resources";
import { CHARTS, IMAGES } from "../../components/config/images";
import { Rendered } from "../harness";
import { SECRET, STORAGE_NS, assertProtection, rendered, secretData, stacks } from "./helpers";

const CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const DATABASE = "kubernetes:postgresql.cnpg.io/v1:Database";
const POOLER = "kubernetes:postgresql.cnpg.io/v1:Pooler";
const SCHEDULED = "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup";
const CHART = "kubernetes:helm.sh/v4:Chart";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const DBS = ["identity", "conversation", "knowledge", "model_router"];

const clusterOf = (out: Rendered) => out.object(CLUSTER, "postgresql", STORAGE_NS);

describe("storage: PostgreSQL (CloudNativePG)", () => {
  const s = stacks("dev", "staging", "prod");

  it("sizes the Cluster from the tier: instances, volume, resources, pinned image", () => {
    for (const [out, instances] of [
      [s.dev, 1],
      [s.staging, 3],
      [s.prod, 3],
    ] as const) {
      const spec = clusterOf(out).inputs.spec;
      const size = out.config.sizes.postgresql;
      assert.strictEqual(spec.instances, instances);
      assert.strictEqual(spec.instances, size.replicas);
      assert.strictEqual(spec.storage.size, size.storage);
      assert.deepStrictEqual(spec.resources, chartResources(size));
      assert.strictEqual(spec.imageName, IMAGES.postgresql);
      assert.strictEqual(spec.affinity?.podAntiAffinityType, instances > 1 ? "required" : undefined);
    }
  });

  it("creates the four databases, each owned by a managed role whose password is a generated basic-auth Secret", () => {
    const out = s.prod;
    const spec = clusterOf(out).inputs.spec;
    const roles = spec.managed.roles;
    assert.deepStrictEqual(roles.map((r: any) => r.name).sort(), [...DBS].sort());
    for (const role of roles) {
      const secret = out.object(SECRET, role.passwordSecret.name, STORAGE_NS);
      assert.strictEqual(secret.inputs.type, "kubernetes.io/basic-auth");
      const data = secretData(secret);
      assert.strictEqual(data.username, role.name);
      assert.ok(data.password.length >= 32);
      assert.strictEqual(role.login, true);
    }
    // PostHog's own cluster (prod runs PostHog self-hosted) has its own databases in its own namespace.
    const databases = out
      .ofType(DATABASE)
      .filter((d) => d.inputs.metadata.namespace === STORAGE_NS)
      .map((d) => d.inputs.spec);
    assert.deepStrictEqual(databases.map((d) => d.name).sort(), [...DBS].sort());
    for (const d of databases) {
      assert.strictEqual(d.owner, d.name);
      assert.strictEqual(d.cluster.name, "postgresql");
    }
    const initdb = spec.bootstrap.initdb;
    assert.ok(DBS.includes(initdb.database));
    assert.strictEqual(initdb.secret.name, roles.find((r: any) => r.name === initdb.owner).passwordSecret.name);
  });

  it("puts a PgBouncer Pooler in front of the primary, sized from postgresql-pooler", () => {
    for (const out of [s.dev, s.prod]) {
      const spec = out.object(POOLER, "postgresql-pooler", STORAGE_NS).inputs.spec;
      assert.strictEqual(spec.cluster.name, "postgresql");
      assert.strictEqual(spec.type, "rw");
      assert.strictEqual(spec.instances, out.config.sizes["postgresql-pooler"].replicas);
      assert.deepStrictEqual(spec.template.spec.containers[0].resources, chartResources(out.config.sizes["postgresql-pooler"]));
    }
  });

  it("in dev, archives WAL and takes a daily base backup into the object store's backups bucket with the backup client's keys", () => {
    const out = s.dev;
    const store = clusterOf(out).inputs.spec.backup.barmanObjectStore;
    assert.match(store.destinationPath, /^s3:\/\/backups\//);
    assert.strictEqual(store.endpointURL, `http://minio.${STORAGE_NS}.svc.cluster.local:9000`);
    for (const ref of [store.s3Credentials.accessKeyId, store.s3Credentials.secretAccessKey]) {
      assert.ok(secretData(out.object(SECRET, ref.name, STORAGE_NS))[ref.key], "the credential reference resolves");
    }
    // The backup client's own MinIO user, not the root credentials.
    const job = out.object("kubernetes:batch/v1:Job", "minio-buckets", STORAGE_NS).inputs.spec.template.spec.containers[0];
    const backupKey = job.env.find((e: any) => e.name === "CLIENT_BACKUP_ACCESS_KEY").valueFrom.secretKeyRef;
    assert.deepStrictEqual({ name: store.s3Credentials.accessKeyId.name, key: store.s3Credentials.accessKeyId.key }, { name: backupKey.name, key: backupKey.key });
    const scheduled = out.object(SCHEDULED, "postgresql-daily", STORAGE_NS).inputs.spec;
    assert.strictEqual(scheduled.cluster.name, "postgresql");
    assert.strictEqual(scheduled.method, "barmanObjectStore");
    assert.strictEqual(scheduled.schedule.split(" ").length, 6, "CloudNativePG cron has a seconds field");
    assert.strictEqual(clusterOf(out).inputs.spec.postgresql.parameters.archive_timeout, "5min");
  });

  it("installs the pinned operator chart only when remote charts are allowed, before the Cluster", async () => {
    const chart = s.prod.ofType(CHART).find((r) => r.name === "cnpg-operator");
    assert.ok(chart, "the operator chart is installed");
    assert.strictEqual(chart.inputs.version, CHARTS.cnpg.version);
    assert.strictEqual(chart.inputs.repositoryOpts.repo, CHARTS.cnpg.repo);
    assert.ok(clusterOf(s.prod).dependencies.includes(chart.urn), "the Cluster waits for the operator and its CRDs");
    const offline = await rendered("dev", { externalCharts: false });
    assert.strictEqual(offline.ofType(CHART).length, 0);
    assert.ok(clusterOf(offline), "the Cluster is still declared for a pre-installed operator");
    // The release manifest's operator (namespace cnpg-system) must still reach the instances' status port.
    const fromOperator = offline.object(NETPOL, "postgresql-from-operator", STORAGE_NS).inputs.spec.ingress[0];
    assert.deepStrictEqual(fromOperator.from, [
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "cloudnative-pg" } } },
    ]);
    assert.deepStrictEqual(
      fromOperator.ports.map((p: any) => p.port),
      [5432, 8000],
    );
  });

  it("lets the instances reach the object store and admits the operator and the pooler (dev: no mesh, so no HBONE port)", () => {
    const out = s.dev;
    assert.deepStrictEqual(out.object(NETPOL, "minio-from-postgresql", STORAGE_NS).inputs.spec.ingress[0].ports, [{ protocol: "TCP", port: 9000 }]);
    assert.deepStrictEqual(
      out.object(NETPOL, "postgresql-from-operator", STORAGE_NS).inputs.spec.ingress[0].ports.map((p: any) => p.port),
      [5432, 8000],
    );
    const fromPooler = out.object(NETPOL, "postgresql-from-postgresql-pooler", STORAGE_NS).inputs.spec;
    assert.deepStrictEqual(fromPooler.podSelector.matchLabels, { "cnpg.io/cluster": "postgresql" });
  });

  it("protects the Cluster in prod and not in dev", () => {
    assertProtection(clusterOf(s.prod), true);
    assertProtection(clusterOf(s.staging), true);
    assertProtection(clusterOf(s.dev), false);
  });
});
