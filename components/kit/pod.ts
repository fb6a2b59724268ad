/**
 * The pod template every workload, job and cron job shares: secure containers, no service-account
 * token unless excepted, pod-level security context, exception and scrape annotations.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { memoryBytes } from "./quantity";
import { EPHEMERAL_STORAGE, ServiceSize } from "./size";
import { BuiltContainer, ContainerSpec, GPU_RESOURCE, Volume, secureContainer } from "./container";
import { NamedException, exceptionsAnnotation, hasException } from "./exceptions";
import { Identity, Labels, labels as labelsOf, selectorLabels } from "./labels";

export interface PodArgs {
  /** The service name: ServiceAccount and log identity. */
  name: string;
  labels: Labels;
  size: ServiceSize;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  /** UID and GID of the image's process, also the fsGroup of its volumes. */
  runAsUser: number;
  volumes?: Volume[];
  /** Pod-level exceptions (e.g. a service that calls the Kubernetes API needs its token). */
  exceptions?: NamedException[];
  annotations?: Record<string, pulumi.Input<string>>;
  priorityClassName?: string;
  terminationGracePeriodSeconds?: number;
  /** For jobs: never restart the pod in place. */
  restartPolicy?: "Always" | "OnFailure" | "Never";
  affinity?: k8s.types.input.core.v1.Affinity;
  /** Taints the pods accept (node agents that must run on every node). */
  tolerations?: k8s.types.input.core.v1.Toleration[];
  topologySpreadConstraints?: k8s.types.input.core.v1.TopologySpreadConstraint[];
  /** Containers that run for the pod's lifetime must have readiness and liveness probes. */
  longRunning: boolean;
}

/** Every emptyDir capped: the usual scratch size unless the layer set its own. */
function withSizeLimits(volumes: Volume[]): Volume[] {
  return volumes.map((v) => (v.emptyDir === undefined ? v : { ...v, emptyDir: { ...v.emptyDir, sizeLimit: (v.emptyDir as { sizeLimit?: string }).sizeLimit ?? EPHEMERAL_STORAGE.scratch } }));
}

/**
 * The container's ephemeral storage: its own share plus the caps of the emptyDirs it mounts, which the
 * kubelet counts against the pod's limit (a limit below them would evict the pod before a cap is hit).
 */
function withEphemeralStorage(container: k8s.types.input.core.v1.Container, volumes: Volume[]): k8s.types.input.core.v1.Container {
  const mounted = new Set(((container.volumeMounts ?? []) as { name: string }[]).map((m) => m.name));
  const scratch = volumes.filter((v) => v.emptyDir !== undefined && mounted.has(v.name as string)).reduce((sum, v) => sum + memoryBytes((v.emptyDir as { sizeLimit: string }).sizeLimit), 0);
  const limit = memoryBytes(EPHEMERAL_STORAGE.container.limit) + scratch;
  const r = container.resources as { requests: Record<string, string>; limits: Record<string, string> };
  return {
    ...container,
    resources: {
      requests: { ...r.requests, "ephemeral-storage": EPHEMERAL_STORAGE.container.request },
      limits: { ...r.limits, "ephemeral-storage": `${Math.ceil(limit / 2 ** 20)}Mi` },
    },
  };
}

/** Every exception the pod carries: its own and its containers'. */
export function allExceptions(args: Pick<PodArgs, "containers" | "initContainers" | "exceptions">): NamedException[] {
  return [...(args.exceptions ?? []), ...[...args.containers, ...(args.initContainers ?? [])].flatMap((c) => c.exceptions ?? [])];
}

