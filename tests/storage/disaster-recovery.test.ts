/**
 * Backups that leave the cluster and restores run from configuration, as the rendered objects show
 * them: every path, credential reference and network path a backup or a restore needs, per stack.
 */
import * as assert from "assert";
import { NAMESPACES } from "../../components/config/catalog";
import { IMAGES } from "../../components/config/images";
import { FAKE_SECRETS, Rendered, RenderedResource } from "../harness";
import { CRONJOB, JOB, SECRET, STORAGE_NS, STS, envOf, mainContainer, rendered, secretData, stacks } from "./helpers";

const CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const SCHEDULED = "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const POSTHOG_NS = NAMESPACES.posthog;
const APPS_NS = NAMESPACES.apps;
/** What the stack files name as prod's off-cluster target (an example endpoint). */
const PROD_TARGET = { url: "https://s3.example.com", bucket: "voicehelper-prod-backups" };
const SNAPSHOT = "20261130T023000Z";

/** The value a secretKeyRef resolves to in that namespace (fails when the Secret or key is missing). */
function resolve(out: Rendered, namespace: string, ref: { name: string; key: string }): string {
  const value = secretData(out.object(SECRET, ref.name, namespace))[ref.key];
  assert.ok(typeof value === "string" && value.length > 0, `Secret ${ref.name} in ${namespace} holds ${ref.key}`);
  return value;
}

const clusters = (out: Rendered) => out.ofType(CLUSTER);
const clusterNamed = (out: Rendered, name: string, ns: string) => out.object(CLUSTER, name, ns);

function egressPorts(out: Rendered, ns: string, name: string): number[] {
  const policy = out.ofType(NETPOL).find((p) => p.inputs.metadata.namespace === ns && p.inputs.metadata.name === name);
  assert.ok(policy, `NetworkPolicy ${name} in ${ns}`);
  return (policy.inputs.spec.egress ?? []).flatMap((e: any) => (e.ports ?? []).map((p: any) => p.port));
}

