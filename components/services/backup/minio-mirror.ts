/**
 * The object store's buckets copied to a store outside the cluster (seed 003: MinIO daily mirror), so
 * losing the cluster does not lose the documents, and the way back. Each bucket lands under
 * `<target bucket>/<folder><bucket>/`; objects deleted here are kept there. The restore is the same
 * mirror the other way round, run once.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { BatchJob } from "../../kit/job";
import { imageVersion } from "../../kit/labels";
import { SharedCredential } from "../../kit/secret";
import { WorkloadContext } from "../../kit/workload";
import { ObjectStore, mcAliases, objectStoreEnv } from "../minio/object-store";
import { BackupTarget, urlPort } from "./target";

const UID = 1000;

/** Where the mirror lives: a target, and the folder of its bucket that holds one folder per bucket. */
export interface MirrorDestination {
  target: Pick<BackupTarget, "url" | "bucket" | "root" | "accessKey" | "secretKey">;
  /** "" (each bucket at the top of the target's root) or a folder ending in "/", e.g. "minio/". */
  folder: string;
}

export interface MinioMirrorArgs {
  clientImage: string;
  size: ServiceSize;
  objectStore: ObjectStore;
  destination: MirrorDestination;
  /** @default "30 3 * * *" (daily, after PostgreSQL's 02:00 base backup) */
  schedule?: string;
}

/** The daily copy, with the backup client's keys (it reads every bucket). */
export function minioMirror(args: MinioMirrorArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  mirrorJob({ ...args, name: "minio-mirror", direction: "backup", schedule: args.schedule ?? "30 3 * * *", storeKeys: args.objectStore }, ctx, parent);
}

export interface MinioRestoreArgs extends Omit<MinioMirrorArgs, "schedule"> {
  /** Keys that may write every bucket: the store's administrator (the backup client only reads them). */
  admin: { accessKey: SharedCredential; secretKey: SharedCredential };
}

/** Copies the mirror back into the buckets once (`restore.minio`); objects that exist are overwritten. */
export function minioRestore(args: MinioRestoreArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  mirrorJob({ ...args, name: "minio-restore", direction: "restore", storeKeys: args.admin }, ctx, parent);
}

interface MirrorJobArgs extends Omit<MinioMirrorArgs, "schedule"> {
  name: string;
  direction: "backup" | "restore";
  schedule?: string;
  storeKeys: { accessKey: SharedCredential; secretKey: SharedCredential };
}

function mirrorJob(args: MirrorJobArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const store = args.objectStore;
  const { target, folder } = args.destination;
  new BatchJob(
    {
      id: { name: args.name, component: args.direction, version: imageVersion(args.clientImage) },
      size: args.size,
      runAsUser: UID,
      schedule: args.schedule,
      backoffLimit: 2,
      activeDeadlineSeconds: 6 * 3600,
      containers: [
        {
          name: args.direction === "backup" ? "mirror" : "restore",
          image: args.clientImage,
          command: ["sh", "-c", args.direction === "backup" ? MIRROR_SCRIPT : RESTORE_SCRIPT],
          env: [
            ...objectStoreEnv("SOURCE", { url: store.url, ...args.storeKeys }, ctx.namespace),
            ...objectStoreEnv("TARGET", target, ctx.namespace),
            { name: "TARGET_BUCKET", value: target.bucket },
            { name: "TARGET_FOLDER", value: `${target.root}${folder}` },
            { name: "BUCKETS", value: store.roles.map((r) => store.buckets[r]).join(" ") },
            { name: "MC_CONFIG_DIR", value: "/tmp/mc" },
          ],
          writablePaths: ["/tmp"],
        },
      ],
      dependencies: [{ endpoint: store.endpoint }],
      // The target is outside the cluster: its port, anywhere.
      egress: [{ role: "mirror-target", ports: [{ protocol: "TCP", port: urlPort(target.url) }] }],
    },
    ctx,
    { parent },
  );
}

const ALIASES = mcAliases([
  { alias: "source", prefix: "SOURCE" },
  { alias: "target", prefix: "TARGET" },
]);

const MIRROR_SCRIPT = `set -eu
${ALIASES}for bucket in $BUCKETS; do mc mirror --overwrite "source/$bucket" "target/$TARGET_BUCKET/$TARGET_FOLDER$bucket"; done
`;

/** A bucket the mirror does not hold (e.g. PostHog's, before PostHog was self-hosted) is skipped, and said so. */
const RESTORE_SCRIPT = `set -eu
${ALIASES}for bucket in $BUCKETS; do
  if [ -z "$(mc ls "target/$TARGET_BUCKET/$TARGET_FOLDER$bucket/" | head -n 1)" ]; then echo "no mirror of $bucket in the target; skipped"; continue; fi
  mc mirror --overwrite "target/$TARGET_BUCKET/$TARGET_FOLDER$bucket" "source/$bucket"
done
`;
