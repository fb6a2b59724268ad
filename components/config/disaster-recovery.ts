/**
 * The `backup` and `restore` settings: where every backup goes, how long each store's copies are
 * kept, and which stores the next `pulumi up` brings back from those copies. Kept apart from the rest
 * of the contract (schema.ts) because the rules between them are their own: production needs a target
 * outside the cluster, a restore names a time in the past, and a stack that protects its data only
 * restores when the stack's name is typed back.
 */
import { z } from "zod";
import { NO_USERINFO, noUserinfo } from "./url";

/** The PostgreSQL clusters of the platform (CloudNativePG), by the service that deploys them. */
export const POSTGRESQL_CLUSTERS = ["postgresql", "posthog-postgresql"] as const;
export type PostgresqlCluster = (typeof POSTGRESQL_CLUSTERS)[number];

/** Days each store's copies are kept in the backup target, unless `backup.retentionDays` says otherwise. */
export const BACKUP_RETENTION_DEFAULTS = { postgresql: 30, redis: 7, faiss: 7, nacosMysql: 30, milvusEtcd: 7 } as const;
const RETENTION_BOUNDS = { min: 1, max: 3650 } as const;

/** How backup jobs name each run's folder (UTC): `date -u +%Y%m%dT%H%M%SZ`. */
export const SNAPSHOT_ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** RFC 3339 with an explicit offset: what CloudNativePG documents for `recoveryTarget.targetTime`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 time (validated above) in the form PostgreSQL reads for `recovery_target_time`, with a space
 * and a numeric offset: `2026-11-30T09:55:00Z` -> `2026-11-30 09:55:00+00:00`. CloudNativePG 1.27 rewrites
 * any RFC 3339 `targetTime` with Go's `Z07:00` layout, so every UTC time reaches PostgreSQL as
 * `... 09:55:00.000000Z`, which PostgreSQL refuses and the restore never starts (found by the live tier;
 * cloudnative-pg issue #10819). Its webhook accepts this form and passes it through unchanged
 * (docs/disaster-recovery.md, "targetTime as PostgreSQL reads it").
 */
export function postgresRecoveryTime(rfc3339: string): string {
  if (!RFC3339.test(rfc3339)) throw new Error(`not an RFC 3339 time: ${rfc3339}`);
  return rfc3339.replace("T", " ").replace(/Z$/, "+00:00");
}

const days = () => {
  const allowed = `must be a whole number of days from ${RETENTION_BOUNDS.min} to ${RETENTION_BOUNDS.max}`;
  return z.number({ error: allowed }).int(allowed).min(RETENTION_BOUNDS.min, allowed).max(RETENTION_BOUNDS.max, allowed);
};

const s3Store = (example: string) =>
  z
    .object({
      url: z.url({ protocol: /^https?$/, error: `must be the http(s) URL of an S3-compatible endpoint such as ${example}` }).refine(noUserinfo, `${NO_USERINFO}; the store's keys are config secrets`),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)"),
    })
    .strict();

export const backupSchema = z
  .object({
    /** Kept as it was: a daily mirror of the object store's buckets to another store. */
    mirror: s3Store("https://s3.eu-central-1.amazonaws.com").optional(),
    /** Where every backup is written (PostgreSQL base backups and WAL, Redis RDBs, FAISS index copies). */
    target: s3Store("https://s3.eu-central-1.amazonaws.com").optional(),
    retentionDays: z
      .object({
        postgresql: days().default(BACKUP_RETENTION_DEFAULTS.postgresql),
        redis: days().default(BACKUP_RETENTION_DEFAULTS.redis),
        faiss: days().default(BACKUP_RETENTION_DEFAULTS.faiss),
        nacosMysql: days().default(BACKUP_RETENTION_DEFAULTS.nacosMysql),
        milvusEtcd: days().default(BACKUP_RETENTION_DEFAULTS.milvusEtcd),
      })
      .strict()
      .default(BACKUP_RETENTION_DEFAULTS),
  })
  .strict()
  .default({ retentionDays: BACKUP_RETENTION_DEFAULTS });

const snapshot = z.string().regex(SNAPSHOT_ID, "must name one backup run by its folder, e.g. 20261130T020000Z (UTC, as `mc ls` shows it)");

export const restoreSchema = z
  .object({
    postgresql: z
      .object({
        clusters: z
          .array(z.enum(POSTGRESQL_CLUSTERS, { error: `must be one of: ${POSTGRESQL_CLUSTERS.join(", ")}` }))
          .min(1, "must name at least one cluster")
          .optional(),
        targetTime: z.string().regex(RFC3339, "must be an RFC 3339 time with its offset, e.g. 2026-11-30T09:55:00Z").optional(),
      })
      .strict()
      .optional(),
    redis: z.object({ snapshot }).strict().optional(),
    faiss: z.object({ snapshot }).strict().optional(),
    minio: z.object({}).strict().optional(),
    /** The stack's name, typed back: required to restore on a stack that protects its data. */
    confirmStack: z.string().optional(),
  })
  .strict()
  .default({});

export type BackupSettings = z.infer<typeof backupSchema>;
export type RestoreSettings = z.infer<typeof restoreSchema>;

export interface DisasterRecoveryInput {
  stack: string;
  tier: string;
  backup: BackupSettings;
  restore: RestoreSettings;
  /** The resolved protectData. */
  protectData: boolean;
  services: readonly string[];
  /** How many Redis servers the sizing runs (1: standalone). */
  redisNodes: number;
  /** Which of the backup secrets are set. */
  hasSecret: (key: "backupTargetAccessKey" | "backupTargetSecretKey") => boolean;
  now: Date;
  key: (setting: string) => string;
}

