/**
 * The backup layer (seed 003: PostgreSQL daily full + continuous WAL, Redis hourly RDB + AOF, MinIO
 * daily mirror, FAISS daily index copy). PostgreSQL's backups belong to its operator (storage layer)
 * and FAISS' to its service (AI layer); this layer holds the jobs that copy other stores' data to the
 * backup target, the object store's mirror, and the object store's restore.
 */
import * as pulumi from "@pulumi/pulumi";
import { S3Target } from "../../config/schema";
import { IMAGES } from "../../config/images";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { SharedCredential } from "../../kit/secret";
import { LayerArgs, contextFor, isDeployed } from "../context";
import { ObjectStore } from "../../services/minio/object-store";
import { RedisOutputs } from "../../services/redis/redis";
import { MirrorDestination, minioMirror, minioRestore } from "../../services/backup/minio-mirror";
import { redisBackup } from "../../services/backup/redis";
import { etcdBackup, mysqlBackup } from "../../services/backup/stores";
import { EtcdOutputs } from "../../services/milvus/milvus-etcd";
import { MysqlOutputs } from "../../services/nacos/mysql";
import { BackupTarget, offClusterTarget } from "../../services/backup/target";

export interface BackupLayerArgs extends LayerArgs {
  /** The object store as the backup client sees it (it reads every bucket for the mirror). */
  objectStore: ObjectStore;
  /** Where backups are written. */
  target: BackupTarget;
  redis?: RedisOutputs;
  /** Nacos' MySQL and Milvus' etcd, when deployed: dumped daily. */
  nacosMysql?: MysqlOutputs;
  milvusEtcd?: EtcdOutputs;
  /** Days each store's copies are kept. */
  retentionDays: { redis: number; nacosMysql: number; milvusEtcd: number };
  /** A store of its own for the object store's daily mirror (`backup.mirror`); the target's `minio/` folder when undefined. */
  mirror?: S3Target;
  /** Mirror the object store back from its copy (`restore.minio`), with the store's administrator keys. */
  restoreObjectStore?: { admin: { accessKey: SharedCredential; secretKey: SharedCredential } };
}

export class BackupLayer extends pulumi.ComponentResource {
  constructor(name: string, args: BackupLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:backup:BackupLayer", name, {}, opts);
    const ctx = contextFor(args, "backup", "platform");
    if (!isDeployed(args, "backup")) {
      this.registerOutputs({});
      return;
    }
    if (args.redis) {
      redisBackup({ redisImage: IMAGES.redis, clientImage: IMAGES.minioClient, size: args.sizes.backup, redis: args.redis, target: args.target, retentionDays: args.retentionDays.redis }, ctx, this);
    }
    const common = { clientImage: IMAGES.minioClient, size: args.sizes.backup, target: args.target };
    if (args.nacosMysql) mysqlBackup({ ...common, name: "nacos-mysql", image: IMAGES.mysql, mysql: args.nacosMysql, retentionDays: args.retentionDays.nacosMysql }, ctx, this);
    if (args.milvusEtcd) etcdBackup({ ...common, name: "milvus-etcd", image: IMAGES.etcd, etcd: args.milvusEtcd, retentionDays: args.retentionDays.milvusEtcd }, ctx, this);
    const destination = mirrorDestination(args, ctx.namespace, this);
    if (destination) {
      const mirror = { clientImage: IMAGES.minioClient, size: args.sizes.backup, objectStore: args.objectStore, destination };
      minioMirror(mirror, ctx, this);
      if (args.restoreObjectStore) minioRestore({ ...mirror, admin: args.restoreObjectStore.admin }, ctx, this);
    }
    this.registerOutputs({});
  }
}

/**
 * `backup.mirror` keeps its meaning (each bucket at the top of its own store); otherwise an off-cluster
 * target holds the mirror in its `minio/` folder. Mirroring the in-cluster store into itself would
 * protect nothing, so without either there is no mirror.
 */
function mirrorDestination(args: BackupLayerArgs, namespace: string, parent: pulumi.Resource): MirrorDestination | undefined {
  if (args.mirror) {
    return {
      target: offClusterTarget(
        "minio-mirror-target",
        { ...args.mirror, root: "" },
        namespace,
        labelsOf({ name: "minio-mirror", component: "backup", version: imageVersion(IMAGES.minioClient) }),
        parent,
      ),
      folder: "",
    };
  }
  return args.target.offCluster ? { target: args.target, folder: "minio/" } : undefined;
}
