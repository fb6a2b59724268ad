/**
 * The AI/ML layer (seed 003 `04-ai-ml-services`) and the Model Router (seeds 000, 001): the model
 * servers (bge-service, speech-service, tts-service), faiss-service, llm-proxy and model-router, all
 * in-house images from `voicehelper:images`. Each service's dependencies come from the catalog
 * (`dependenciesOf`); their env comes from the typed outputs of the layers below (`dependencyEnv`).
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES, ServiceName } from "../../config/catalog";
import { IMAGES } from "../../config/images";
import { EnvVar, secretEnv } from "../../kit/container";
import { PART_OF } from "../../kit/labels";
import { GeneratedSecret } from "../../kit/secret";
import { PosthogConnection } from "../../services/posthog/connection";
import { LayerArgs, contextFor, dependenciesOf, isDeployed } from "../context";
import { Backends, dependencyEnv } from "../../services/wiring";
import { faiss } from "../../services/faiss-service/faiss";
import { llmProxy } from "../../services/llm-proxy/llm-proxy";
import { modelRouter } from "../../services/model-router/model-router";
import { AiServiceArgs, MODEL_SERVERS, ModelServer, modelServer } from "../../services/model-servers/model-server";
import { BackupTarget } from "../../services/backup/target";

export interface AiLayerArgs extends LayerArgs {
  /** Image reference of each in-house service. */
  image: (service: string) => string;
  /** Typed outputs of the storage and messaging layers. */
  backends: Backends;
  /** Where FAISS index copies go; none without it. */
  backupTarget?: BackupTarget;
  /** Days a FAISS index copy is kept. @default 7 */
  faissRetentionDays?: number;
  /** Fill faiss-service's index volume from this backup run (`restore.faiss`). */
  restoreFaiss?: { snapshot: string };
  /** How the Model Router reaches PostHog (cloud, self-hosted or disabled). */
  posthog: PosthogConnection;
  /** LLM provider keys from config secrets; unset keys are simply not referenced. */
  llm: { openaiApiKey?: pulumi.Output<string>; anthropicApiKey?: pulumi.Output<string> };
}

export class AiLayer extends pulumi.ComponentResource {
  constructor(name: string, args: AiLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:ai:AiLayer", name, {}, opts);
    const ns = NAMESPACES.apps;
    const providerKeys = llmProviderKeys(args.llm, ns, this);
    // Each service sees the endpoints built so far: the layers below, then the AI services it needs.
    const base = (service: ServiceName): AiServiceArgs => {
      const dependencies = dependenciesOf(service, args.endpoints, args.services);
      return { image: args.image(service), size: args.sizes[service], dependencies, env: dependencyEnv(service, dependencies, args.backends, ns) };
    };

    for (const service of Object.keys(MODEL_SERVERS) as ModelServer[]) {
      if (isDeployed(args, service)) args.endpoints.register(service, modelServer({ name: service, ...base(service) }, contextFor(args, service, "app"), this));
    }
    if (isDeployed(args, "faiss-service")) {
      args.endpoints.register(
        "faiss-service",
        faiss(
          {
            ...base("faiss-service"),
            backupTarget: args.backupTarget,
            retentionDays: args.faissRetentionDays,
            restore: args.restoreFaiss,
            clientImage: IMAGES.minioClient,
            jobSize: args.sizes.backup,
          },
          contextFor(args, "faiss-service", "app"),
          this,
        ),
      );
    }
    if (isDeployed(args, "llm-proxy")) {
      args.endpoints.register("llm-proxy", llmProxy({ ...base("llm-proxy"), providerKeys }, contextFor(args, "llm-proxy", "app"), this));
    }
    if (isDeployed(args, "model-router")) {
      args.endpoints.register("model-router", modelRouter({ ...base("model-router"), providerKeys, posthog: args.posthog }, contextFor(args, "model-router", "app"), this));
    }
    this.registerOutputs({});
  }
}

/** One Secret with the provider keys the stack configures (marked config-sourced), and env vars for exactly those. */
function llmProviderKeys(llm: AiLayerArgs["llm"], namespace: string, parent: pulumi.Resource): EnvVar[] {
  const keys: Record<string, pulumi.Output<string>> = {};
  if (llm.openaiApiKey) keys.OPENAI_API_KEY = llm.openaiApiKey;
  if (llm.anthropicApiKey) keys.ANTHROPIC_API_KEY = llm.anthropicApiKey;
  if (Object.keys(keys).length === 0) return [];
  const secret = new GeneratedSecret("llm-provider-keys", { namespace, labels: { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/component": "llm-providers" }, supplied: keys }, { parent });
  return Object.keys(keys).map((k) => secretEnv(k, secret.ref(k)));
}
