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
}

export function clusterHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** "host:port" for a named port. */
export function hostPort(e: ServiceEndpoint, port: string): string {
  const p = e.ports[port];
  if (p === undefined) throw new Error(`${e.service} has no port "${port}"; it offers ${Object.keys(e.ports).join(", ")}`);
  return `${e.host}:${p}`;
}
