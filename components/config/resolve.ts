/**
 * Resolution: validated settings become the one PlatformConfig the program reads. Tiers and
 * overrides become a concrete size per service, the deploy mode a list of services, and each mode
 * its own variant (only the fields that mode uses). Nothing downstream reads config or knows tiers.
 */
import * as pulumi from "@pulumi/pulumi";
import { CATALOG, SERVICE_NAMES, ServiceName, closure, isServiceName, rootServices } from "./catalog";
import { HPA_TARGETS, SIZING, Tier, bootstrapJobSize, tierReplicas } from "./sizing";
import { cpuCores, memoryBytes } from "./quantity";
import { REPLICA_CONSTRAINTS, ClusteringChoices } from "./constraints";
import { ImageDigests } from "./image-digests";
import { POSTGRESQL_CLUSTERS } from "./disaster-recovery";
import { Resources, ServiceSize } from "../kit/size";
import { EdgeConfig, PlatformConfig, PosthogConfig } from "./platform-config";
import { ServiceOverride, Settings } from "./settings";
import type { SecretValues } from "./cross-checks";
import { alertWebhook } from "./alert-webhook";

const DEV_STACK = /^dev(-[a-z0-9-]+)?$/;

/** The PlatformConfig of settings that passed every check. */
export function resolveConfig(stack: string, s: Settings, secrets: SecretValues, services: ServiceName[], sizes: Record<ServiceName, ServiceSize>): PlatformConfig {
  const wrap = (v: string | undefined) => (v === undefined ? undefined : pulumi.secret(v));
  return {
    stack,
    tier: s.sizing,
    deployMode: s.deployMode,
    domain: s.domain,
    storageClass: s.storageClass,
    protectData: resolveProtectData(stack, s.protectData),
    posthog: resolvePosthog(s, wrap(secrets.posthogApiKey)),
    llm: { openaiApiKey: wrap(secrets.openaiApiKey), anthropicApiKey: wrap(secrets.anthropicApiKey) },
    images: s.images,
    imageDigests: s.imageDigests as ImageDigests,
    tls: s.tls.issuer === "acme" ? { issuer: "acme", email: checked(s.tls.email, "tls.email") } : { issuer: s.tls.issuer },
    edge: resolveEdge(s),
    mesh: s.mesh,
    neo4j: s.neo4j.edition === "enterprise" ? { edition: "enterprise", acceptLicenseAgreement: checked(s.neo4j.acceptLicenseAgreement, "neo4j.acceptLicenseAgreement") } : { edition: "community" },
    voiceMedia: s.voiceMedia.mode === "turn" ? { mode: "turn", turnUrls: s.voiceMedia.turnUrls, turnSharedSecret: wrap(secrets.turnSharedSecret) } : { mode: "load-balancer", turnUrls: [] },
    alerting: { email: s.alerting.email, none: s.alerting.none, smtpPassword: wrap(secrets.smtpPassword), webhook: alertWebhook(secrets.alertWebhookUrl) },
    metrics: s.metrics,
    app: s.app,
    retention: s.retention,
    backup: {
      mirror: s.backup.mirror && {
        ...s.backup.mirror,
        accessKey: pulumi.secret(secrets.backupMirrorAccessKey ?? ""),
        secretKey: pulumi.secret(secrets.backupMirrorSecretKey ?? ""),
      },
      target: s.backup.target && {
        ...s.backup.target,
        accessKey: pulumi.secret(secrets.backupTargetAccessKey ?? ""),
        secretKey: pulumi.secret(secrets.backupTargetSecretKey ?? ""),
      },
      retentionDays: s.backup.retentionDays,
    },
    restore: {
      postgresql: s.restore.postgresql && { clusters: s.restore.postgresql.clusters ?? POSTGRESQL_CLUSTERS.filter((c) => services.includes(c)), targetTime: s.restore.postgresql.targetTime },
      redis: s.restore.redis,
      faiss: s.restore.faiss,
      minio: s.restore.minio && {},
    },
    cluster: {
      kubeconfig: s.kubeconfig,
      context: s.kubeContext,
      renderTo: s.renderTo,
      skipAwait: s.skipAwait,
      externalCharts: s.externalCharts,
    },
    services,
    sizes,
    bootstrapJobSize: bootstrapJobSize(s.sizing),
  };
}

/** A field a mode requires, which the cross-checks guarantee; missing here is a bug in those checks. */
function checked<T>(value: T | undefined, setting: string): T {
  if (value === undefined) throw new Error(`${setting} passed the checks but is missing: its cross-check is broken`);
  return value;
}

function resolvePosthog(s: Settings, apiKey: pulumi.Output<string> | undefined): PosthogConfig {
  switch (s.posthog.mode) {
    case "cloud":
      return { mode: "cloud", host: s.posthog.host ?? "https://us.i.posthog.com", apiKey };
    case "self-hosted":
      return { mode: "self-hosted", host: s.posthog.host ?? `https://posthog.${s.domain}`, apiKey };
    case "disabled":
      return { mode: "disabled" };
  }
}

