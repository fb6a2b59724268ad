/**
 * The restore steps for stores whose data lives on a volume: an init container that fills the volume
 * from one backup run in the target before the server starts. It runs once per volume (a marker file
 * named for the run keeps later restarts from overwriting newer data), and a run that does not exist
 * stops the pod with the path it looked for. FAISS' index is copied as it is; Redis has its own layout
 * (redis-restore.ts).
 */
import { ContainerSpec } from "../../kit/container";
import { mcAliases, objectStoreEnv } from "../minio/object-store";
import { BackupTarget, targetPath } from "./target";

export interface RestoreStepArgs {
  /** The `mc` client image. */
  clientImage: string;
  target: BackupTarget;
  /** What to restore, inside the stack's root of the target, e.g. "faiss/20261130T023000Z". */
  source: string;
  /** The backup run's name, for the marker. */
  snapshot: string;
  /** The volume to fill, and where the container mounts it. */
  destination: { volume: string; path: string };
  /** Shell lines run after the checks: `$SOURCE` (an `mc` path under the alias `store`) into `$DEST`. */
  fill: string;
  /** `mc` sub-command that proves the source exists: `stat` for a file, `ls` for a folder. @default "ls" */
  check?: "ls" | "stat";
}

export function restoreStep(args: RestoreStepArgs, namespace: string): ContainerSpec {
  const marker = `"$DEST/.restored-from-${args.snapshot}"`;
  const exists = args.check === "stat" ? `mc stat "store/$SOURCE" >/dev/null 2>&1` : `[ -n "$(mc ls "store/$SOURCE/" | head -n 1)" ]`;
  return {
    name: "restore",
    image: args.clientImage,
    command: [
      "sh",
      "-c",
      `set -eu
if [ -e ${marker} ]; then echo "already restored from $SOURCE"; exit 0; fi
${mcAliases([{ alias: "store", prefix: "STORE" }])}${exists} || { echo "no backup at $SOURCE" >&2; exit 1; }
${args.fill}touch ${marker}
`,
    ],
    env: [
      ...objectStoreEnv("STORE", args.target, namespace),
      { name: "SOURCE", value: targetPath(args.target, args.source) },
      { name: "DEST", value: args.destination.path },
      { name: "MC_CONFIG_DIR", value: "/tmp/mc" },
    ],
    volumeMounts: [{ name: args.destination.volume, mountPath: args.destination.path }],
    writablePaths: ["/tmp"],
  };
}

export interface BackupDownloadArgs extends Omit<RestoreStepArgs, "source" | "fill" | "check"> {
  /** Folder of the store in the target, e.g. "faiss". */
  folder: string;
}

/** A directory copied back as it is (FAISS' index). */
export function backupDownload(args: BackupDownloadArgs, namespace: string): ContainerSpec {
  return restoreStep(
    {
      ...args,
      source: `${args.folder}/${args.snapshot}`,
      fill: `find "$DEST" -mindepth 1 -delete
mc cp --recursive "store/$SOURCE/" "$DEST/"
`,
    },
    namespace,
  );
}
