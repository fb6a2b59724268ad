/**
 * Daily mirror of the object store's buckets to an S3-compatible store outside the cluster (seed 003:
 * MinIO daily mirror), so losing the cluster does not lose the documents or the other backups. Each
 * bucket lands under `<target bucket>/<bucket>/`; objects deleted here are kept there.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { secretEnv } from "../../kit/container";
import { BatchJob } from "../../kit/job";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret } from "../../kit/secret";
import { WorkloadContext } from "../../kit/workload";
import { ObjectStore, mcAliases, objectStoreEnv } from "../storage/object-store";

const UID = 1000;

export interface MirrorTarget {
  /** The target's S3 endpoint, e.g. "https://s3.eu-central-1.amazonaws.com". */
  url: string;
  bucket: string;
  accessKey: pulumi.Input<string>;
  secretKey: pulumi.Input<string>;
}

export interface MinioMirrorArgs {
  clientImage: string;
  size: ServiceSize;
  objectStore: ObjectStore;
  target: MirrorTarget;
  /** @default "30 3 * * *" (daily, after PostgreSQL's 02:00 base backup) */
  schedule?: string;
}

export function minioMirror(args: MinioMirrorArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const name = "minio-mirror";
  const id = { name, component: "backup", version: imageVersion(args.clientImage) };
  const store = args.objectStore;
  const target = new URL(args.target.url);
  const credentials = new GeneratedSecret(
    `${name}-target`,
    { namespace: ctx.namespace, labels: labelsOf(id), supplied: { accessKey: args.target.accessKey, secretKey: args.target.secretKey } },
    { parent },
  );
  new BatchJob(
    {
      id,
      size: args.size,
      runAsUser: UID,
      schedule: args.schedule ?? "30 3 * * *",
      backoffLimit: 2,
      activeDeadlineSeconds: 6 * 3600,
      containers: [
        {
          name: "mirror",
          image: args.clientImage,
          command: ["sh", "-c", MIRROR_SCRIPT],
          env: [
            ...objectStoreEnv("SOURCE", store, ctx.namespace),
            { name: "TARGET_URL", value: args.target.url },
            { name: "TARGET_BUCKET", value: args.target.bucket },
            secretEnv("TARGET_ACCESS_KEY", credentials.ref("accessKey")),
            secretEnv("TARGET_SECRET_KEY", credentials.ref("secretKey")),
            { name: "BUCKETS", value: store.roles.map((r) => store.buckets[r]).join(" ") },
            { name: "MC_CONFIG_DIR", value: "/tmp/mc" },
          ],
          writablePaths: ["/tmp"],
        },
      ],
      dependencies: [{ endpoint: store.endpoint }],
      // The target is outside the cluster: its port, anywhere.
      egress: [{ role: "mirror-target", ports: [{ protocol: "TCP", port: Number(target.port || (target.protocol === "https:" ? 443 : 80)) }] }],
    },
    ctx,
    { parent },
  );
}

const MIRROR_SCRIPT = `set -eu
${mcAliases([
  { alias: "source", prefix: "SOURCE" },
  { alias: "target", prefix: "TARGET" },
])}for bucket in $BUCKETS; do mc mirror --overwrite "source/$bucket" "target/$TARGET_BUCKET/$bucket"; done
`;
