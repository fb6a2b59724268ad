/**
 * The storage layer (seed 003 `02-storage-services`): the platform's data stores.
 */
import * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "../../config/images";
import { Endpoints, LayerArgs, contextFor, isDeployed } from "../context";
import { RedisOutputs, redis } from "./redis";

export type StorageLayerArgs = LayerArgs;

export class StorageLayer extends pulumi.ComponentResource {
  readonly redis?: RedisOutputs;
  readonly endpoints: Endpoints = {};

  constructor(name: string, args: StorageLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:storage:StorageLayer", name, {}, opts);
    if (isDeployed(args, "redis")) {
      this.redis = redis(
        { name: "redis", image: IMAGES.redis, size: args.sizes.redis, jobSize: args.sizes.backup, evictionPolicy: "allkeys-lru" },
        contextFor(args, "redis", "data"),
        this,
      );
      this.endpoints.redis = this.redis.endpoint;
    }
    this.registerOutputs({ endpoints: this.endpoints });
  }
}