describe("disaster recovery: backups off the cluster (prod)", () => {
  const s = stacks("prod", "dev");

  it("pins the PostgreSQL image flavour that carries barman-cloud, which barmanObjectStore runs inside the instance", () => {
    assert.match(IMAGES.postgresql, /^ghcr\.io\/cloudnative-pg\/postgresql:\d+\.\d+-system-/);
    for (const c of clusters(s.prod)) assert.strictEqual(c.inputs.spec.imageName, IMAGES.postgresql);
  });

  it("archives every PostgreSQL cluster (PostHog's too) to the target, each under the stack's folder, with the target's keys", () => {
    const names = clusters(s.prod)
      .map((c) => c.inputs.metadata.name)
      .sort();
    assert.deepStrictEqual(names, ["postgresql", "posthog-postgresql"]);
    for (const c of clusters(s.prod)) {
      const ns = c.inputs.metadata.namespace;
      const store = c.inputs.spec.backup.barmanObjectStore;
      assert.strictEqual(store.destinationPath, `s3://${PROD_TARGET.bucket}/prod/${c.inputs.metadata.name}`);
      assert.strictEqual(store.endpointURL, PROD_TARGET.url);
      assert.strictEqual(resolve(s.prod, ns, store.s3Credentials.accessKeyId), FAKE_SECRETS.backupTargetAccessKey);
      assert.strictEqual(resolve(s.prod, ns, store.s3Credentials.secretAccessKey), FAKE_SECRETS.backupTargetSecretKey);
      assert.strictEqual(c.inputs.spec.backup.retentionPolicy, "30d");
      assert.strictEqual(s.prod.object(SCHEDULED, `${c.inputs.metadata.name}-daily`, ns).inputs.spec.method, "barmanObjectStore");
      // The instances may open the target's HTTPS port (it is outside the cluster).
      assert.ok(egressPorts(s.prod, ns, `${c.inputs.metadata.name}-egress`).includes(443), `${c.inputs.metadata.name} reaches the target's port`);
    }
  });

  it("copies FAISS' index to the target with the target's keys", () => {
    const cron = s.prod.object(CRONJOB, "faiss-service-backup", APPS_NS);
    const upload = mainContainer(cron);
    assert.strictEqual(envOf(upload, "TARGET").value, `${PROD_TARGET.bucket}/prod/faiss`);
    assert.strictEqual(envOf(upload, "STORE_URL").value, PROD_TARGET.url);
    assert.strictEqual(resolve(s.prod, APPS_NS, envOf(upload, "STORE_SECRET_KEY").valueFrom.secretKeyRef), FAKE_SECRETS.backupTargetSecretKey);
    assert.strictEqual(envOf(upload, "RETENTION").value, "7d");
  });

  it("mirrors the object store into the target's minio/ folder when no separate mirror is set", () => {
    const c = mainContainer(s.prod.object(CRONJOB, "minio-mirror", STORAGE_NS));
    assert.strictEqual(envOf(c, "TARGET_URL").value, PROD_TARGET.url);
    assert.strictEqual(envOf(c, "TARGET_BUCKET").value, PROD_TARGET.bucket);
    assert.strictEqual(envOf(c, "TARGET_FOLDER").value, "prod/minio/");
    assert.strictEqual(resolve(s.prod, STORAGE_NS, envOf(c, "TARGET_ACCESS_KEY").valueFrom.secretKeyRef), FAKE_SECRETS.backupTargetAccessKey);
  });

  it("keeps each store's copies as long as backup.retentionDays says", async () => {
    const out = await rendered("prod", { backup: { target: PROD_TARGET, retentionDays: { postgresql: 14, redis: 2, faiss: 3 } } });
    for (const c of clusters(out)) assert.strictEqual(c.inputs.spec.backup.retentionPolicy, "14d");
    assert.strictEqual(envOf(mainContainer(out.object(CRONJOB, "redis-backup", STORAGE_NS)), "RETENTION").value, "2d");
    assert.strictEqual(envOf(mainContainer(out.object(CRONJOB, "faiss-service-backup", APPS_NS)), "RETENTION").value, "3d");
  });

  it("dumps Nacos' MySQL (as its database's owner) and Milvus' etcd daily to the target, before the object store's mirror", () => {
    const mysql = s.prod.object(CRONJOB, "nacos-mysql-backup", STORAGE_NS).inputs.spec;
    const dump = mysql.jobTemplate.spec.template.spec.initContainers[0];
    assert.strictEqual(dump.image, IMAGES.mysql);
    assert.match(dump.command.join(" "), /mysqldump .*--single-transaction.*--databases "\$MYSQL_DATABASE" --result-file=/);
    assert.strictEqual(envOf(dump, "MYSQL_DATABASE").value, "nacos");
    const owner = envOf(mainContainer(s.prod.object(STS, "nacos-mysql", STORAGE_NS)), "MYSQL_PASSWORD").valueFrom.secretKeyRef;
    assert.deepStrictEqual(envOf(dump, "MYSQL_PWD").valueFrom.secretKeyRef, owner, "the owner's password, from the server's own Secret");
    assert.strictEqual(envOf(mysql.jobTemplate.spec.template.spec.containers[0], "TARGET").value, `${PROD_TARGET.bucket}/prod/nacos-mysql`);

    const etcd = s.prod.object(CRONJOB, "milvus-etcd-backup", STORAGE_NS).inputs.spec;
    const snap = etcd.jobTemplate.spec.template.spec.initContainers[0];
    assert.strictEqual(snap.image, IMAGES.etcd);
    assert.deepStrictEqual(snap.command.slice(0, 1).concat(snap.command.slice(2, 4)), ["etcdctl", "snapshot", "save"], "no shell: etcd's image has none");
    const upload = etcd.jobTemplate.spec.template.spec.containers[0];
    assert.strictEqual(envOf(upload, "TARGET").value, `${PROD_TARGET.bucket}/prod/milvus-etcd`);
    assert.match(upload.command.join(" "), /date -u/, "the upload dates each run's folder");
    const minute = (cron: string) => Number(cron.split(" ")[1]) * 60 + Number(cron.split(" ")[0]);
    const mirror = s.prod.object(CRONJOB, "minio-mirror", STORAGE_NS).inputs.spec.schedule;
    assert.ok(minute(etcd.schedule) < minute(mirror) && minute(mirror) - minute(etcd.schedule) <= 15, "etcd's snapshot just before Milvus' objects are mirrored");
    for (const name of ["nacos-mysql-from-nacos-mysql-backup", "milvus-etcd-from-milvus-etcd-backup"]) {
      assert.ok(
        s.prod.ofType(NETPOL).some((p) => p.inputs.metadata.name === name),
        `${name}: the store admits its backup job`,
      );
    }
  });

  it("in dev, without a target, keeps everything in the in-cluster backups bucket and mirrors nothing", () => {
    for (const c of clusters(s.dev)) assert.match(c.inputs.spec.backup.barmanObjectStore.destinationPath, /^s3:\/\/backups\/[a-z-]+$/);
    assert.strictEqual(s.dev.ofType(CRONJOB).filter((c) => c.inputs.metadata.name === "minio-mirror").length, 0);
    assert.strictEqual(s.dev.ofType(SECRET).filter((c) => c.inputs.metadata.name === "backup-target").length, 0);
  });
});

