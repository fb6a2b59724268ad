/**
 * The Model Router (in-house image; seeds 000 and 001): routes requests across models through the
 * llm-proxy and A/B-tests them through PostHog. Seed 001's contract:
 * - HTTP 8080 with `/health` for the probes; Prometheus metrics on 9090 (scrape annotations);
 * - replicas, HPA and resources from sizing (production: 3-10, 500m-2 CPU, 512Mi-2Gi);
 * - ConfigMap: POSTHOG_ENABLED, POSTHOG_HOST; Secrets: POSTHOG_API_KEY, OPENAI_API_KEY,
 *   ANTHROPIC_API_KEY (config secrets; a key the stack does not configure is not referenced);
 * - database `model_router`; egress only to its database, Redis, the llm-proxy, PostHog and DNS.
 * PostHog events are sent asynchronously: `/health` reports the router itself, never PostHog, so an
 * unreachable PostHog does not take the router out of service.
 */
import * as pulumi from "@pulumi/pulumi";
import { EnvVar, secretEnv } from "../../kit/container";
import { CONFIG_HASH_ANNOTATION } from "../../kit/config-hash";
import { configFiles } from "../../kit/config-map";
import { ServiceEndpoint } from "../../kit/endpoint";
import { inHouseService } from "../../kit/in-house";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { Dependency, EgressRule, externalEgress } from "../../kit/network-policy";
import { WorkloadContext } from "../../kit/workload";
import { PosthogConnection } from "../analytics/connection";
import { AiServiceArgs } from "./service";

const NAME = "model-router";

export interface ModelRouterArgs extends AiServiceArgs {
  posthog: PosthogConnection;
  /** OPENAI_API_KEY / ANTHROPIC_API_KEY for the keys the stack configures. */
  providerKeys: EnvVar[];
}

/** The ConfigMap's settings for a PostHog connection. */
export function posthogSettings(p: PosthogConnection): Record<string, string> {
  return { POSTHOG_ENABLED: String(p.enabled), POSTHOG_HOST: p.enabled ? p.host : "" };
}

export function modelRouter(args: ModelRouterArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const ns = ctx.namespace;
  const p = args.posthog;
  const labels = labelsOf({ name: NAME, component: "model-router", version: imageVersion(args.image) });
  const settings = posthogSettings(p);
  const config = configFiles(`${NAME}-config`, ns, labels, settings, parent);
  const fromConfig: EnvVar[] = Object.keys(settings).map((key) => ({ name: key, valueFrom: { configMapKeyRef: { name: config.name, key } } }));
  const apiKey: EnvVar[] = p.enabled && p.apiKey ? [secretEnv("POSTHOG_API_KEY", p.apiKey.in(ns))] : [];

  // Self-hosted PostHog: its in-cluster endpoints (unless the catalog's `uses` already brought them).
  const declared = new Set(args.dependencies.map((d) => d.endpoint.service));
  const posthogDeps: Dependency[] = p.enabled ? p.endpoints.filter((e) => !declared.has(e.service)).map((endpoint) => ({ endpoint })) : [];
  // PostHog Cloud: HTTPS to a host whose addresses are not known here.
  const egress: EgressRule[] = p.enabled && p.external ? [externalEgress("posthog", [443])] : [];

  return inHouseService(
    {
      name: NAME,
      component: "model-router",
      image: args.image,
      size: args.size,
      dependencies: [...args.dependencies, ...posthogDeps],
      env: [...args.env, ...fromConfig, ...apiKey, ...args.providerKeys],
      egress,
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: config.hash },
    },
    ctx,
    parent,
  ).endpoint;
}
