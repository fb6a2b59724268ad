/**
 * What the Model Router needs to know about PostHog, whichever way PostHog runs: the analytics layer
 * produces one `PosthogConnection`, the Model Router consumes it (env, Secret, NetworkPolicy egress).
 *   cloud        PostHog Cloud: the project key from a config secret, egress to the cloud host (443)
 *   self-hosted  PostHog in its own namespace: in-cluster endpoints; enabled once `posthogApiKey`
 *                holds the key of the project created after the first login
 *   disabled     nothing: the Model Router runs with POSTHOG_ENABLED=false
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceEndpoint } from "../../kit/endpoint";
import { GeneratedSecret, SharedCredential } from "../../kit/secret";
import { PART_OF } from "../../kit/labels";

export interface PosthogConnection {
  /** Events can be sent: PostHog is reachable and a project key is configured (never true without a key). */
  enabled: boolean;
  mode: "cloud" | "self-hosted" | "disabled";
  /** The URL events are sent to (POSTHOG_HOST). */
  host: string;
  /** The project API key, when one is configured. */
  apiKey?: SharedCredential;
  /** In-cluster services the Model Router must reach (self-hosted: capture, feature flags). */
  endpoints: ServiceEndpoint[];
  /** The Model Router reaches PostHog outside the cluster (cloud): HTTPS egress. */
  external: boolean;
  /** Where the seed's verification checks PostHog's health. */
  healthUrl: string;
}

export interface CloudConnectionArgs {
  host: string;
  /** The project key from `voicehelper:posthogApiKey`, when set. */
  apiKey?: pulumi.Output<string>;
  /** Namespace of the Secret holding the key (copied to consumers' namespaces on use). */
  namespace: string;
}

/** PostHog Cloud: a Secret with the project key; nothing deployed. Without a key, analytics stay off. */
export function cloudConnection(args: CloudConnectionArgs, parent: pulumi.Resource): PosthogConnection {
  if (!args.apiKey) return disabledConnection(args.host);
  const secret = new GeneratedSecret(
    "posthog-cloud",
    { namespace: args.namespace, labels: { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/component": "analytics" }, supplied: { "api-key": args.apiKey } },
    { parent },
  );
  return {
    enabled: true,
    mode: "cloud",
    host: args.host,
    apiKey: secret.credential("api-key"),
    endpoints: [],
    external: true,
    healthUrl: `${args.host.replace(/\/$/, "")}/_health`,
  };
}

export function disabledConnection(host = ""): PosthogConnection {
  return { enabled: false, mode: "disabled", host, endpoints: [], external: false, healthUrl: "" };
}
