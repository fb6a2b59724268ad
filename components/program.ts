/**
 * The program's entry point as a function, so tests can run it again and again under mocks with
 * different configurations. `index.ts` reads the stack config and calls `build`.
 */
import * as k8s from "@pulumi/kubernetes";
import { FROM_REMOTE_CHARTS, NAMESPACES } from "./config/catalog";
import { PlatformConfig } from "./config/schema";
import { imageDigestTransformation } from "./image-pinning";
import { Platform } from "./platform";

export interface ProgramOutputs {
  tier: string;
  deployMode: string;
  namespaces: Record<string, string>;
  deployed: string[];
  /** In-cluster addresses of every deployed service. */
  endpoints: Record<string, string>;
  /** Public URLs of the services the edge exposes. */
  urls: Record<string, string>;
  /** Where to check PostHog's health (the seed's `deploy-posthog.sh verify`); "" when PostHog is disabled. */
  posthogHealthUrl: string;
  renderedTo?: string;
}

export function build(cfg: PlatformConfig): ProgramOutputs {
  // One explicit provider for everything: a render stack writes YAML instead of talking to a cluster.
  const provider = new k8s.Provider("kubernetes", {
    kubeconfig: cfg.cluster.kubeconfig,
    context: cfg.cluster.context,
    renderYamlToDirectory: cfg.cluster.renderTo,
  });
  const pinDigests = imageDigestTransformation(cfg.imageDigests);
  const platform = new Platform("voicehelper", cfg, { providers: [provider], transformations: pinDigests ? [pinDigests] : undefined });
  return {
    tier: cfg.tier,
    deployMode: cfg.deployMode,
    namespaces: { ...NAMESPACES },
    deployed: platform.deployed.filter((s) => cfg.cluster.externalCharts || !FROM_REMOTE_CHARTS.has(s)),
    endpoints: platform.endpoints.addresses(),
    urls: platform.urls as Record<string, string>,
    posthogHealthUrl: platform.posthog.healthUrl,
    renderedTo: cfg.cluster.renderTo,
  };
}