function resolveEdge(s: Settings): EdgeConfig {
  const publicServices = SERVICE_NAMES.filter((n) => CATALOG[n].public?.byDefault || s.edge.expose.includes(n));
  if (s.edge.mode === "gateway-api") return { mode: "gateway-api", publicServices };
  return {
    mode: "ingress",
    ingressClassName: checked(s.edge.ingressClassName, "edge.ingressClassName"),
    controllerNamespace: checked(s.edge.controllerNamespace, "edge.controllerNamespace"),
    publicServices,
  };
}

/** `auto` protects every stack but the dev ones. */
export function resolveProtectData(stack: string, setting: boolean | "auto"): boolean {
  return setting === "auto" ? !DEV_STACK.test(stack) : setting;
}

/** The deploy mode's services, minus what the other settings switch off. */
export function selectServices(s: Settings): ServiceName[] {
  const excluded = new Set<ServiceName>();
  if (s.posthog.mode !== "self-hosted") {
    for (const name of SERVICE_NAMES) if (CATALOG[name].layer === "analytics") excluded.add(name);
  }
  // istiod also implements the Gateway API edge, so it stays when the mesh is off but the edge needs it.
  if (!s.mesh && s.edge.mode !== "gateway-api") excluded.add("istiod");
  if (!s.mesh) {
    excluded.add("ztunnel");
    excluded.add("istio-cni");
  }
  if (s.edge.mode !== "gateway-api") excluded.add("edge-gateway");
  if (s.tls.issuer === "none") excluded.add("cert-manager");
  const roots = s.services.length > 0 ? s.services.filter(isServiceName) : rootServices(s.deployMode);
  return closure(roots, excluded);
}

export function resolveSizes(tier: Tier, overrides: Record<string, ServiceOverride>, choices: ClusteringChoices, problems: string[]): Record<ServiceName, ServiceSize> {
  for (const name of Object.keys(overrides)) {
    if (!isServiceName(name)) {
      problems.push(`voicehelper:overrides.${name}: unknown service; services are ${SERVICE_NAMES.join(", ")}`);
    }
  }
  const sizes = {} as Record<ServiceName, ServiceSize>;
  for (const name of SERVICE_NAMES) {
    const row = SIZING[name][tier];
    const o: ServiceOverride = overrides[name] ?? {};
    const where = `voicehelper:overrides.${name}`;
    const resources: Resources = {
      requests: { cpu: o.requests?.cpu ?? row.cpu[0], memory: o.requests?.memory ?? row.memory[0] },
      limits: { cpu: o.limits?.cpu ?? row.cpu[1], memory: o.limits?.memory ?? row.memory[1] },
    };
    if (cpuCores(resources.requests.cpu) > cpuCores(resources.limits.cpu)) {
      problems.push(`${where}: cpu request ${resources.requests.cpu} is above the cpu limit ${resources.limits.cpu}; a request must not exceed its limit`);
    }
    if (memoryBytes(resources.requests.memory) > memoryBytes(resources.limits.memory)) {
      problems.push(`${where}: memory request ${resources.requests.memory} is above the memory limit ${resources.limits.memory}; a request must not exceed its limit`);
    }
    if (o.gpu !== undefined && o.gpu > 0 && !CATALOG[name].gpu) {
      problems.push(`${where}.gpu: ${name} cannot use a GPU; GPU-capable services are ${SERVICE_NAMES.filter((s) => CATALOG[s].gpu).join(", ")}`);
    }
    if (o.gpu !== undefined && o.gpu > 0) resources.gpu = o.gpu;
    if (o.storage !== undefined && row.storage === undefined) {
      problems.push(`${where}.storage: ${name} keeps no data volume, so storage cannot be set`);
    }
    const entry = CATALOG[name];
    const bounds = o.autoscale === false ? undefined : (o.autoscale ?? row.autoscale);
    if (bounds !== undefined && (entry.batch || entry.daemon)) {
      problems.push(`${where}.autoscale: ${name} is a ${entry.batch ? "batch job" : "DaemonSet"} and cannot be autoscaled`);
    }
    if (bounds !== undefined && bounds.min > bounds.max) {
      problems.push(`${where}.autoscale: min ${bounds.min} is above max ${bounds.max}`);
    }
    if (o.replicas !== undefined && bounds !== undefined) {
      problems.push(`${where}.replicas: ${name} is autoscaled (${bounds.min}-${bounds.max}); set autoscale.min/max, or autoscale: false to fix the replica count`);
    }
    const replicas = bounds?.min ?? o.replicas ?? tierReplicas(name, tier, choices);
    const replicaProblem = REPLICA_CONSTRAINTS[name]?.(replicas, choices);
    if (replicaProblem) problems.push(`${where}.replicas: ${replicaProblem} (got ${replicas})`);
    sizes[name] = {
      replicas,
      resources,
      storage: o.storage ?? row.storage,
      autoscaling: bounds && { minReplicas: bounds.min, maxReplicas: bounds.max, ...HPA_TARGETS },
    };
  }
  return sizes;
}
