import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { loadConfig } from "../../components/config/schema";
import { FAKE_SECRETS, Rendered, render, stackSettings } from "../harness";
import { CRONJOB, SECRET, STORAGE_NS, STS, assertFromGeneratedSecret, envOf, mainContainer, podHostsOf, secretData, stacks } from "./helpers";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("backup: Redis RDB copies", () => {
  const s = stacks("dev", "prod");

  it("copies Redis' RDB to the backup target every hour (dev: the backups bucket; prod: its stack's folder off the cluster), sized as a backup job", () => {
    for (const [out, folder] of [
      [s.dev, /^backups\/redis$/],
      [s.prod, /^voicehelper-prod-backups\/prod\/redis$/],
    ] as const) {
      const cron = out.object(CRONJOB, "redis-backup", STORAGE_NS);
      assert.strictEqual(cron.inputs.spec.schedule, "0 * * * *");
      assert.strictEqual(cron.inputs.spec.concurrencyPolicy, "Forbid");
      const spec = cron.inputs.spec.jobTemplate.spec.template.spec;
      const dump = spec.initContainers[0];
      const upload = spec.containers[0];
      assert.strictEqual(dump.image, IMAGES.redis);
      assert.match(dump.command.join(" "), /redis-cli .*--rdb/);
      assert.strictEqual(upload.image, IMAGES.minioClient);
      assert.match(envOf(upload, "TARGET").value, folder);
      const sized = out.config.sizes.backup.resources;
      assert.deepStrictEqual(
        [upload.resources.requests.cpu, upload.resources.requests.memory, upload.resources.limits.cpu, upload.resources.limits.memory],
        [sized.requests.cpu, sized.requests.memory, sized.limits.cpu, sized.limits.memory],
      );
      assertFromGeneratedSecret(out, STORAGE_NS, upload, "STORE_SECRET_KEY");
      const redisAuth = envOf(mainContainer(out.object(STS, "redis", STORAGE_NS)), "REDISCLI_AUTH").valueFrom;
      assert.deepStrictEqual(envOf(dump, "REDISCLI_AUTH").valueFrom, redisAuth);
    }
  });

  it("asks every Redis Cluster node in prod (it keeps the primaries' snapshots)", () => {
    const dump = s.prod.object(CRONJOB, "redis-backup", STORAGE_NS).inputs.spec.jobTemplate.spec.template.spec.initContainers[0];
    const sts = s.prod.object(STS, "redis", STORAGE_NS);
    assert.deepStrictEqual(
      envOf(dump, "REDIS_NODES").value.split(" "),
      podHostsOf(sts).map((h) => `${h}:6379`),
    );
  });

  it("is allowed to reach Redis and where it writes: the object store in dev, the target's port in prod", () => {
    assert.ok(s.dev.object(NETPOL, "redis-from-redis-backup", STORAGE_NS));
    assert.ok(s.dev.object(NETPOL, "minio-from-redis-backup", STORAGE_NS));
    assert.ok(s.prod.object(NETPOL, "redis-from-redis-backup", STORAGE_NS));
    assert.strictEqual(s.prod.ofType(NETPOL).filter((p) => p.inputs.metadata.name === "minio-from-redis-backup").length, 0);
  });
});

describe("backup: MinIO daily mirror", () => {
  const s = stacks("dev");
  const target = { target: { url: "https://s3.example.com", bucket: "voicehelper-prod-backups" } };
  const mirror = { ...target, mirror: { url: "https://s3.eu-central-1.amazonaws.com", bucket: "voicehelper-offsite" } };
  const keys = { ...FAKE_SECRETS, backupMirrorAccessKey: "AKIATESTNOTAREALKEY01", backupMirrorSecretKey: "test-not-a-real-secret-key-0000000000000" };
  let mirrored: Rendered;
  before(async () => {
    mirrored = await render("prod", { backup: mirror }, keys);
  });

  it("is skipped when nothing off the cluster is configured", () => {
    assert.strictEqual(s.dev.ofType(CRONJOB).filter((c) => c.inputs.metadata.name === "minio-mirror").length, 0);
  });

  it("mirrors every bucket daily to backup.mirror's store, each bucket at its top, with its own keys", () => {
    const cron = mirrored.object(CRONJOB, "minio-mirror", STORAGE_NS);
    assert.strictEqual(cron.inputs.spec.schedule.split(" ").length, 5);
    assert.match(cron.inputs.spec.schedule, /^\d+ \d+ \* \* \*$/, "once a day");
    const c = mainContainer(cron);
    assert.strictEqual(c.image, IMAGES.minioClient);
    assert.strictEqual(envOf(c, "TARGET_URL").value, mirror.mirror.url);
    assert.strictEqual(envOf(c, "TARGET_BUCKET").value, mirror.mirror.bucket);
    assert.strictEqual(envOf(c, "TARGET_FOLDER").value, "");
    // prod runs PostHog self-hosted: its session-replay bucket is mirrored too.
    assert.deepStrictEqual(envOf(c, "BUCKETS").value.split(" ").sort(), ["backups", "documents", "milvus-bucket", "multimodal", "posthog"]);
    const ref = envOf(c, "TARGET_SECRET_KEY").valueFrom.secretKeyRef;
    assert.strictEqual(secretData(mirrored.object(SECRET, ref.name, STORAGE_NS))[ref.key], keys.backupMirrorSecretKey);
    assertFromGeneratedSecret(mirrored, STORAGE_NS, c, "SOURCE_SECRET_KEY");
  });

  it("refuses a target without its keys", () => {
    assert.throws(() => loadConfig("prod", stackSettings("prod", { backup: mirror })), /backupMirrorAccessKey: is required when backup.mirror is set/);
  });
});
