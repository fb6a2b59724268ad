/**
 * The backup layer (seed 003: PostgreSQL daily full + continuous WAL, Redis hourly RDB + AOF, MinIO
 * daily mirror, FAISS daily index copy). PostgreSQL's backups belong to its operator (storage layer);
 * this layer holds the backup jobs that copy other stores' data into the object store.
 */
import * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "../../config/images";
import { LayerArgs, contextFor, isDeployed } from "../context";
import { ObjectStore } from "../storage/object-store";
import { RedisOutputs } from "../storage/redis";
import { MirrorTarget, minioMirror } from "./minio-mirror";
import { redisBackup } from "./redis";

export interface BackupLayerArgs extends LayerArgs {
  /** Where backups are written (its `backups` bucket). */
  objectStore: ObjectStore;
  redis?: RedisOutputs;
  /** Off-cluster target of the object store's daily mirror; no mirror when undefined. */
  mirror?: MirrorTarget;
}

export class BackupLayer extends pulumi.ComponentResource {
  constructor(name: string, args: BackupLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:backup:BackupLayer", name, {}, opts);
    if (isDeployed(args, "backup") && args.redis) {
      redisBackup(
        { redisImage: IMAGES.redis, clientImage: IMAGES.minioClient, size: args.sizes.backup, redis: args.redis, objectStore: args.objectStore },
        contextFor(args, "backup", "platform"),
        this,
      );
    }
    if (isDeployed(args, "backup") && args.mirror) {
      minioMirror(
        { clientImage: IMAGES.minioClient, size: args.sizes.backup, objectStore: args.objectStore, target: args.mirror },
        contextFor(args, "backup", "platform"),
        this,
      );
    }
    this.registerOutputs({});
  }
}
