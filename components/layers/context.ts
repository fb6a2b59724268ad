/**
 * What every layer receives from the platform: its slice of the resolved config and the typed
 * outputs of the layers below it. Layers never read stack config themselves.
 */
import { CATALOG, NAMESPACES, ServiceName } from "../config/catalog";
import { ServiceSize } from "../config/schema";
import { SharedSettings } from "../kit/config-map";
import { Peer, ServiceEndpoint } from "../kit/endpoint";
import { Dependency } from "../kit/network-policy";
import { EndpointLookup, EndpointRegistry } from "./endpoint-registry";
import { WorkloadContext } from "../kit/workload";
import { PriorityRole } from "./prerequisites";

export interface LayerArgs {
  /** The services this stack deploys. */
  services: readonly ServiceName[];
  sizes: Readonly<Record<ServiceName, ServiceSize>>;
  /** One bootstrap Job pod (buckets, schemas, users, cluster bootstrap); backups use `sizes.backup`. */
  bootstrapJobSize: ServiceSize;
  protectData: boolean;
  storageClass?: string;
  skipAwait: boolean;
  /** Install components that come from remote Helm charts (operators); false where chart repositories are unreachable. */
  externalCharts: boolean;
  priorityClasses: Record<PriorityRole, string>;
  /** Prometheus' pods, when the stack deploys Prometheus. */
  scrapers?: Peer;
  /** The platform namespaces are in Istio's ambient mesh. */
  ambient?: boolean;
  /** The shared application ConfigMap, when the stack deploys in-house services. */
  appSettings?: SharedSettings;
  /** The stack's one endpoint registry: the layer registers its services' endpoints and finds those of the layers built before it. */
  endpoints: EndpointRegistry;
  /** The trace collector and each service's sampling rate, when the stack runs one. */
  tracing?: { collector: ServiceEndpoint; samplingRate: (service: ServiceName) => number };
}

export function isDeployed(args: Pick<LayerArgs, "services">, service: ServiceName): boolean {
  return args.services.includes(service);
}

/** The WorkloadContext for one service: its catalog namespace and a priority class. */
export function contextFor(args: LayerArgs, service: ServiceName, priority: PriorityRole): WorkloadContext {
  return {
    namespace: NAMESPACES[CATALOG[service].namespace],
    protectData: args.protectData,
    storageClass: args.storageClass,
    skipAwait: args.skipAwait,
    priorityClassName: args.priorityClasses[priority],
    scrapers: args.scrapers,
    ambient: args.ambient,
    appSettings: args.appSettings,
    tracing: args.tracing && { collector: args.tracing.collector, initialSamplingRate: args.tracing.samplingRate(service) },
  };
}

/** What the catalog says `service` talks to: its `needs`, then its `uses`. */
function declaredDependencies(service: ServiceName): ServiceName[] {
  const entry = CATALOG[service];
  return [...(entry.needs ?? []), ...(entry.uses ?? [])] as ServiceName[];
}

/**
 * The deployed services that declare `service` among their needs or uses: the clients a server
 * provisions per-client credentials for (the same graph the clients' wiring comes from).
 */
export function clientsOf(service: ServiceName, deployedServices: readonly ServiceName[]): ServiceName[] {
  return deployedServices.filter((s) => declaredDependencies(s).includes(service));
}

/**
 * The service's dependencies as the catalog states them (`needs`, and `uses` that are deployed),
 * resolved to endpoints. A hard need without an endpoint is a wiring bug and fails the build.
 */
export function dependenciesOf(service: ServiceName, endpoints: EndpointLookup, deployedServices: readonly ServiceName[]): Dependency[] {
  const entry = CATALOG[service];
  const deps: Dependency[] = [];
  for (const name of declaredDependencies(service)) {
    const endpoint = endpoints.get(name);
    if (endpoint) deps.push({ endpoint });
    else if ((entry.needs as readonly string[] | undefined)?.includes(name) && deployedServices.includes(name)) {
      throw new Error(`${service} needs ${name}, which is deployed but was not wired: build ${name}'s layer first`);
    }
  }
  return deps;
}
