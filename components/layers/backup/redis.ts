/**
 * Hourly Redis RDB copy to the backup target (seed 003: hourly RDB + AOF; the AOF stays on the Redis
 * volume). `redis-cli --rdb` asks each primary for a fresh snapshot over the replication protocol, so
 * nothing is read from Redis' volume; `mc` uploads the files and prunes copies older than the retention.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { secretEnv } from "../../kit/container";
import { BatchJob } from "../../kit/job";
import { imageVersion } from "../../kit/labels";
import { WorkloadContext } from "../../kit/workload";
import { RedisOutputs } from "../storage/redis";
import { BackupTarget, targetPaths } from "./target";
import { backupUpload } from "./upload";

const UID = 1000;
const STAGING = "/backup";

export interface RedisBackupArgs {
  /** The Redis image (its redis-cli matches the server). */
  redisImage: string;
  /** The `mc` client image. */
  clientImage: string;
  size: ServiceSize;
  redis: RedisOutputs;
  target: BackupTarget;
  /** @default "0 * * * *" (hourly) */
  schedule?: string;
  /** Days a copy is kept. @default 7 */
  retentionDays?: number;
}

export function redisBackup(args: RedisBackupArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const paths = targetPaths(args.target);
  new BatchJob(
    {
      id: { name: "redis-backup", component: "backup", version: imageVersion(args.redisImage) },
      size: args.size,
      runAsUser: UID,
      schedule: args.schedule ?? "0 * * * *",
      backoffLimit: 2,
      initContainers: [
        {
          name: "dump",
          image: args.redisImage,
          command: ["sh", "-c", DUMP_SCRIPT],
          env: [secretEnv("REDISCLI_AUTH", args.redis.password.in(ctx.namespace)), { name: "REDIS_NODES", value: args.redis.nodes.join(" ") }],
          volumeMounts: [{ name: "staging", mountPath: STAGING }],
        },
      ],
      containers: [
        backupUpload({ clientImage: args.clientImage, target: args.target, folder: "redis", source: { volume: "staging", path: STAGING }, retentionDays: args.retentionDays }, ctx.namespace),
      ],
      volumes: [{ name: "staging", emptyDir: {} }],
      dependencies: [
        { endpoint: args.redis.endpoint, ports: [Object.keys(args.redis.endpoint.ports)[0]] },
        ...paths.dependencies,
      ],
      egress: paths.egress,
    },
    ctx,
    { parent },
  );
}

/** Snapshots every primary (a standalone server is its own primary) into the staging volume. */
const DUMP_SCRIPT = `set -eu
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p ${STAGING}/$stamp
for node in $REDIS_NODES; do
  host=\${node%:*}; port=\${node##*:}
  if redis-cli -h "$host" -p "$port" role | head -n 1 | grep -q master; then
    redis-cli -h "$host" -p "$port" --rdb "${STAGING}/$stamp/\${host%%.*}.rdb"
  fi
done
ls ${STAGING}/$stamp/*.rdb >/dev/null
`;
