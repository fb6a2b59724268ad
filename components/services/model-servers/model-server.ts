/**
 * What the AI layer hands each of its service builders, and the one builder the model servers share.
 * bge-service (embeddings), speech-service (ASR) and tts-service (TTS) are the same shape: an in-house
 * image that loads a model on start and benefits from a GPU (`overrides.<service>.gpu`; the kit adds
 * the GPU request and toleration when the size has one). They differ only in name and role.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { EPHEMERAL_STORAGE } from "../../config/sizing";
import { EnvVar } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { inHouseService } from "../../kit/in-house";
import { Dependency } from "../../kit/network-policy";
import { WorkloadContext } from "../../kit/workload";

export interface AiServiceArgs {
  image: string;
  size: ServiceSize;
  dependencies: Dependency[];
  /** Env derived from the dependencies (stores' addresses and credentials, other services' URLs). */
  env: EnvVar[];
}

/** Model weights are fetched on first start into this cache (an emptyDir: re-fetched when a pod moves). */
export const MODEL_CACHE = "/models";
/** Minutes a model server may take to load its model before liveness takes over. */
export const MODEL_LOAD_MINUTES = 10;

/** The model servers and their roles (`app.kubernetes.io/component`). */
export const MODEL_SERVERS = {
  "bge-service": "embeddings",
  "speech-service": "speech-recognition",
  "tts-service": "speech-synthesis",
} as const;
export type ModelServer = keyof typeof MODEL_SERVERS;

export interface ModelServerArgs extends AiServiceArgs {
  name: ModelServer;
}

export function modelServer(args: ModelServerArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  return inHouseService(
    {
      component: MODEL_SERVERS[args.name],
      ...args,
      env: [...args.env, { name: "MODEL_CACHE_DIR", value: MODEL_CACHE }, { name: "DEVICE", value: args.size.resources.gpu ? "cuda" : "cpu" }],
      writablePaths: [MODEL_CACHE],
      writableSizes: { [MODEL_CACHE]: EPHEMERAL_STORAGE.modelCache },
      startupMinutes: MODEL_LOAD_MINUTES,
    },
    ctx,
    parent,
  ).endpoint;
}
