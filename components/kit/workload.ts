/**
 * The workload builder. A service file states what is special about the service (image, ports, env,
 * probes, clustering); this adds everything every service needs: labels, ServiceAccount, Deployment or
 * StatefulSet (+ headless Service + volume claims), the client Service derived from the named ports,
 * PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicies, scrape annotations, spreading.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "./size";
import { ContainerSpec, Volume } from "./container";
import { ServiceEndpoint, clusterHost } from "./endpoint";
import { NamedException } from "./exceptions";
import { Identity, Labels } from "./labels";
import { Admission, Dependency, EgressRule, PortSpec, workloadPolicies } from "./network-policy";
import { podOwner, podTemplate } from "./pod";
import { podScrapeAnnotations } from "./scrape";
import { disruptionBudgetSpec } from "./disruption";
import { Peer } from "./endpoint";
import { Tracing } from "./tracing";
import { SharedSettings } from "./config-map";

/** What a layer gives each of its workloads. */
export interface WorkloadContext {
  namespace: string;
  /** `protect` + `retainOnDelete` on stateful data. */
  protectData: boolean;
  /** StorageClass for volume claims; undefined = the cluster's default. */
  storageClass?: string;
  /** Annotate objects so Pulumi does not wait for pods (harnesses without nodes). */
  skipAwait: boolean;
  priorityClassName: string;
  /** Prometheus' pods, when deployed: admitted to every declared metrics port. */
  scrapers?: Peer;
  /** The namespace is in Istio's ambient mesh (NetworkPolicies must admit HBONE and probes). */
  ambient?: boolean;
  /** The shared application settings the in-house services read (see inHouseService). @default none */
  appSettings?: SharedSettings;
  /** Where the in-house services send traces, when the stack runs a collector (see inHouseService). @default none */
  tracing?: Tracing;
}

export interface WorkloadArgs {
  id: Identity;
  size: ServiceSize;
  /** The first container is the service's main container. */
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  runAsUser: number;
  /** Names of the main container's ports that clients use. @default every port of the main container */
  clientPorts?: string[];
  /**
   * The client port a client gets when it names none (see ServiceEndpoint.primaryPort). Required when
   * clients use more than one port. @default the only client port
   */
  primaryPort?: string;
  /**
   * Ports the Service also carries without admitting clients to them (e.g. a metrics port an operator
   * reaches with `kubectl port-forward svc/<name>`, which NetworkPolicy does not filter). @default none
   */
  serviceOnlyPorts?: string[];
  /** A StatefulSet with a headless Service; `mountPath` gets a volume claim of `size.storage`. */
  state?: { mountPath?: string; podManagementPolicy?: "OrderedReady" | "Parallel" };
  /** Port names the replicas use among themselves (cluster bus, gossip, replication). */
  peerPorts?: string[];
  /** Prometheus scrape target; `honorLabels` for exporters that report on other objects (see SCRAPE_ANNOTATIONS). */
  metrics?: { port: string; path: string; honorLabels?: boolean };
  dependencies?: Dependency[];
  admissions?: Admission[];
  egress?: EgressRule[];
  volumes?: Volume[];
  exceptions?: NamedException[];
  podAnnotations?: Record<string, pulumi.Input<string>>;
  terminationGracePeriodSeconds?: number;
  /** "Recreate" for single-writer services that must never run twice (e.g. Milvus standalone). */
  strategy?: "RollingUpdate" | "Recreate";
}

/** The stable DNS names a StatefulSet's pods get: one source of truth for the Workload and its peers' flags. */
export interface StatefulNames {
  /** Name of the headless Service (the StatefulSet's serviceName). */
  headlessName: string;
  /** Cluster DNS name of the headless Service. */
  headlessHost: string;
  /** Pod names in ordinal order: "<name>-0", "<name>-1", ... */
  podNames: string[];
  /** Each pod's DNS name: "<pod>.<headlessHost>". */
  podHosts: string[];
}

/**
 * The names the Workload gives a StatefulSet named `name` with `replicas` pods. Services call it to
 * build cluster flags (seed hosts, initial members) before the Workload exists; the Workload uses the
 * same function, so the two can never disagree.
 */
export function statefulNames(name: string, namespace: string, replicas: number): StatefulNames {
  const headlessName = `${name}-headless`;
  const headlessHost = clusterHost(headlessName, namespace);
  const podNames = Array.from({ length: replicas }, (_, i) => `${name}-${i}`);
  return { headlessName, headlessHost, podNames, podHosts: podNames.map((p) => `${p}.${headlessHost}`) };
}

