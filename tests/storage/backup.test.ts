import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { CRONJOB, STORAGE_NS, STS, assertFromGeneratedSecret, envOf, mainContainer, podHostsOf, stacks } from "./helpers";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("backup: Redis RDB copies", () => {
  const s = stacks("dev", "prod");

  it("copies Redis' RDB to the object store's backups bucket every hour, sized as a backup job", () => {
    for (const out of [s.dev, s.prod]) {
      const cron = out.object(CRONJOB, "redis-backup", STORAGE_NS);
      assert.strictEqual(cron.inputs.spec.schedule, "0 * * * *");
      assert.strictEqual(cron.inputs.spec.concurrencyPolicy, "Forbid");
      const spec = cron.inputs.spec.jobTemplate.spec.template.spec;
      const dump = spec.initContainers[0];
      const upload = spec.containers[0];
      assert.strictEqual(dump.image, IMAGES.redis);
      assert.match(dump.command.join(" "), /redis-cli .*--rdb/);
      assert.strictEqual(upload.image, IMAGES.minioClient);
      assert.match(envOf(upload, "TARGET").value, /^backups\//);
      assert.deepStrictEqual(upload.resources, out.config.sizes.backup.resources);
      assertFromGeneratedSecret(out, STORAGE_NS, upload, "STORE_SECRET_KEY");
      const redisAuth = envOf(mainContainer(out.object(STS, "redis", STORAGE_NS)), "REDIS_PASSWORD").valueFrom;
      assert.deepStrictEqual(envOf(dump, "REDISCLI_AUTH").valueFrom, redisAuth);
    }
  });

  it("asks every Redis Cluster node in prod (it keeps the primaries' snapshots)", () => {
    const dump = s.prod.object(CRONJOB, "redis-backup", STORAGE_NS).inputs.spec.jobTemplate.spec.template.spec.initContainers[0];
    const sts = s.prod.object(STS, "redis", STORAGE_NS);
    assert.deepStrictEqual(envOf(dump, "REDIS_NODES").value.split(" "), podHostsOf(sts).map((h) => `${h}:6379`));
  });

  it("is allowed to reach Redis and the object store, and nothing else it did not declare", () => {
    const out = s.prod;
    assert.ok(out.object(NETPOL, "redis-from-redis-backup", STORAGE_NS));
    assert.ok(out.object(NETPOL, "minio-from-redis-backup", STORAGE_NS));
  });
});
