/**
 * Redis brought back from one hourly RDB copy (`restore.redis`), standalone Redis only. With
 * `appendonly yes` Redis loads its append-only files at start and never `dump.rdb`, so the init container
 * makes the RDB the base of a new multi-part AOF (`appendonlydir/`, a manifest naming one `type b` base
 * file; Redis reads a base file that starts with the RDB signature as an RDB). Redis then starts on the
 * copy and appends from there.
 */
import { ContainerSpec } from "../../kit/container";
import { Dependency, EgressRule } from "../../kit/network-policy";
import { restoreStep } from "./download";
import { BackupTarget, targetPaths } from "./target";

/** Redis' defaults for `appenddirname` and `appendfilename`, which the platform's redis.conf keeps. */
const AOF_DIR = "appendonlydir";
const BASE = "appendonly.aof.1.base.rdb";

export interface RedisRestoreArgs {
  clientImage: string;
  target: BackupTarget;
  /** The backup run: its folder name (UTC time, e.g. 20261130T100000Z). */
  snapshot: string;
  /** The file the backup job wrote for this server: `<host's first label>.rdb`. */
  file: string;
  /** Redis' data directory (the volume named "data"). */
  dataPath: string;
}

export function redisRestore(args: RedisRestoreArgs, namespace: string): { container: ContainerSpec; dependencies: Dependency[]; egress: EgressRule[] } {
  const container = restoreStep(
    {
      clientImage: args.clientImage,
      target: args.target,
      snapshot: args.snapshot,
      source: `redis/${args.snapshot}/${args.file}`,
      check: "stat",
      destination: { volume: "data", path: args.dataPath },
      fill: `rm -rf "$DEST/${AOF_DIR}" "$DEST/dump.rdb"
mkdir -p "$DEST/${AOF_DIR}"
mc cp "store/$SOURCE" "$DEST/${AOF_DIR}/${BASE}"
printf 'file ${BASE} seq 1 type b\\n' > "$DEST/${AOF_DIR}/appendonly.aof.manifest"
`,
    },
    namespace,
  );
  return { container, ...targetPaths(args.target) };
}
