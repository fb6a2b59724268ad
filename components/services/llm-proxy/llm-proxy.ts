/**
 * llm-proxy (in-house image): the gateway in front of the LLM providers. It holds the provider keys
 * (config secrets; a key that is not configured is not referenced) and is the only AI service with
 * HTTPS egress out of the cluster; Redis caches responses and rate-limit counters.
 */
import * as pulumi from "@pulumi/pulumi";
import { EnvVar } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { inHouseService } from "../../kit/in-house";
import { externalEgress } from "../../kit/network-policy";
import { WorkloadContext } from "../../kit/workload";
import { AiServiceArgs } from "../model-servers/model-server";

export interface LlmProxyArgs extends AiServiceArgs {
  /** OPENAI_API_KEY / ANTHROPIC_API_KEY for the keys the stack configures. */
  providerKeys: EnvVar[];
}

export function llmProxy(args: LlmProxyArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  return inHouseService(
    {
      name: "llm-proxy",
      component: "llm-gateway",
      image: args.image,
      size: args.size,
      dependencies: args.dependencies,
      env: [...args.env, ...args.providerKeys],
      // The providers' APIs are public HTTPS endpoints whose addresses are not known here.
      egress: [externalEgress("llm-providers", [443])],
    },
    ctx,
    parent,
  ).endpoint;
}
