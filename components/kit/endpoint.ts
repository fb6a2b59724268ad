/**
 * What a service offers the layers above it: where it is and which pods serve it. Clients get this
 * typed object, never a hostname rebuilt from strings, and the kit turns a client's dependencies on
 * endpoints into NetworkPolicy allow-lists on both sides.
 */
import { Labels } from "./labels";

export interface Peer {
  /** Namespace the pods run in. */
  namespace: string;
  /** Labels that select exactly the pods. */
  selector: Labels;
}

export interface ServiceEndpoint extends Peer {
  /** Catalog name of the service. */
  service: string;
  /** Cluster DNS name of the client-facing Service. */
  host: string;
  /** Client-facing ports by name. */
  ports: Readonly<Record<string, number>>;
  /**
   * The port a client gets when it does not name one (its `<SERVICE>_URL`, the edge's backend, the
   * stack's `endpoints` output); always a key of `ports`, chosen by the service's builder.
   */
  primaryPort: string;
}

export function clusterHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** The number of a named port. */
export function portNumber(e: ServiceEndpoint, port: string): number {
  const p = e.ports[port];
  if (p === undefined) throw new Error(`${e.service} has no port "${port}"; it offers ${Object.keys(e.ports).join(", ") || "none"}`);
  return p;
}

/** "host:port" for a named port. */
export function hostPort(e: ServiceEndpoint, port: string): string {
  return `${e.host}:${portNumber(e, port)}`;
}

/** The number of the endpoint's primary port. */
export function primaryPortNumber(e: ServiceEndpoint): number {
  return portNumber(e, e.primaryPort);
}

/** "host:port" of the endpoint's primary port. */
export function primaryAddress(e: ServiceEndpoint): string {
  return hostPort(e, e.primaryPort);
}

/** `http://host:port` of the endpoint's primary port, for clients that speak HTTP to it. */
export function primaryHttpUrl(e: ServiceEndpoint): string {
  return `http://${primaryAddress(e)}`;
}

/**
 * The same service offered on fewer ports (clients admitted to those only), `primary` first among
 * them; refuses a port the service does not have.
 */
export function narrowedTo(e: ServiceEndpoint, primary: string, ...others: string[]): ServiceEndpoint {
  const ports = Object.fromEntries([primary, ...others].map((name) => [name, portNumber(e, name)]));
  return { ...e, ports, primaryPort: primary };
}
