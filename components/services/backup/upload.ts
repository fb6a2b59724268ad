/**
 * The upload step every backup job ends with: `mc` copies a directory into a folder of the backup
 * target and prunes copies older than the retention. Used by the Redis RDB backup and the FAISS index
 * copy.
 */
import { ContainerSpec } from "../../kit/container";
import { mcAliases, objectStoreEnv } from "../minio/object-store";
import { BackupTarget, targetPath } from "./target";

export interface BackupUploadArgs {
  /** The `mc` client image. */
  clientImage: string;
  target: BackupTarget;
  /** Folder inside the target's bucket, e.g. "redis". */
  folder: string;
  /** The volume holding what to upload, and where the container mounts it (read-only). */
  source: { volume: string; path: string };
  /** Days a copy is kept. @default 7 */
  retentionDays?: number;
  /** Put each run's files into a new folder named for the time (when the source is not dated already). @default false */
  dated?: boolean;
}

export function backupUpload(args: BackupUploadArgs, namespace: string): ContainerSpec {
  const dest = args.dated ? `"store/$TARGET/$(date -u +%Y%m%dT%H%M%SZ)/"` : `"store/$TARGET/"`;
  return {
    name: "upload",
    image: args.clientImage,
    command: [
      "sh",
      "-c",
      `set -eu
${mcAliases([{ alias: "store", prefix: "STORE" }])}mc cp --recursive ${args.source.path}/ ${dest}
mc rm --recursive --force --older-than "$RETENTION" "store/$TARGET/" || true
`,
    ],
    env: [
      ...objectStoreEnv("STORE", args.target, namespace),
      { name: "TARGET", value: targetPath(args.target, args.folder) },
      { name: "RETENTION", value: `${args.retentionDays ?? 7}d` },
      { name: "MC_CONFIG_DIR", value: "/tmp/mc" },
    ],
    volumeMounts: [{ name: args.source.volume, mountPath: args.source.path, readOnly: true }],
    writablePaths: ["/tmp"],
  };
}
