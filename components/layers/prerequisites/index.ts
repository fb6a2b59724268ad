/**
 * Prerequisites (seed 003 `00-prerequisites`): the platform's namespaces labelled for Pod Security
 * Admission with a default-deny NetworkPolicy each, a ResourceQuota and LimitRange per namespace
 * sized from the services it will hold, and PriorityClasses so data stores outrank stateless apps.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CATALOG, NAMESPACES, NamespaceRole, PLATFORM_NAMESPACES, ServiceName } from "../../config/catalog";
import { NamedException, exceptionsAnnotation } from "../../kit/exceptions";
import { Resources, ServiceSize } from "../../config/schema";
import { EXPORTER_SIDECARS, EXPORTER_SIDECAR_SIZE, LIMIT_RANGES, QUOTA_HEADROOM, QUOTA_JOB_SLOTS, TIER_CLUSTERS, Tier, bootstrapJobSize } from "../../config/sizing";
import { cpuCores, memoryBytes, parseQuantity } from "../../config/quantity";
import { PART_OF } from "../../kit/labels";

const OPERATOR_NAMESPACE_REASON = "an operator's namespace: its chart owns the pods and their ports (webhooks the API server calls, control-plane traffic), so a deny-all written here would break it";

export const PRIORITY_CLASSES = {
  data: { name: "voicehelper-data", value: 100000, description: "Stateful data stores: evicted last, they take longest to recover" },
  platform: { name: "voicehelper-platform", value: 50000, description: "Platform services: messaging, observability, mesh and edge" },
  app: { name: "voicehelper-app", value: 10000, description: "Stateless application services: they reschedule in seconds" },
} as const;
export type PriorityRole = keyof typeof PRIORITY_CLASSES;

/** Pod Security Admission levels a namespace can enforce. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

export interface PrerequisitesArgs {
  tier: Tier;
  /** The services the stack deploys, to size each namespace's quota. */
  services: ServiceName[];
  sizes: Record<ServiceName, ServiceSize>;
  /** One bootstrap Job pod (the quota's Job slots admit it as well as a backup run). */
  bootstrapJobSize: ServiceSize;
  /** Namespaces to create (only those that hold a deployed service). */
  namespaces: NamespaceRole[];
  /** Relaxed enforcement for a namespace, with the reason: every other namespace is `restricted`. */
  podSecurity?: Partial<Record<NamespaceRole, { level: PodSecurityLevel; reason: string }>>;
  /**
   * The load balancers each namespace may own and their ports: a LoadBalancer Service also takes a node
   * port per port, so the quota admits exactly these (the edge's proxy, voice media) and nothing else.
   */
  loadBalancers?: Partial<Record<NamespaceRole, { services: number; ports: number }>>;
  /** Extra labels per namespace (e.g. enrolment in the ambient mesh). */
  namespaceLabels?: Partial<Record<NamespaceRole, Record<string, string>>>;
}

export interface NamespaceQuota {
  cpuRequests: number;
  memoryRequests: number;
  cpuLimits: number;
  memoryLimits: number;
  storage: number;
  pods: number;
}

/** The quota a namespace needs: its services at their maximum scale and its one-off Jobs, plus headroom for surges. */
export function namespaceQuota(tier: Tier, services: ServiceName[], sizes: Record<ServiceName, ServiceSize>, bootstrapJob: ServiceSize = bootstrapJobSize(tier)): NamespaceQuota {
  const q: NamespaceQuota = { cpuRequests: 0, memoryRequests: 0, cpuLimits: 0, memoryLimits: 0, storage: 0, pods: 0 };
  for (const s of services) {
    const size = sizes[s];
    const pods = CATALOG[s].daemon ? TIER_CLUSTERS[tier].workers : (size.autoscaling?.maxReplicas ?? size.replicas);
    q.cpuRequests += cpuCores(size.resources.requests.cpu) * pods;
    q.memoryRequests += memoryBytes(size.resources.requests.memory) * pods;
    q.cpuLimits += cpuCores(size.resources.limits.cpu) * pods;
    q.memoryLimits += memoryBytes(size.resources.limits.memory) * pods;
    q.storage += size.storage ? (parseQuantity(size.storage) ?? 0) * pods : 0;
    q.pods += pods;
    if (EXPORTER_SIDECARS.includes(s)) {
      q.cpuRequests += cpuCores(EXPORTER_SIDECAR_SIZE.requests.cpu) * pods;
      q.memoryRequests += memoryBytes(EXPORTER_SIDECAR_SIZE.requests.memory) * pods;
      q.cpuLimits += cpuCores(EXPORTER_SIDECAR_SIZE.limits.cpu) * pods;
      q.memoryLimits += memoryBytes(EXPORTER_SIDECAR_SIZE.limits.memory) * pods;
    }
  }
  if (services.length > 0) {
    const job = largerOf(sizes.backup.resources, bootstrapJob.resources);
    q.cpuRequests += cpuCores(job.requests.cpu) * QUOTA_JOB_SLOTS;
    q.memoryRequests += memoryBytes(job.requests.memory) * QUOTA_JOB_SLOTS;
    q.cpuLimits += cpuCores(job.limits.cpu) * QUOTA_JOB_SLOTS;
    q.memoryLimits += memoryBytes(job.limits.memory) * QUOTA_JOB_SLOTS;
    q.pods += QUOTA_JOB_SLOTS;
  }
  return q;
}