describe("disaster recovery: PostgreSQL point-in-time restore", () => {
  const targetTime = "2026-11-30T09:55:00Z";
  let dev: Rendered;
  let prod: Rendered;
  before(async () => {
    dev = await rendered("dev", { restore: { postgresql: { targetTime } } });
    prod = await rendered("prod", { restore: { postgresql: { clusters: ["posthog-postgresql"] }, confirmStack: "prod" } });
  });

  it("creates a new Cluster from the old one's archive, up to targetTime, and never writes into that archive", () => {
    assert.deepStrictEqual(
      clusters(dev).map((c) => c.inputs.metadata.name),
      ["postgresql-restored"],
    );
    const spec = clusterNamed(dev, "postgresql-restored", STORAGE_NS).inputs.spec;
    assert.strictEqual(spec.bootstrap.initdb, undefined);
    assert.strictEqual(spec.bootstrap.recovery.source, "postgresql");
    // PostgreSQL's own form: CloudNativePG would turn the RFC 3339 "Z" into a value PostgreSQL refuses.
    assert.strictEqual(spec.bootstrap.recovery.recoveryTarget.targetTime, "2026-11-30 09:55:00+00:00");
    const [origin] = spec.externalClusters;
    assert.strictEqual(origin.name, "postgresql");
    assert.strictEqual(origin.barmanObjectStore.destinationPath, "s3://backups/postgresql");
    assert.strictEqual(origin.barmanObjectStore.serverName, "postgresql");
    for (const ref of Object.values<any>(origin.barmanObjectStore.s3Credentials)) resolve(dev, STORAGE_NS, ref);
    assert.strictEqual(spec.backup.barmanObjectStore.destinationPath, "s3://backups/postgresql-restored");
  });

  it("keeps the owner roles' Secrets (the restored roles' passwords) and points the clients at the restored cluster", () => {
    const spec = clusterNamed(dev, "postgresql-restored", STORAGE_NS).inputs.spec;
    const secrets = spec.managed.roles.map((r: any) => r.passwordSecret.name).sort();
    assert.deepStrictEqual(secrets, ["postgresql-conversation-owner", "postgresql-identity-owner", "postgresql-knowledge-owner", "postgresql-model-router-owner"]);
    const hosts = dev
      .ofType(DEPLOYMENT)
      .flatMap((d: RenderedResource) => d.inputs.spec.template.spec.containers)
      .flatMap((c: any) => c.env ?? [])
      .filter((e: any) => e.name === "DATABASE_HOST")
      .map((e: any) => e.value);
    assert.ok(hosts.length > 0, "some client reads DATABASE_HOST");
    for (const h of hosts) assert.strictEqual(h, `postgresql-restored-rw.${STORAGE_NS}.svc.cluster.local`);
  });

  it("puts the PgBouncer pooler in front of the restored cluster, and the pooler's clients follow it", async () => {
    const staging = await rendered("staging", { restore: { postgresql: {}, confirmStack: "staging" } });
    const pooler = staging.object("kubernetes:postgresql.cnpg.io/v1:Pooler", "postgresql-restored-pooler", STORAGE_NS);
    assert.strictEqual(pooler.inputs.spec.cluster.name, "postgresql-restored");
    assert.deepStrictEqual(
      clusters(staging)
        .map((c) => c.inputs.metadata.name)
        .sort(),
      ["postgresql-restored", "posthog-postgresql-restored"],
    );
  });

  it("restores only the clusters named, from the off-cluster target, with the target's keys", () => {
    assert.ok(clusterNamed(prod, "postgresql", STORAGE_NS), "the platform's cluster stays");
    const spec = clusterNamed(prod, "posthog-postgresql-restored", POSTHOG_NS).inputs.spec;
    assert.strictEqual(spec.bootstrap.recovery.recoveryTarget, undefined, "no targetTime: the whole archive is replayed");
    const origin = spec.externalClusters[0].barmanObjectStore;
    assert.strictEqual(origin.destinationPath, `s3://${PROD_TARGET.bucket}/prod/posthog-postgresql`);
    assert.strictEqual(origin.endpointURL, PROD_TARGET.url);
    assert.strictEqual(resolve(prod, POSTHOG_NS, origin.s3Credentials.secretAccessKey), FAKE_SECRETS.backupTargetSecretKey);
  });
});

