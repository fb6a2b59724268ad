/**
 * faiss-service (in-house image): vector search with its index on a volume claim (a StatefulSet), and a
 * daily copy of the index to the backup target (seed 003: FAISS daily index copy); `restore.faiss` fills
 * each replica's volume from one copy before the service starts.
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
import { backupDownload } from "../backup/download";
import { BackupTarget, targetPaths } from "../backup/target";
import { backupUpload } from "../backup/upload";
import { AiServiceArgs } from "../model-servers/model-server";

const NAME = "faiss-service";
const INDEX = "/data/index";

export interface FaissArgs extends AiServiceArgs {
  /** Where index copies go; no backup (and no restore) without it. */
  backupTarget?: BackupTarget;
  /** Fill the index volume from this backup run (its folder name) before the service starts. */
  restore?: { snapshot: string };
  /** The `mc` client image. */
  clientImage: string;
  jobSize: ServiceSize;
  /** @default "30 2 * * *" (daily) */
  schedule?: string;
  /** Days a copy is kept. @default 7 */
  retentionDays?: number;
}

export function faiss(args: FaissArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  if (args.restore && !args.backupTarget) throw new Error("faiss-service: restore.faiss needs a backup target to restore from");
  const target = args.backupTarget;
  const restoring = args.restore && target ? { target, snapshot: args.restore.snapshot } : undefined;
  const reach = restoring ? targetPaths(restoring.target) : { dependencies: [], egress: [] };
  const workload = inHouseService(
    {
      name: NAME,
      component: "vector-search",
      image: args.image,
      size: args.size,
      // The catalog already makes the in-cluster store a dependency; an off-cluster target is an egress rule.
      dependencies: [
        ...args.dependencies,
        ...reach.dependencies.filter((d) => !args.dependencies.some((x) => x.endpoint.service === d.endpoint.service && x.endpoint.namespace === d.endpoint.namespace)),
      ],
      egress: reach.egress,
      initContainers: restoring && [
        backupDownload({ clientImage: args.clientImage, target: restoring.target, folder: "faiss", snapshot: restoring.snapshot, destination: { volume: "data", path: INDEX } }, ctx.namespace),
      ],
      env: [...args.env, { name: "FAISS_INDEX_DIR", value: INDEX }, { name: "DEVICE", value: args.size.resources.gpu ? "cuda" : "cpu" }],
      dataPath: INDEX,
      // Loading a large index from the volume takes a while.
      startupMinutes: 10,
    },
    ctx,
    parent,
  );
  if (target) faissBackup(args, target, workload.podNames[0], ctx, parent);
  return workload.endpoint;
}

function faissBackup(args: FaissArgs, target: BackupTarget, pod: string, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const paths = targetPaths(target);
  new BatchJob(
    {
      id: { name: `${NAME}-backup`, component: "backup", version: imageVersion(args.image) },
      size: args.jobSize,
      // The index files belong to the service's user; the copy reads them as the same user.
      runAsUser: IN_HOUSE_UID,
      schedule: args.schedule ?? "30 2 * * *",
      backoffLimit: 2,
      containers: [backupUpload({ clientImage: args.clientImage, target, folder: "faiss", source: { volume: "index", path: INDEX }, retentionDays: args.retentionDays, dated: true }, ctx.namespace)],
      volumes: [{ name: "index", persistentVolumeClaim: { claimName: `data-${pod}`, readOnly: true } }],
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { "statefulset.kubernetes.io/pod-name": pod } }, topologyKey: "kubernetes.io/hostname" }],
        },
      },
      dependencies: paths.dependencies,
      egress: paths.egress,
    },
    ctx,
    { parent },
  );
}