export function podTemplate(args: PodArgs): k8s.types.input.core.v1.PodTemplateSpec {
  if (args.longRunning) {
    for (const c of args.containers) {
      if (!c.probes?.readiness || !c.probes?.liveness) {
        throw new Error(`${args.name}: container "${c.name}" runs for the pod's lifetime and needs readiness and liveness probes`);
      }
    }
  }
  // A GPU goes to the main container only; helpers and init steps get the same CPU and memory without one.
  const withoutGpu = { ...args.size.resources, gpu: undefined };
  const built: BuiltContainer[] = args.containers.map((c, i) => secureContainer(c, i === 0 ? args.size.resources : withoutGpu));
  const builtInit: BuiltContainer[] = (args.initContainers ?? []).map((c) => secureContainer(c, withoutGpu));
  const exceptions = allExceptions(args);
  const tolerations = [...(args.tolerations ?? []), ...(args.size.resources.gpu ? [{ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" }] : [])];
  const volumes = withSizeLimits([...(args.volumes ?? []), ...built.flatMap((b) => b.volumes), ...builtInit.flatMap((b) => b.volumes)]);
  return {
    metadata: {
      labels: args.labels,
      annotations: { ...exceptionsAnnotation(exceptions), ...(args.annotations ?? {}) },
    },
    spec: {
      serviceAccountName: args.name,
      automountServiceAccountToken: hasException(args.exceptions, "no-service-account-token"),
      enableServiceLinks: false,
      priorityClassName: args.priorityClassName,
      terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
      restartPolicy: args.restartPolicy,
      securityContext: {
        runAsNonRoot: !hasException(exceptions, "run-as-non-root"),
        runAsUser: args.runAsUser,
        runAsGroup: args.runAsUser,
        fsGroup: args.runAsUser,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
      },
      affinity: args.affinity,
      // GPU nodes are usually tainted so that only pods asking for a GPU land there.
      tolerations: tolerations.length > 0 ? tolerations : undefined,
      topologySpreadConstraints: args.topologySpreadConstraints,
      initContainers: builtInit.length > 0 ? builtInit.map((b) => withEphemeralStorage(b.container, volumes)) : undefined,
      containers: built.map((b) => withEphemeralStorage(b.container, volumes)),
      volumes: volumes.length > 0 ? volumes : undefined,
    },
  };
}

/** A ServiceAccount that mounts no token unless the pod carries the named exception. */
export function serviceAccount(name: string, namespace: string, labels: Labels, exceptions: readonly NamedException[] | undefined, parent: pulumi.Resource): k8s.core.v1.ServiceAccount {
  return new k8s.core.v1.ServiceAccount(
    `${name}-sa`,
    {
      metadata: { name, namespace, labels },
      automountServiceAccountToken: hasException(exceptions, "no-service-account-token"),
    },
    { parent },
  );
}

/** In test harnesses without nodes (or load balancers), Pulumi must not wait for readiness. */
export function skipAwaitAnnotations(ctx: { skipAwait: boolean }): Record<string, string> {
  return ctx.skipAwait ? { "pulumi.com/skipAwait": "true" } : {};
}

/** The pod settings a pod-running component passes through from its arguments and context unchanged. */
type OwnedPod = Pick<PodArgs, "name" | "labels" | "size" | "containers" | "initContainers" | "runAsUser" | "volumes" | "exceptions" | "priorityClassName">;

/**
 * What every pod-running component (Workload, BatchJob, NodeAgent) starts with: its labels and
 * selector, the annotations of the workload object (named exceptions, and skip-await in harnesses),
 * its own ServiceAccount, and the pod settings it hands to `podTemplate` as they are (`pod`).
 */
export function podOwner(
  args: { id: Identity } & Pick<PodArgs, "size" | "containers" | "initContainers" | "runAsUser" | "volumes" | "exceptions">,
  ctx: { namespace: string; skipAwait: boolean; priorityClassName?: string },
  parent: pulumi.Resource,
): { labels: Labels; selector: Labels; annotations: Record<string, string>; awaitAnnotations: Record<string, string>; pod: OwnedPod } {
  const labels = labelsOf(args.id);
  const awaitAnnotations = skipAwaitAnnotations(ctx);
  serviceAccount(args.id.name, ctx.namespace, labels, args.exceptions, parent);
  const pod: OwnedPod = {
    name: args.id.name,
    labels,
    size: args.size,
    containers: args.containers,
    initContainers: args.initContainers,
    runAsUser: args.runAsUser,
    volumes: args.volumes,
    exceptions: args.exceptions,
    priorityClassName: ctx.priorityClassName,
  };
  return { labels, selector: selectorLabels(args.id), annotations: { ...exceptionsAnnotation(allExceptions(args)), ...awaitAnnotations }, awaitAnnotations, pod };
}
