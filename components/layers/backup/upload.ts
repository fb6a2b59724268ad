/**
 * The upload step every backup job ends with: `mc` copies a directory into a folder of the backups
 * bucket and prunes copies older than the retention. Used by the Redis RDB backup and the FAISS index
 * copy; the store's keys are those of the object store's backup client.
 */
import { ContainerSpec } from "../../kit/container";
import { ObjectStore, mcAliases, objectStoreEnv } from "../storage/object-store";

export interface BackupUploadArgs {
  /** The `mc` client image. */
  clientImage: string;
  store: ObjectStore;
  /** Folder inside the backups bucket, e.g. "redis". */
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
      ...objectStoreEnv("STORE", args.store, namespace),
      { name: "TARGET", value: `${args.store.buckets.backups}/${args.folder}` },
      { name: "RETENTION", value: `${args.retentionDays ?? 7}d` },
      { name: "MC_CONFIG_DIR", value: "/tmp/mc" },
    ],
    volumeMounts: [{ name: args.source.volume, mountPath: args.source.path, readOnly: true }],
    writablePaths: ["/tmp"],
  };
}