export class Workload extends pulumi.ComponentResource {
  private readonly clientEndpoint?: ServiceEndpoint;
  private readonly serviceName: string;
  /** Stable DNS names of each pod, in ordinal order (StatefulSets only). */
  readonly podHosts: string[];
  /** Pod names, in ordinal order (StatefulSets only). */
  readonly podNames: string[];
  readonly headlessHost?: string;
  readonly workload: k8s.apps.v1.Deployment | k8s.apps.v1.StatefulSet;

  constructor(args: WorkloadArgs, ctx: WorkloadContext, opts?: pulumi.ComponentResourceOptions) {
    const name = args.id.name;
    super("voicehelper:kit:Workload", name, {}, opts);
    this.serviceName = name;
    const ns = ctx.namespace;
    const { labels, selector, annotations: workloadAnnotations, awaitAnnotations, pod } = podOwner(args, ctx, this);
    const main = args.containers[0];
    const mainPorts = main.ports ?? [];
    const portNames = args.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
    for (const p of [...(args.clientPorts ?? []), ...(args.serviceOnlyPorts ?? []), ...(args.peerPorts ?? []), ...(args.metrics ? [args.metrics.port] : [])]) {
      if (!portNames.includes(p)) throw new Error(`${name}: port "${p}" is not a port of any container (ports: ${portNames.join(", ") || "none"})`);
    }
    const clientPorts = (args.clientPorts ?? mainPorts.map((p) => p.name)).map((n) => {
      const port = args.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === n)!;
      return port;
    });
    const clientPortNames = clientPorts.map((p) => p.name);
    if (args.primaryPort !== undefined && !clientPortNames.includes(args.primaryPort)) {
      throw new Error(`${name}: primaryPort "${args.primaryPort}" is not a client port (client ports: ${clientPortNames.join(", ") || "none"})`);
    }
    if (args.primaryPort === undefined && clientPorts.length > 1) {
      throw new Error(`${name}: clients use ports ${clientPortNames.join(", ")}; name the one they get by default with primaryPort`);
    }
    const maxReplicas = args.size.autoscaling?.maxReplicas ?? args.size.replicas;
    const minReplicas = args.size.autoscaling?.minReplicas ?? args.size.replicas;
    const stateful = args.state !== undefined;
    if (stateful && args.state?.mountPath && !args.size.storage) {
      throw new Error(`${name}: keeps data at ${args.state.mountPath} but its size has no storage`);
    }

    const scrape = scrapeAnnotations(args.containers, args.metrics);

    const template = podTemplate({
      ...pod,
      annotations: { ...scrape, ...(args.podAnnotations ?? {}) },
      terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
      longRunning: true,
      topologySpreadConstraints: maxReplicas > 1 ? nodeSpread(selector, stateful) : undefined,
    });

    const metadata = { name, namespace: ns, labels, annotations: workloadAnnotations };
    const names = statefulNames(name, ns, maxReplicas);
    const headlessName = names.headlessName;
    if (stateful) {
      const protect = ctx.protectData && args.state?.mountPath !== undefined;
      this.workload = new k8s.apps.v1.StatefulSet(
        name,
        {
          metadata,
          spec: {
            serviceName: headlessName,
            replicas: args.size.autoscaling ? undefined : args.size.replicas,
            podManagementPolicy: args.state?.podManagementPolicy ?? "OrderedReady",
            selector: { matchLabels: selector },
            template,
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            volumeClaimTemplates: args.state?.mountPath
              ? [
                  {
                    metadata: { name: "data", labels: selector },
                    spec: {
                      accessModes: ["ReadWriteOnce"],
                      storageClassName: ctx.storageClass,
                      resources: { requests: { storage: args.size.storage! } },
                    },
                  },
                ]
              : undefined,
          },
        },
        { parent: this, protect, retainOnDelete: protect },
      );
      new k8s.core.v1.Service(
        `${name}-headless`,
        {
          metadata: { name: headlessName, namespace: ns, labels, annotations: awaitAnnotations },
          spec: {
            clusterIP: "None",
            // Peers must find each other before they are ready, or a cluster never forms.
            publishNotReadyAddresses: true,
            selector,
            ports: uniquePorts([...clientPorts, ...(args.peerPorts ?? []).map((n) => findPort(args.containers, n))]),
          },
        },
        { parent: this },
      );
      this.headlessHost = names.headlessHost;
      this.podHosts = names.podHosts;
      this.podNames = names.podNames;
    } else {
      this.workload = new k8s.apps.v1.Deployment(
        name,
        {
          metadata,
          spec: {
            replicas: args.size.autoscaling ? undefined : args.size.replicas,
            selector: { matchLabels: selector },
            strategy: args.strategy === "Recreate" ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
            template,
          },
        },
        { parent: this },
      );
      this.podHosts = [];
      this.podNames = [];
    }

