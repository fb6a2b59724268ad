/**
 * Resources for the containers that Helm charts and operators create (cert-manager, the CloudNativePG
 * operator, Istio): the tier's CPU and memory, plus ephemeral storage bounded as in every container the
 * kit builds, so a chart's pod cannot fill a node's disk either. Each chart takes them through its own
 * values (docs/images.md lists the keys read at each pinned chart version).
 */
import { memoryBytes } from "./quantity";
import { EPHEMERAL_STORAGE, ServiceSize } from "./size";

/** Requests and limits in the shape of a Kubernetes ResourceRequirements. */
export interface ChartResources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}

const mebibytes = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)}Mi`;

/**
 * The container's ephemeral storage. Charts mount emptyDirs the program does not cap (a scratch
 * directory, a certificate directory), which the kubelet counts against the pod's limit: the limit
 * leaves room for one of the usual scratch size, as the kit allows a container that mounts one.
 */
export const CHART_EPHEMERAL_STORAGE = {
  request: EPHEMERAL_STORAGE.container.request,
  limit: mebibytes(memoryBytes(EPHEMERAL_STORAGE.container.limit) + memoryBytes(EPHEMERAL_STORAGE.scratch)),
} as const;

/** CPU and memory from the service's size, ephemeral storage bounded. */
export function chartResources(size: ServiceSize): ChartResources {
  return {
    requests: { ...size.resources.requests, "ephemeral-storage": CHART_EPHEMERAL_STORAGE.request },
    limits: { ...size.resources.limits, "ephemeral-storage": CHART_EPHEMERAL_STORAGE.limit },
  };
}

/**
 * Ephemeral storage only, for a container whose CPU and memory the chart or operator sets elsewhere
 * (cert-manager's ACME solver pods: the controller's flags); merged key by key over those.
 */
export function ephemeralStorageOnly(): ChartResources {
  return { requests: { "ephemeral-storage": EPHEMERAL_STORAGE.container.request }, limits: { "ephemeral-storage": EPHEMERAL_STORAGE.container.limit } };
}