/** The cross-setting rules of `backup` and `restore`, as problems to report (empty when all is well). */
export function disasterRecoveryProblems(i: DisasterRecoveryInput): string[] {
  const problems: string[] = [];
  const { backup, restore, key } = i;

  if (backup.target !== undefined) {
    for (const k of ["backupTargetAccessKey", "backupTargetSecretKey"] as const) {
      if (!i.hasSecret(k)) problems.push(`${key(k)}: is required when backup.target is set; set it with \`pulumi config set --secret ${k} <value>\``);
    }
  }
  if (i.tier === "production" && backup.target === undefined) {
    problems.push(
      `${key("backup.target")}: is required in production: without it every backup (PostgreSQL WAL and base backups, Redis RDBs, FAISS index copies) lands in the cluster's own MinIO, and losing the cluster loses them too${backup.mirror ? " (backup.mirror copies them only once a day, far from the 5-minute RPO)" : ""}; set it to an S3-compatible store outside the cluster, e.g. { url: https://s3.eu-central-1.amazonaws.com, bucket: voicehelper-backups }`,
    );
  }

  const stores = (["postgresql", "redis", "faiss", "minio"] as const).filter((s) => restore[s] !== undefined);
  if (stores.length === 0) {
    if (restore.confirmStack !== undefined) problems.push(`${key("restore.confirmStack")}: only applies with a store to restore (restore.postgresql, restore.redis, restore.faiss or restore.minio)`);
    return problems;
  }
  if (i.protectData && restore.confirmStack !== i.stack) {
    problems.push(
      `${key("restore.confirmStack")}: stack "${i.stack}" protects its data (protectData), and restoring ${stores.join(", ")} replaces what is live; set restore.confirmStack to "${i.stack}" to confirm (got ${restore.confirmStack === undefined ? "nothing" : JSON.stringify(restore.confirmStack)})`,
    );
  }
  if (restore.postgresql !== undefined) {
    const deployed = POSTGRESQL_CLUSTERS.filter((c) => i.services.includes(c));
    for (const c of restore.postgresql.clusters ?? []) {
      if (!deployed.includes(c)) problems.push(`${key("restore.postgresql.clusters")}: "${c}" is not deployed by this stack; it deploys ${deployed.join(", ") || "no PostgreSQL cluster"}`);
    }
    if (deployed.length === 0) problems.push(`${key("restore.postgresql")}: this stack deploys no PostgreSQL cluster to restore`);
    const at = restore.postgresql.targetTime;
    const when = at === undefined ? undefined : timeProblem(Date.parse(at), i.now, at.slice(0, 19).split(/[-T:]/).map(Number));
    if (at !== undefined && when !== undefined) {
      problems.push(`${key("restore.postgresql.targetTime")}: ${at} ${when} (now ${i.now.toISOString()}); WAL only exists up to now, so name a past time or leave targetTime out to replay all of it`);
    }
  }
  if (restore.redis !== undefined) {
    if (!i.services.includes("redis")) problems.push(`${key("restore.redis")}: this stack does not deploy redis`);
    else if (i.redisNodes > 1) {
      problems.push(
        `${key("restore.redis")}: restores a standalone Redis only; this stack runs a Redis Cluster of ${i.redisNodes} nodes, whose slots live in each node's own file: restore it by hand (docs/disaster-recovery.md)`,
      );
    }
    problems.push(...snapshotProblems(key("restore.redis.snapshot"), restore.redis.snapshot, i.now));
  }
  for (const store of ["redis", "faiss"] as const) {
    if (restore[store] !== undefined && backup.target === undefined && !i.services.includes("minio")) {
      problems.push(`${key(`restore.${store}`)}: needs the backups to restore from: set backup.target, or deploy minio (its backups bucket)`);
    }
  }
  if (restore.faiss !== undefined) {
    if (!i.services.includes("faiss-service")) problems.push(`${key("restore.faiss")}: this stack does not deploy faiss-service`);
    problems.push(...snapshotProblems(key("restore.faiss.snapshot"), restore.faiss.snapshot, i.now));
  }
  if (restore.minio !== undefined && !(i.services.includes("minio") && i.services.includes("backup"))) {
    problems.push(`${key("restore.minio")}: the restore runs in the backup layer, and this stack does not deploy both minio and backup`);
  }
  if (restore.minio !== undefined && backup.target === undefined && backup.mirror === undefined) {
    problems.push(`${key("restore.minio")}: needs a copy to restore from, and this stack mirrors the object store nowhere; set backup.target (or backup.mirror) to the store that holds the mirror`);
  }
  return problems;
}

/** A backup run's name that cannot exist: not a real time, or not yet. */
function snapshotProblems(setting: string, run: string, now: Date): string[] {
  const m = SNAPSHOT_ID.exec(run);
  const when = m ? timeProblem(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]), now, m.slice(1, 7).map(Number)) : undefined;
  return when === undefined ? [] : [`${setting}: ${run} ${when} (now ${now.toISOString()}); no backup run can have that name yet`];
}

/** Why a time cannot name a backup: not a real time (e.g. 30 February), or not yet. Parts are year, month, day, hour, minute, second. */
function timeProblem(ms: number, now: Date, parts: number[]): string | undefined {
  const [y, mo, d, h, mi, sec] = parts;
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (!Number.isFinite(ms) || mo < 1 || mo > 12 || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) return "is not a real time";
  return ms > now.getTime() ? "is in the future" : undefined;
}
