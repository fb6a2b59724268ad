/**
 * The restore step for a store whose data is a directory on a volume (FAISS' index): an init container
 * that fills the volume from one backup run in the target before the service starts. It runs once per
 * volume: a marker file named for the run keeps later restarts from overwriting newer data, and a run
 * that does not exist stops the pod with the folder it looked in.
 */
import { ContainerSpec } from "../../kit/container";
import { mcAliases, objectStoreEnv } from "../storage/object-store";
import { BackupTarget, targetPath } from "./target";

export interface BackupDownloadArgs {
  /** The `mc` client image. */
  clientImage: string;
  target: BackupTarget;
  /** Folder of the store in the target, e.g. "faiss". */
  folder: string;
  /** The backup run: its folder name (UTC time, e.g. 20261130T023000Z). */
  snapshot: string;
  /** The volume to fill, and where the container mounts it. */
  destination: { volume: string; path: string };
}

/** The marker a restored volume carries, so the restore runs only once per run named. */
export function restoreMarker(snapshot: string): string {
  return `.restored-from-${snapshot}`;
}

export function backupDownload(args: BackupDownloadArgs, namespace: string): ContainerSpec {
  return {
    name: "restore",
    image: args.clientImage,
    command: [
      "sh",
      "-c",
      `set -eu
if [ -e "$DEST/${restoreMarker(args.snapshot)}" ]; then echo "already restored from $SOURCE"; exit 0; fi
${mcAliases([{ alias: "store", prefix: "STORE" }])}if [ -z "$(mc ls "store/$SOURCE/" | head -n 1)" ]; then echo "no backup at $SOURCE (list the runs with: mc ls store/\${SOURCE%/*}/)" >&2; exit 1; fi
find "$DEST" -mindepth 1 -delete
mc cp --recursive "store/$SOURCE/" "$DEST/"
touch "$DEST/${restoreMarker(args.snapshot)}"
`,
    ],
    env: [
      ...objectStoreEnv("STORE", args.target, namespace),
      { name: "SOURCE", value: targetPath(args.target, `${args.folder}/${args.snapshot}`) },
      { name: "DEST", value: args.destination.path },
      { name: "MC_CONFIG_DIR", value: "/tmp/mc" },
    ],
    volumeMounts: [{ name: args.destination.volume, mountPath: args.destination.path }],
    writablePaths: ["/tmp"],
  };
}
