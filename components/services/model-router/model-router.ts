/**
 * The Model Router (in-house image; seeds 000 and 001): routes requests across models through the
 * llm-proxy and A/B-tests them through PostHog. Seed 001's contract:
 * - HTTP 8080 with `/health` for the probes; Prometheus metrics on 9090 (scrape annotations); the
 *   Service carries both ports (the seed port-forwards `svc/model-router 9090`), clients reach 8080 only;
 * - database settings under the seed's names (DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD) as well
 *   as the platform's (DATABASE_*), from the same sources;
 * - replicas, HPA and resources from sizing (production: 3-10, 500m-2 CPU, 512Mi-2Gi);
 * - ConfigMap: POSTHOG_ENABLED, POSTHOG_HOST; Secrets: POSTHOG_API_KEY, OPENAI_API_KEY,
 *   ANTHROPIC_API_KEY (config secrets; a key the stack does not configure is not referenced);
 *   POSTHOG_ENABLED is "true" only together with a project key: never enabled with no key;
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
import { PosthogConnection } from "../posthog/connection";
import { AiServiceArgs } from "../model-servers/model-server";

const NAME = "model-router";

export interface ModelRouterArgs extends AiServiceArgs {
  posthog: PosthogConnection;
  /** OPENAI_API_KEY / ANTHROPIC_API_KEY for the keys the stack configures. */
  providerKeys: EnvVar[];
}

/** Seed 001's names for the database settings, by the platform's name for the same setting. */
export const SEED_DATABASE_ENV = {
  DATABASE_HOST: "DB_HOST",
  DATABASE_PORT: "DB_PORT",
  DATABASE_NAME: "DB_NAME",
  DATABASE_USER: "DB_USER",
  DATABASE_PASSWORD: "DB_PASSWORD",
} as const;

/** The seed's DB_* settings, each a copy (same value or the same Secret reference) of its DATABASE_* twin. */
export function seedDatabaseEnv(env: EnvVar[]): EnvVar[] {
  return Object.entries(SEED_DATABASE_ENV).map(([ours, seed]) => {
    const source = env.find((e) => e.name === ours);
    if (!source) throw new Error(`${NAME}: seed 001's ${seed} is a copy of ${ours}, which its database wiring did not produce`);
    return { ...source, name: seed };
  });
}

/** The ConfigMap's settings for a PostHog connection: enabled only when there is a key to send with. */
export function posthogSettings(p: PosthogConnection): Record<string, string> {
  const sending = sendsEvents(p);
  return { POSTHOG_ENABLED: String(sending), POSTHOG_HOST: sending ? p.host : "" };
}

function sendsEvents(p: PosthogConnection): p is PosthogConnection & { apiKey: NonNullable<PosthogConnection["apiKey"]> } {
  return p.enabled && p.apiKey !== undefined;
}

export function modelRouter(args: ModelRouterArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const ns = ctx.namespace;
  const p = args.posthog;
  const labels = labelsOf({ name: NAME, component: "model-router", version: imageVersion(args.image) });
  const settings = posthogSettings(p);
  const config = configFiles(`${NAME}-config`, ns, labels, settings, parent);
  const fromConfig: EnvVar[] = Object.keys(settings).map((key) => ({ name: key, valueFrom: { configMapKeyRef: { name: config.name, key } } }));
  const apiKey: EnvVar[] = sendsEvents(p) ? [secretEnv("POSTHOG_API_KEY", p.apiKey.in(ns))] : [];

  // Self-hosted PostHog: its in-cluster endpoints (unless the catalog's `uses` already brought them).
  const declared = new Set(args.dependencies.map((d) => d.endpoint.service));
  const posthogDeps: Dependency[] = sendsEvents(p) ? p.endpoints.filter((e) => !declared.has(e.service)).map((endpoint) => ({ endpoint })) : [];
  // PostHog Cloud: HTTPS to a host whose addresses are not known here.
  const egress: EgressRule[] = sendsEvents(p) && p.external ? [externalEgress("posthog", [443])] : [];

  return inHouseService(
    {
      name: NAME,
      component: "model-router",
      image: args.image,
      size: args.size,
      dependencies: [...args.dependencies, ...posthogDeps],
      env: [...args.env, ...seedDatabaseEnv(args.env), ...fromConfig, ...apiKey, ...args.providerKeys],
      serviceOnlyPorts: ["metrics"],
      egress,
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: config.hash },
    },
    ctx,
    parent,
  ).endpoint;
}