/** Per quantity, the larger of two sizes: what a Job slot must admit whichever kind of Job takes it. */
function largerOf(a: Resources, b: Resources): Resources {
  const cpu = (x: string, y: string) => (cpuCores(x) >= cpuCores(y) ? x : y);
  const memory = (x: string, y: string) => (memoryBytes(x) >= memoryBytes(y) ? x : y);
  return {
    requests: { cpu: cpu(a.requests.cpu, b.requests.cpu), memory: memory(a.requests.memory, b.requests.memory) },
    limits: { cpu: cpu(a.limits.cpu, b.limits.cpu), memory: memory(a.limits.memory, b.limits.memory) },
  };
}

const cpu = (cores: number) => `${Math.ceil(cores * QUOTA_HEADROOM * 1000)}m`;
const mem = (bytes: number) => `${Math.ceil((bytes * QUOTA_HEADROOM) / 2 ** 20)}Mi`;

export class Prerequisites extends pulumi.ComponentResource {
  /** Namespace names by role, resolved once created. */
  readonly namespaces: Partial<Record<NamespaceRole, pulumi.Output<string>>> = {};
  readonly priorityClasses: Record<PriorityRole, string>;

  constructor(name: string, args: PrerequisitesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:prerequisites:Prerequisites", name, {}, opts);
    const limits = LIMIT_RANGES[args.tier];
    const common = { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": "pulumi" };

    for (const role of args.namespaces) {
      const nsName = NAMESPACES[role];
      const relaxed = args.podSecurity?.[role];
      const level = relaxed?.level ?? "restricted";
      const platform = PLATFORM_NAMESPACES.includes(role);
      const exceptions: NamedException[] = [
        ...(relaxed ? [{ rule: "namespace-pod-security" as const, reason: relaxed.reason }] : []),
        ...(platform ? [] : [{ rule: "namespace-default-deny" as const, reason: OPERATOR_NAMESPACE_REASON }]),
      ];
      const ns = new k8s.core.v1.Namespace(
        `${role}-namespace`,
        {
          metadata: {
            name: nsName,
            labels: {
              ...common,
              "pod-security.kubernetes.io/enforce": level,
              "pod-security.kubernetes.io/enforce-version": "latest",
              // Warn and audit at restricted even where enforcement is relaxed, so drift shows up.
              "pod-security.kubernetes.io/warn": "restricted",
              "pod-security.kubernetes.io/audit": "restricted",
              ...(args.namespaceLabels?.[role] ?? {}),
            },
            annotations: exceptionsAnnotation(exceptions),
          },
        },
        { parent: this },
      );
      this.namespaces[role] = ns.metadata.name;
      const child = { parent: ns };
      // Operators' charts own their pods and ports (webhooks called by the API server, control planes).
      if (!platform) continue;

      new k8s.networking.v1.NetworkPolicy(
        `${role}-default-deny`,
        {
          metadata: { name: "default-deny", namespace: nsName, labels: common },
          spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
        child,
      );

      const inNamespace = args.services.filter((s) => CATALOG[s].namespace === role);
      const q = namespaceQuota(args.tier, inNamespace, args.sizes, args.bootstrapJobSize);
      new k8s.core.v1.ResourceQuota(
        `${role}-quota`,
        {
          metadata: { name: "compute", namespace: nsName, labels: common },
          spec: {
            hard: {
              "requests.cpu": cpu(q.cpuRequests),
              "requests.memory": mem(q.memoryRequests),
              "limits.cpu": cpu(q.cpuLimits),
              "limits.memory": mem(q.memoryLimits),
              "requests.storage": mem(q.storage),
              pods: String(Math.ceil(q.pods * QUOTA_HEADROOM) + 5),
              // Only the declared load balancers (the edge, voice media); each of their ports takes a node port.
              "services.loadbalancers": String(args.loadBalancers?.[role]?.services ?? 0),
              "services.nodeports": String(args.loadBalancers?.[role]?.ports ?? 0),
            },
          },
        },
        child,
      );

      new k8s.core.v1.LimitRange(
        `${role}-limits`,
        {
          metadata: { name: "container-defaults", namespace: nsName, labels: common },
          spec: {
            limits: [{ type: "Container", defaultRequest: limits.defaultRequest, default: limits.defaultLimit, max: limits.max }],
          },
        },
        child,
      );
    }

    for (const pc of Object.values(PRIORITY_CLASSES)) {
      new k8s.scheduling.v1.PriorityClass(
        `${pc.name}-priority`,
        { metadata: { name: pc.name, labels: common }, value: pc.value, globalDefault: false, preemptionPolicy: "PreemptLowerPriority", description: pc.description },
        { parent: this },
      );
    }
    this.priorityClasses = { data: PRIORITY_CLASSES.data.name, platform: PRIORITY_CLASSES.platform.name, app: PRIORITY_CLASSES.app.name };
    this.registerOutputs({ namespaces: this.namespaces });
  }
}