describe("disaster recovery: Redis restore (standalone)", () => {
  let dev: Rendered;
  before(async () => {
    // Redis and its backup job alone: the restore reads the file name the backup writes.
    dev = await rendered("dev", { services: ["redis", "backup"], restore: { redis: { snapshot: SNAPSHOT } } });
  });

  it("starts Redis on the RDB the hourly backup wrote for this server, as the base of a new append-only file", () => {
    const pod = dev.object(STS, "redis", STORAGE_NS).inputs.spec.template.spec;
    const restore = pod.initContainers.find((c: any) => c.name === "restore");
    assert.ok(restore, "a restore init container");
    // The file name the backup job derives from the node it asks (first label of the host).
    const nodes = envOf(dev.object(CRONJOB, "redis-backup", STORAGE_NS).inputs.spec.jobTemplate.spec.template.spec.initContainers[0], "REDIS_NODES").value.split(" ");
    assert.strictEqual(nodes.length, 1);
    assert.strictEqual(envOf(restore, "SOURCE").value, `backups/redis/${SNAPSHOT}/${nodes[0].split(".")[0]}.rdb`);
    const script = restore.command.join(" ");
    assert.match(script, /appendonlydir\/appendonly\.aof\.1\.base\.rdb/);
    assert.match(script, /file appendonly\.aof\.1\.base\.rdb seq 1 type b/);
    assert.match(script, new RegExp(`\\.restored-from-${SNAPSHOT}`), "runs once per volume");
    assert.strictEqual(restore.volumeMounts.find((m: any) => m.name === "data")?.mountPath, "/data");
    resolve(dev, STORAGE_NS, envOf(restore, "STORE_SECRET_KEY").valueFrom.secretKeyRef);
    assert.ok(dev.object(NETPOL, "minio-from-redis"), "Redis may reach the object store it restores from");
  });
});

describe("disaster recovery: FAISS and object store restores", () => {
  let dev: Rendered;
  let prod: Rendered;
  before(async () => {
    dev = await rendered("dev", { services: ["faiss-service"], restore: { faiss: { snapshot: SNAPSHOT } } });
    prod = await rendered("prod", { restore: { faiss: { snapshot: SNAPSHOT }, minio: {}, confirmStack: "prod" } });
  });

  it("fills FAISS' index volume from the named run before the service starts", () => {
    for (const [out, source] of [
      [dev, `backups/faiss/${SNAPSHOT}`],
      [prod, `${PROD_TARGET.bucket}/prod/faiss/${SNAPSHOT}`],
    ] as const) {
      const pod = out.object(STS, "faiss-service", APPS_NS).inputs.spec.template.spec;
      const restore = pod.initContainers.find((c: any) => c.name === "restore");
      assert.ok(restore, "a restore init container");
      assert.strictEqual(restore.image, IMAGES.minioClient);
      assert.strictEqual(envOf(restore, "SOURCE").value, source);
      assert.deepStrictEqual(restore.volumeMounts.find((m: any) => m.name === "data")?.mountPath, envOf(restore, "DEST").value);
      assert.match(restore.command.join(" "), new RegExp(`\\.restored-from-${SNAPSHOT}`), "runs once per volume");
      resolve(out, APPS_NS, envOf(restore, "STORE_ACCESS_KEY").valueFrom.secretKeyRef);
    }
  });

  it("without restore.faiss, the service starts on its volume as it is", async () => {
    const plain = await rendered("dev");
    const pod = plain.object(STS, "faiss-service", APPS_NS).inputs.spec.template.spec;
    assert.ok(!(pod.initContainers ?? []).some((c: any) => c.name === "restore"));
  });

  it("mirrors the object store back once, from the target's minio/ folder, with the store's administrator keys", () => {
    const job = prod.object(JOB, "minio-restore", STORAGE_NS);
    const c = mainContainer(job);
    assert.match(c.command.join(" "), /mc mirror --overwrite "target\/\$TARGET_BUCKET\/\$TARGET_FOLDER\$bucket" "source\/\$bucket"/);
    assert.strictEqual(envOf(c, "TARGET_FOLDER").value, "prod/minio/");
    assert.deepStrictEqual(envOf(c, "BUCKETS").value.split(" ").sort(), ["backups", "documents", "milvus-bucket", "multimodal", "posthog"]);
    const admin = resolve(prod, STORAGE_NS, envOf(c, "SOURCE_SECRET_KEY").valueFrom.secretKeyRef);
    assert.strictEqual(admin, secretData(prod.object(SECRET, "minio-root", STORAGE_NS)).rootPassword);
    assert.strictEqual(resolve(prod, STORAGE_NS, envOf(c, "TARGET_SECRET_KEY").valueFrom.secretKeyRef), FAKE_SECRETS.backupTargetSecretKey);
    assert.strictEqual(prod.ofType(CRONJOB).filter((r) => r.inputs.metadata.name === "minio-restore").length, 0, "a one-off Job, not a schedule");
  });
});
