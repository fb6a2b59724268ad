/**
 * faiss-service (in-house image): vector search with its index on a volume claim (a StatefulSet), and a
 * daily copy of the index to the object store's backups bucket (seed 003: FAISS daily index copy).
 * The copy reads replica 0's volume: a ReadWriteOnce claim can be mounted by a second pod only on the
 * same node, so the backup pod is scheduled next to `faiss-service-0` and mounts the claim read-only.
 * Every replica builds the same index, so one copy restores any of them.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { ServiceEndpoint } from "../../kit/endpoint";
import { IN_HOUSE_UID, inHouseService } from "../../kit/in-house";
import { BatchJob } from "../../kit/job";
import { imageVersion } from "../../kit/labels";
import { WorkloadContext } from "../../kit/workload";
import { backupUpload } from "../backup/upload";
import { ObjectStore } from "../storage/object-store";
import { AiServiceArgs } from "./service";

const NAME = "faiss-service";
const INDEX = "/data/index";

export interface FaissArgs extends AiServiceArgs {
  /** The object store as the backup client sees it (writes the backups bucket); no backup without it. */
  backupStore?: ObjectStore;
  /** The `mc` client image. */
  clientImage: string;
  jobSize: ServiceSize;
  /** @default "30 2 * * *" (daily) */
  schedule?: string;
  /** Days a copy is kept. @default 7 */
  retentionDays?: number;
}

export function faiss(args: FaissArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const workload = inHouseService(
    {
      name: NAME,
      component: "vector-search",
      image: args.image,
      size: args.size,
      dependencies: args.dependencies,
      env: [...args.env, { name: "FAISS_INDEX_DIR", value: INDEX }, { name: "DEVICE", value: args.size.resources.gpu ? "cuda" : "cpu" }],
      dataPath: INDEX,
      // Loading a large index from the volume takes a while.
      startupMinutes: 10,
    },
    ctx,
    parent,
  );
  if (args.backupStore) faissBackup(args, args.backupStore, workload.podNames[0], ctx, parent);
  return workload.endpoint;
}

function faissBackup(args: FaissArgs, store: ObjectStore, pod: string, ctx: WorkloadContext, parent: pulumi.Resource): void {
  new BatchJob(
    {
      id: { name: `${NAME}-backup`, component: "backup", version: imageVersion(args.image) },
      size: args.jobSize,
      // The index files belong to the service's user; the copy reads them as the same user.
      runAsUser: IN_HOUSE_UID,
      schedule: args.schedule ?? "30 2 * * *",
      backoffLimit: 2,
      containers: [backupUpload({ clientImage: args.clientImage, store, folder: "faiss", source: { volume: "index", path: INDEX }, retentionDays: args.retentionDays, dated: true }, ctx.namespace)],
      volumes: [{ name: "index", persistentVolumeClaim: { claimName: `data-${pod}`, readOnly: true } }],
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { "statefulset.kubernetes.io/pod-name": pod } }, topologyKey: "kubernetes.io/hostname" }],
        },
      },
      dependencies: [{ endpoint: store.endpoint }],
    },
    ctx,
    { parent },
  );
}
