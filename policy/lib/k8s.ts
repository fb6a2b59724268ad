// Reading Kubernetes objects out of Pulumi resources: kind, identity, pod templates and containers,
// whatever workload kind (or custom resource) carries them.

import { asArray, asObject, asString, asStringMap } from "./values";

/** Kinds whose objects run pods (the pod spec location differs per kind, see `podTemplateOf`). */
export const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod", "PodTemplate"]);

/** Kinds whose containers run for good, so they need liveness and readiness probes. */
export const LONG_RUNNING_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/** Kinds that scale by `spec.replicas` (and can be an HPA target). */
export const REPLICATED_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]);

/** Cluster-scoped kinds (their identity has no namespace). */
export const CLUSTER_SCOPED_KINDS = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "PriorityClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "ClusterIssuer",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "IngressClass",
  "GatewayClass",
  "RuntimeClass",
  "CSIDriver",
  "APIService",
]);

/** API group of CloudNativePG custom resources. */
export const CNPG_GROUP = "postgresql.cnpg.io";
/** API group of the Gateway API. */
export const GATEWAY_GROUP = "gateway.networking.k8s.io";

/** A Kubernetes object as the rules see it. */
export interface K8sObject {
  /** Pulumi type token, e.g. `kubernetes:apps/v1:Deployment`. */
  type: string;
  /** Pulumi resource name. */
  pulumiName: string;
  apiVersion: string;
  /** API group (`""` for the core group). */
  group: string;
  kind: string;
  name: string;
  /** Namespace (`default` when a namespaced object sets none); undefined for cluster-scoped kinds. */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Snapshot of the resource's properties (plain data, unknowns as `UNKNOWN`). */
  props: Record<string, any>;
  /** `<kind>/<namespace>/<name>`, or `<kind>/<name>` for cluster-scoped kinds. */
  id: string;
}

/** Splits a Pulumi Kubernetes type token into apiVersion and kind. */
export function parseTypeToken(type: string): { apiVersion?: string; kind?: string } {
  const parts = type.split(":");
  if (parts.length !== 3 || parts[0] !== "kubernetes") {
    return {};
  }
  const [, groupVersion, kind] = parts;
  if (groupVersion === "apiextensions.k8s.io" && kind === "CustomResource") {
    return {};
  }
  const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
  return { apiVersion, kind };
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf("/");
  return i < 0 ? "" : apiVersion.slice(0, i);
}

/**
 * Describes a Pulumi resource as a Kubernetes object, or returns undefined when it is not one.
 * `props` must already be a snapshot. Works for typed resources and for
 * `kubernetes:apiextensions.k8s.io:CustomResource` (apiVersion and kind read from the properties).
 */
export function describe(type: string, pulumiName: string, props: Record<string, any>): K8sObject | undefined {
  if (!type.startsWith("kubernetes:")) {
    return undefined;
  }
  const fromToken = parseTypeToken(type);
  const apiVersion = asString(props.apiVersion) ?? fromToken.apiVersion;
  const kind = asString(props.kind) ?? fromToken.kind;
  if (!apiVersion || !kind || kind.endsWith("List") || kind.endsWith("Patch")) {
    return undefined;
  }
  const metadata = asObject(props.metadata) ?? {};
  const name = asString(metadata.name) ?? pulumiName;
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
  const namespace = clusterScoped ? undefined : (asString(metadata.namespace) ?? "default");
  return {
    type,
    pulumiName,
    apiVersion,
    group: groupOf(apiVersion),
    kind,
    name,
    namespace,
    labels: asStringMap(metadata.labels),
    annotations: asStringMap(metadata.annotations),
    props,
    id: clusterScoped ? `${kind}/${name}` : `${kind}/${namespace}/${name}`,
  };
}

/** The pod template of a workload: its pod spec and the template's metadata. */
export interface PodTemplate {
  spec: Record<string, any>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * Finds the pod template of a built-in workload: Pod, Deployment-likes, Job, CronJob. With
 * `includeCustomResources`, also the pod template of a custom resource that carries
 * `spec.template.spec.containers` (for example a CloudNativePG Pooler). Such templates are partial
 * (the operator completes them, security context included), so only the rules about what the
 * program itself states there (resources, credentials) read them.
 */
export function podTemplateOf(obj: K8sObject, includeCustomResources = false): PodTemplate | undefined {
  if (obj.kind === "PodTemplate" && obj.group === "") {
    // A PodTemplate carries its template at the top level (no spec).
    const template = asObject(obj.props.template);
    const podSpec = asObject(template?.spec);
    const meta = asObject(template?.metadata) ?? {};
    return podSpec ? { spec: podSpec, labels: asStringMap(meta.labels), annotations: asStringMap(meta.annotations) } : undefined;
  }
  const spec = asObject(obj.props.spec);
  if (!spec) {
    return undefined;
  }
  const builtIn = WORKLOAD_KINDS.has(obj.kind) && ["", "apps", "batch"].includes(obj.group);
  if (!builtIn && !includeCustomResources) {
    return undefined;
  }
  if (obj.kind === "Pod" && obj.group === "") {
    return { spec, labels: obj.labels, annotations: obj.annotations };
  }
  const template = obj.kind === "CronJob" && obj.group === "batch" ? asObject(asObject(asObject(spec.jobTemplate)?.spec)?.template) : asObject(spec.template);
  const podSpec = asObject(template?.spec);
  if (!template || !podSpec || (!builtIn && !Array.isArray(podSpec.containers))) {
    return undefined;
  }
  const meta = asObject(template.metadata) ?? {};
  return { spec: podSpec, labels: asStringMap(meta.labels), annotations: asStringMap(meta.annotations) };
}

/** One container of a pod spec. */
export interface ContainerRef {
  container: Record<string, any>;
  name: string;
  /** True for init containers (including native sidecars declared as init containers). */
  init: boolean;
}

/** Containers and init containers of a pod spec (ephemeral containers are not part of a template). */
export function containersOf(podSpec: Record<string, any>): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const [list, init] of [
    [podSpec.initContainers, true],
    [podSpec.containers, false],
  ] as const) {
    asArray(list).forEach((c, i) => {
      const container = asObject(c);
      if (container) {
        out.push({ container, name: asString(container.name) ?? `#${i}`, init });
      }
    });
  }
  return out;
}

/** `container "x"` or `init container "x"`, for messages. */
export function containerLabel(c: ContainerRef): string {
  return `${c.init ? "init container" : "container"} "${c.name}"`;
}

/** The image repository without registry, tag or digest: `docker.io/library/redis:8` -> `redis`. */
export function imageBaseName(image: string | undefined): string | undefined {
  if (!image) {
    return undefined;
  }
  const noDigest = image.split("@")[0];
  const lastSlash = noDigest.lastIndexOf("/");
  const last = noDigest.slice(lastSlash + 1);
  return last.split(":")[0].toLowerCase();
}
