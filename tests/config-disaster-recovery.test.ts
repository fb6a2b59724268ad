/**
 * The `backup` and `restore` settings as an operator meets them: what production refuses, what a
 * restore must name, and the messages that say why.
 */
import { strict as assert } from "assert";
import { ConfigError, PlatformConfig, loadConfig } from "../components/config/schema";
import { postgresRecoveryTime } from "../components/config/disaster-recovery";
import { FAKE_SECRETS, stackSettings } from "./harness";

const NOW = new Date("2026-12-01T12:00:00Z");
const SNAP = "20261130T023000Z";
const TARGET = { url: "https://s3.example.com", bucket: "voicehelper-prod-backups" };
const NO_TARGET_KEYS = Object.fromEntries(Object.entries(FAKE_SECRETS).filter(([k]) => !k.startsWith("backupTarget")));

function load(stack: string, overrides: Record<string, unknown>, secrets = FAKE_SECRETS): PlatformConfig {
  return loadConfig(stack, stackSettings(stack, overrides, secrets), NOW);
}

function problems(stack: string, overrides: Record<string, unknown>, secrets = FAKE_SECRETS): string[] {
  try {
    load(stack, overrides, secrets);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${(e as Error).stack}`);
    return e.problems;
  }
  assert.fail("the configuration was accepted");
}

function expectProblem(stack: string, overrides: Record<string, unknown>, ...patterns: RegExp[]): void {
  const found = problems(stack, overrides);
  for (const p of patterns)
    assert.ok(
      found.some((f) => p.test(f)),
      `no problem matching ${p} in:\n  ${found.join("\n  ")}`,
    );
}

describe("config: backup target", () => {
  it("production refuses backups that never leave the cluster, and says why", () => {
    expectProblem("prod", { backup: {} }, /voicehelper:backup\.target: is required in production: .*losing the cluster loses them too/);
  });

  it("a daily mirror alone does not satisfy production (it is a day behind the 5-minute RPO)", () => {
    const found = problems("prod", { backup: { mirror: TARGET } }, { ...FAKE_SECRETS, backupMirrorAccessKey: "test-not-real-1", backupMirrorSecretKey: "test-not-real-2" });
    assert.ok(
      found.some((p) => /backup\.target: is required in production.*once a day/.test(p)),
      found.join("\n"),
    );
  });

  it("a target needs both keys as config secrets", () => {
    const found = problems("prod", { backup: { target: TARGET } }, NO_TARGET_KEYS);
    for (const k of ["backupTargetAccessKey", "backupTargetSecretKey"]) {
      assert.ok(
        found.some((p) => p.startsWith(`voicehelper:${k}: is required when backup.target is set`)),
        found.join("\n"),
      );
    }
  });

  it("the prod and staging stack files name an off-cluster target and validate with its keys", () => {
    for (const stack of ["prod", "staging"]) {
      const cfg = loadConfig(stack, stackSettings(stack), NOW);
      assert.ok(cfg.backup.target, `${stack} has a target`);
      assert.match(cfg.backup.target.url, /^https:\/\//);
    }
  });

  it("dev may keep its backups in the cluster (the default), with the default retention per store", () => {
    const cfg = loadConfig("dev", stackSettings("dev"), NOW);
    assert.equal(cfg.backup.target, undefined);
    assert.deepEqual(cfg.backup.retentionDays, { postgresql: 30, redis: 7, faiss: 7, nacosMysql: 30, milvusEtcd: 7 });
  });

  it("rejects a retention outside 1-3650 days and a target that is not an http(s) URL", () => {
    expectProblem("dev", { backup: { retentionDays: { redis: 0 } } }, /backup\.retentionDays\.redis: must be a whole number of days from 1 to 3650/);
    expectProblem("dev", { backup: { target: { url: "s3://bucket", bucket: "voicehelper-backups" } } }, /backup\.target\.url: must be the http\(s\) URL/);
    expectProblem("dev", { backup: { retentionDays: { kafka: 3 } } }, /backup\.retentionDays\.kafka: unknown setting/);
  });
});

describe("config: restore", () => {
  it("restores PostgreSQL on dev, every deployed cluster unless some are named", () => {
    const cfg = load("dev", { restore: { postgresql: { targetTime: "2026-11-30T09:55:00Z" } } });
    assert.deepEqual(cfg.restore.postgresql, { clusters: ["postgresql"], targetTime: "2026-11-30T09:55:00Z" });
  });

  it("refuses a point in time that has not happened yet, or is no time at all", () => {
    expectProblem("dev", { restore: { postgresql: { targetTime: "2026-12-01T12:05:00Z" } } }, /restore\.postgresql\.targetTime: 2026-12-01T12:05:00Z is in the future/);
    assert.strictEqual(postgresRecoveryTime("2026-11-30T09:55:00Z"), "2026-11-30 09:55:00+00:00");
    assert.strictEqual(postgresRecoveryTime("2026-11-30T10:55:00.25+01:00"), "2026-11-30 10:55:00.25+01:00");
    expectProblem("dev", { restore: { postgresql: { targetTime: "yesterday" } } }, /restore\.postgresql\.targetTime: must be an RFC 3339 time with its offset/);
    expectProblem("dev", { restore: { postgresql: { targetTime: "2026-13-40T09:00:00Z" } } }, /targetTime: 2026-13-40T09:00:00Z is not a real time/);
    expectProblem("dev", { restore: { postgresql: { targetTime: "2026-02-30T09:00:00+01:00" } } }, /targetTime: 2026-02-30T09:00:00\+01:00 is not a real time/);
    expectProblem("dev", { restore: { postgresql: { targetTime: "2026-11-30 09:55:00+02" } } }, /targetTime: must be an RFC 3339 time/);
  });

  it("refuses a cluster the stack does not run, and a backup run that cannot exist", () => {
    expectProblem("dev", { restore: { postgresql: { clusters: ["posthog-postgresql"] } } }, /restore\.postgresql\.clusters: "posthog-postgresql" is not deployed by this stack; it deploys postgresql/);
    expectProblem("dev", { restore: { postgresql: { clusters: ["mysql"] } } }, /restore\.postgresql\.clusters\.0: must be one of: postgresql, posthog-postgresql/);
    expectProblem("dev", { restore: { faiss: { snapshot: "20261202T000000Z" } } }, /restore\.faiss\.snapshot: 20261202T000000Z is in the future/);
    expectProblem("dev", { restore: { faiss: { snapshot: "latest" } } }, /restore\.faiss\.snapshot: must name one backup run by its folder/);
  });

  it("on a stack that protects its data, restores only when the stack's name is typed back", () => {
    const restore = { postgresql: {} };
    expectProblem("prod", { restore }, /restore\.confirmStack: stack "prod" protects its data \(protectData\), and restoring postgresql replaces what is live; set restore\.confirmStack to "prod"/);
    expectProblem("prod", { restore: { ...restore, confirmStack: "staging" } }, /restore\.confirmStack: .*got "staging"/);
    const cfg = load("prod", { restore: { ...restore, confirmStack: "prod" } });
    assert.deepEqual(cfg.restore.postgresql?.clusters, ["postgresql", "posthog-postgresql"]);
  });

  it("restores Redis only where its backups can be read: the target, or the in-cluster bucket", () => {
    expectProblem("dev", { services: ["redis"], restore: { redis: { snapshot: SNAP } } }, /restore\.redis: needs the backups to restore from: set backup\.target, or deploy minio/);
    assert.ok(load("dev", { services: ["redis"], backup: { target: TARGET }, restore: { redis: { snapshot: SNAP } } }).restore.redis);
  });

  it("restores the object store only from a copy off the cluster", () => {
    expectProblem("dev", { restore: { minio: {} } }, /restore\.minio: needs a copy to restore from/);
    const cfg = load("dev", { backup: { target: TARGET }, restore: { minio: {} } });
    assert.deepEqual(cfg.restore.minio, {});
  });

  it("restores a standalone Redis from one hourly copy; a Redis Cluster is refused with the way to do it by hand", () => {
    assert.deepEqual(load("dev", { restore: { redis: { snapshot: "20261130T100000Z" } } }).restore.redis, { snapshot: "20261130T100000Z" });
    expectProblem(
      "prod",
      { restore: { redis: { snapshot: "20261130T100000Z" }, confirmStack: "prod" } },
      /restore\.redis: restores a standalone Redis only; this stack runs a Redis Cluster of 6 nodes/,
    );
    expectProblem("dev", { restore: { redis: { snapshot: "20261130T250000Z" } } }, /restore\.redis\.snapshot: 20261130T250000Z is not a real time/);
  });

  it("names the stores it can restore; others are unknown settings rather than silently ignored", () => {
    expectProblem("dev", { restore: { neo4j: { snapshot: "20261130T020000Z" } } }, /voicehelper:restore\.neo4j: unknown setting/);
    expectProblem("dev", { restore: { confirmStack: "dev" } }, /restore\.confirmStack: only applies with a store to restore/);
  });

  it("restores nothing by default", () => {
    assert.deepEqual(load("prod", {}).restore, { postgresql: undefined, redis: undefined, faiss: undefined, minio: undefined });
  });
});
