/**
 * The shape every "dump, then upload" backup shares: an init container writes a dated folder of files
 * into a staging volume with the store's own client, then `mc` copies it to the store's folder in the
 * target and prunes copies older than the retention. Redis (RDB), Nacos' MySQL (mysqldump) and Milvus'
 * etcd (snapshot) use it.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { EPHEMERAL_STORAGE } from "../../config/sizing";
import { EnvVar } from "../../kit/container";
import { BatchJob } from "../../kit/job";
import { imageVersion } from "../../kit/labels";
import { Dependency } from "../../kit/network-policy";
import { WorkloadContext } from "../../kit/workload";
import { BackupTarget, targetPaths } from "./target";
import { backupUpload } from "./upload";

const UID = 1000;
/** Where the dump container writes; each run in its own `$STAMP` folder (UTC, e.g. 20261130T100000Z). */
export const STAGING = "/backup";

export interface DumpJobArgs {
  /** The CronJob's name, e.g. "redis-backup". */
  name: string;
  /** The store's image: its client matches the server. */
  image: string;
  /**
   * Shell lines that write `${STAGING}/$STAMP/...` and fail when nothing was written; or, for an image
   * without a shell, one command that writes into `${STAGING}` (the upload then dates the folder).
   */
  dump: { script: string } | { command: string[] };
  env: EnvVar[];
  /** The store, and the ports the dump uses. */
  store: Dependency;
  /** The `mc` client image. */
  clientImage: string;
  size: ServiceSize;
  target: BackupTarget;
  /** Folder of the store in the target, e.g. "redis". */
  folder: string;
  schedule: string;
  retentionDays: number;
}

export function dumpJob(args: DumpJobArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const paths = targetPaths(args.target);
  new BatchJob(
    {
      id: { name: args.name, component: "backup", version: imageVersion(args.image) },
      size: args.size,
      runAsUser: UID,
      schedule: args.schedule,
      backoffLimit: 2,
      initContainers: [
        {
          name: "dump",
          image: args.image,
          command: "command" in args.dump ? args.dump.command : ["sh", "-c", `set -eu\nSTAMP=$(date -u +%Y%m%dT%H%M%SZ)\nmkdir -p ${STAGING}/$STAMP\n${args.dump.script}`],
          env: args.env,
          volumeMounts: [{ name: "staging", mountPath: STAGING }],
        },
      ],
      containers: [
        backupUpload(
          { clientImage: args.clientImage, target: args.target, folder: args.folder, source: { volume: "staging", path: STAGING }, retentionDays: args.retentionDays, dated: "command" in args.dump },
          ctx.namespace,
        ),
      ],
      volumes: [{ name: "staging", emptyDir: { sizeLimit: EPHEMERAL_STORAGE.backupStaging } }],
      dependencies: [args.store, ...paths.dependencies],
      egress: paths.egress,
    },
    ctx,
    { parent },
  );
}
