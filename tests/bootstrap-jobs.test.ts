/**
 * Bootstrap Jobs (buckets, users, schemas, index policies, vhost definitions) are sized by their own
 * row of the sizing tables, not by the backup Jobs' row; the namespace quota's Job slots admit either.
 */
import * as assert from "assert";
import { cpuCores, memoryBytes } from "../components/config/quantity";
import { BOOTSTRAP_JOB, QUOTA_JOB_SLOTS, TIERS, bootstrapJobSize } from "../components/config/sizing";
import { namespaceQuota } from "../components/layers/prerequisites";
import { Rendered, podSpecOf, render } from "./harness";

const STORAGE = "voicehelper-storage";
/** The one-off Jobs the dev stack runs at `pulumi up` in the storage namespace (messaging shares it). */
const BOOTSTRAP_JOBS = ["minio-buckets", "elasticsearch-users", "elasticsearch-retention", "clickhouse-schema", "nacos-admin", "rabbitmq-users"];
/** A backup size no tier row has, so any Job that still borrows it shows. */
const BIG_BACKUP = { requests: { cpu: "700m", memory: "700Mi" }, limits: { cpu: "3", memory: "3Gi" } };

function resourcesOf(r: Rendered, type: string, name: string): any {
  return podSpecOf(r.object(type, name, STORAGE)).containers[0].resources;
}

describe("bootstrap Jobs have their own sizing row", function () {
  let dev: Rendered;
  let bigBackup: Rendered;
  before(async () => {
    dev = await render("dev");
    bigBackup = await render("dev", { overrides: { backup: BIG_BACKUP } });
  });

  it("every tier has a bootstrap row with a request no larger than its limit", () => {
    for (const tier of TIERS) {
      const r = bootstrapJobSize(tier).resources;
      assert.deepEqual(
        [r.requests.cpu, r.limits.cpu, r.requests.memory, r.limits.memory],
        [BOOTSTRAP_JOB[tier].cpu[0], BOOTSTRAP_JOB[tier].cpu[1], BOOTSTRAP_JOB[tier].memory[0], BOOTSTRAP_JOB[tier].memory[1]],
      );
      assert.ok(cpuCores(r.requests.cpu) <= cpuCores(r.limits.cpu) && memoryBytes(r.requests.memory) <= memoryBytes(r.limits.memory), tier);
    }
  });

  it("the bootstrap Jobs run at the tier's bootstrap size", () => {
    const want = dev.config.bootstrapJobSize.resources;
    for (const job of BOOTSTRAP_JOBS) {
      const got = resourcesOf(dev, "kubernetes:batch/v1:Job", job);
      assert.deepEqual([got.requests.cpu, got.requests.memory, got.limits.cpu, got.limits.memory], [want.requests.cpu, want.requests.memory, want.limits.cpu, want.limits.memory], job);
    }
  });

  it("resizing the backup Jobs (overrides.backup) resizes the backup CronJobs and leaves the bootstrap Jobs alone", () => {
    for (const job of BOOTSTRAP_JOBS) {
      assert.deepEqual(resourcesOf(bigBackup, "kubernetes:batch/v1:Job", job), resourcesOf(dev, "kubernetes:batch/v1:Job", job), job);
    }
    const backup = resourcesOf(bigBackup, "kubernetes:batch/v1:CronJob", "redis-backup");
    assert.deepEqual([backup.requests.cpu, backup.limits.memory], [BIG_BACKUP.requests.cpu, BIG_BACKUP.limits.memory]);
  });

  it("the quota's Job slots admit the larger of a backup run and a bootstrap Job", () => {
    const sizes = bigBackup.config.sizes;
    const small = bigBackup.config.bootstrapJobSize;
    const withBigBackup = namespaceQuota("minimal", ["minio"], sizes, small);
    const pods = sizes.minio.replicas;
    const minioOnly = memoryBytes(sizes.minio.resources.limits.memory) * pods;
    assert.equal(withBigBackup.memoryLimits, minioOnly + memoryBytes(BIG_BACKUP.limits.memory) * QUOTA_JOB_SLOTS);

    // A bootstrap Job larger than the backup row takes over the slots' size.
    const bigBootstrap = { replicas: 1, resources: { requests: { cpu: "2", memory: "5Gi" }, limits: { cpu: "4", memory: "6Gi" } } };
    const q = namespaceQuota("minimal", ["minio"], sizes, bigBootstrap);
    assert.equal(q.memoryLimits, minioOnly + memoryBytes("6Gi") * QUOTA_JOB_SLOTS);
    assert.ok(Math.abs(q.cpuRequests - (cpuCores(sizes.minio.resources.requests.cpu) * pods + 2 * QUOTA_JOB_SLOTS)) < 1e-9);
  });

  it("the rendered quota of the storage namespace follows a larger backup row", () => {
    const quota = (r: Rendered) => r.ofType("kubernetes:core/v1:ResourceQuota").find((q) => q.inputs.metadata.namespace === STORAGE)!.inputs.spec.hard;
    assert.ok(memoryBytes(quota(bigBackup)["limits.memory"]) > memoryBytes(quota(dev)["limits.memory"]));
  });
});
