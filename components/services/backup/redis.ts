/**
 * Hourly Redis RDB copy to the backup target (seed 003: hourly RDB + AOF; the AOF stays on the Redis
 * volume). `redis-cli --rdb` asks each primary for a fresh snapshot over the replication protocol, so
 * nothing is read from Redis' volume. Each primary's file is named after the first label of its host
 * (`redis.rdb` standalone, `redis-<n>.rdb` in a Redis Cluster): what `restore.redis` looks for.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { secretEnv } from "../../kit/container";
import { WorkloadContext } from "../../kit/workload";
import { RedisOutputs } from "../redis/redis";
import { STAGING, dumpJob } from "./dump";
import { BackupTarget } from "./target";

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
  dumpJob(
    {
      name: "redis-backup",
      image: args.redisImage,
      dump: { script: DUMP_SCRIPT },
      env: [secretEnv("REDISCLI_AUTH", args.redis.password.in(ctx.namespace)), { name: "REDIS_NODES", value: args.redis.nodes.join(" ") }],
      store: { endpoint: args.redis.endpoint, ports: [args.redis.endpoint.primaryPort] },
      clientImage: args.clientImage,
      size: args.size,
      target: args.target,
      folder: "redis",
      schedule: args.schedule ?? "0 * * * *",
      retentionDays: args.retentionDays ?? 7,
    },
    ctx,
    parent,
  );
}

/** Snapshots every primary (a standalone server is its own primary) into the run's folder. */
const DUMP_SCRIPT = `for node in $REDIS_NODES; do
  host=\${node%:*}; port=\${node##*:}
  if redis-cli -h "$host" -p "$port" role | head -n 1 | grep -q master; then
    redis-cli -h "$host" -p "$port" --rdb "${STAGING}/$STAMP/\${host%%.*}.rdb"
  fi
done
ls ${STAGING}/$STAMP/*.rdb >/dev/null
`;