    if (clientPorts.length > 0) {
      new k8s.core.v1.Service(
        `${name}-service`,
        {
          metadata: { name, namespace: ns, labels, annotations: awaitAnnotations },
          spec: { type: "ClusterIP", selector, ports: uniquePorts([...clientPorts, ...(args.serviceOnlyPorts ?? []).map((n) => findPort(args.containers, n))]) },
        },
        { parent: this },
      );
    }

    if (minReplicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: { name, namespace: ns, labels }, spec: disruptionBudgetSpec(selector) }, { parent: this });
    }

    if (args.size.autoscaling) {
      const a = args.size.autoscaling;
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
          metadata: { name, namespace: ns, labels },
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: stateful ? "StatefulSet" : "Deployment", name },
            minReplicas: a.minReplicas,
            maxReplicas: a.maxReplicas,
            metrics: [
              { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: a.cpuUtilization } } },
              { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: a.memoryUtilization } } },
            ],
          },
        },
        { parent: this },
      );
    }

    const self = { namespace: ns, selector };
    const admissions: Admission[] = [...(args.admissions ?? [])];
    if (args.peerPorts && args.peerPorts.length > 0 && maxReplicas > 1) {
      const peerPorts = [...clientPorts, ...args.peerPorts.map((n) => findPort(args.containers, n))];
      admissions.push({ role: "peers", from: [self], ports: uniquePortSpecs(peerPorts.map((p) => ({ port: p.containerPort, protocol: p.protocol ?? "TCP" }))) });
    }
    admissions.push(...metricsAdmission(args.containers, args.metrics, ctx.scrapers));
    workloadPolicies({ name, namespace: ns, selector, labels, dependencies: args.dependencies ?? [], admissions, egress: args.egress ?? [], ambient: ctx.ambient }, this);

    const primaryPort = args.primaryPort ?? (clientPorts.length === 1 ? clientPorts[0].name : undefined);
    this.clientEndpoint =
      primaryPort === undefined
        ? undefined
        : { service: name, namespace: ns, host: clusterHost(name, ns), selector, ports: Object.fromEntries(clientPorts.map((p) => [p.name, p.containerPort])), primaryPort };
    this.registerOutputs({ endpoint: this.clientEndpoint });
  }

  /** The client-facing endpoint, for the layers above. */
  get endpoint(): ServiceEndpoint {
    if (!this.clientEndpoint) throw new Error(`${this.serviceName} has no client ports, so no endpoint`);
    return this.clientEndpoint;
  }
}

/** Replicas spread over nodes; replicas of a data store on one node would fail together, so `hard` refuses to co-locate them. */
export function nodeSpread(selector: Labels, hard: boolean): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  return [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: hard ? "DoNotSchedule" : "ScheduleAnyway", labelSelector: { matchLabels: selector } }];
}

/** Metrics a workload exposes: the pod annotations Prometheus' pod discovery keeps. */
export function scrapeAnnotations(containers: ContainerSpec[], metrics: WorkloadArgs["metrics"]): Record<string, string> {
  if (!metrics) return {};
  return podScrapeAnnotations({ port: findPort(containers, metrics.port).containerPort, path: metrics.path, honorLabels: metrics.honorLabels });
}

/** Admits the scrapers (when the stack runs Prometheus) to the metrics port, and only to it. */
export function metricsAdmission(containers: ContainerSpec[], metrics: WorkloadArgs["metrics"], scrapers: Peer | undefined): Admission[] {
  return metrics ? scraperAdmission(findPort(containers, metrics.port).containerPort, scrapers) : [];
}

/** The same for pods the kit does not build (operator-managed), by port number. */
export function scraperAdmission(port: number, scrapers: Peer | undefined): Admission[] {
  return scrapers ? [{ role: "metrics", from: [scrapers], ports: [port] }] : [];
}

function findPort(containers: ContainerSpec[], name: string) {
  const p = containers.flatMap((c) => c.ports ?? []).find((x) => x.name === name);
  if (!p) throw new Error(`no container port named "${name}"`);
  return p;
}

function uniquePorts(ports: { name: string; containerPort: number; protocol?: string }[]): k8s.types.input.core.v1.ServicePort[] {
  const seen = new Set<string>();
  return ports.filter((p) => (seen.has(p.name) ? false : (seen.add(p.name), true))).map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol ?? "TCP" }));
}

function uniquePortSpecs(xs: { port: number; protocol: "TCP" | "UDP" }[]): PortSpec[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(`${x.protocol}/${x.port}`) ? false : (seen.add(`${x.protocol}/${x.port}`), true)));
}
