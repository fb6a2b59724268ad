/**
 * NetworkPolicies derived from declared dependencies. Every namespace starts from default-deny (the
 * prerequisites layer); a client's dependency on an endpoint becomes two allow rules, egress from the
 * client's pods and ingress to the server's pods, so nothing undeclared is reachable.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Peer, ServiceEndpoint } from "./endpoint";
import { Labels } from "./labels";

type Rule = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;

const NAMESPACE_NAME = "kubernetes.io/metadata.name";

export function peerOf(p: Peer): Rule {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: p.namespace } }, podSelector: { matchLabels: p.selector } };
}

const DNS: k8s.types.input.networking.v1.NetworkPolicyEgressRule = {
  to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/** A dependency of a workload: the endpoint and the ports it talks to (default: all of them). */
export interface Dependency {
  endpoint: ServiceEndpoint;
  ports?: string[];
}

/** A port number (TCP), or a number with its protocol (gossip protocols use UDP too). */
export type PortSpec = number | { port: number; protocol: "TCP" | "UDP" };

/** An inbound path the workload itself admits (peers of its own cluster, scrapers, the edge). */
export interface Admission {
  /** Short role used in the policy's name, e.g. "peers", "metrics", "edge". */
  role: string;
  /** "anywhere": every source (the edge's listeners, webhooks the API server calls from an address not known in advance). */
  from: Peer[] | "anywhere";
  ports: PortSpec[];
}

/** Extra egress not covered by endpoints: the Kubernetes API, external HTTPS hosts. */
export interface EgressRule {
  role: string;
  /** @default anywhere */
  to?: k8s.types.input.networking.v1.NetworkPolicyPeer[];
  /** @default every port (only for destinations discovered at run time, e.g. scrape targets) */
  ports?: Port[];
}

/** Every IPv4 address: for destinations whose addresses this program cannot know. */
const ANYWHERE: Rule[] = [{ ipBlock: { cidr: "0.0.0.0/0" } }];

/**
 * Egress to the Kubernetes API server, for workloads that watch or change cluster objects (operators,
 * instance managers, bootstrap jobs, scrapers that discover targets). The API
 * server's address differs per cluster (and most CNIs evaluate policy after the Service IP has been
 * translated to the control plane's own address and port), so this admits any address on the two
 * ports an API server listens on: 443 (the `kubernetes` Service) and 6443 (the usual endpoint port).
 */
export function kubernetesApiEgress(): EgressRule {
  return { role: "kubernetes-api", to: ANYWHERE, ports: tcpPorts([443, 6443]) };
}

/** Egress to hosts outside the cluster named only by configuration (SMTP relays, webhooks), on their ports. */
export function externalEgress(role: string, ports: number[]): EgressRule {
  return { role, to: ANYWHERE, ports: tcpPorts(uniq(ports)) };
}

/**
 * Egress to every pod of these namespaces on any port: for clients whose targets are discovered at
 * run time (a metrics scraper follows pod annotations, so no static list of ports exists).
 */
export function namespacesEgress(role: string, namespaces: readonly string[]): EgressRule {
  return { role, to: namespaces.map((ns) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: ns } } })) };
}

function uniq(xs: number[]): number[] {
  return [...new Set(xs)];
}

/**
 * Istio ambient: ztunnel carries meshed traffic as HBONE to port 15008 of the destination pod, so every
 * pod-to-pod path also needs 15008; and the kubelet's probes reach meshed pods from this link-local
 * address (ztunnel SNATs them), so they must be admitted or every probe fails.
 */
export const HBONE_PORT = 15008;
export const AMBIENT_PROBE_SOURCE = "169.254.7.127/32";

function withHbone(ports: PortSpec[], ambient: boolean): PortSpec[] {
  return ambient ? [...ports, HBONE_PORT] : ports;
}

export interface WorkloadPoliciesArgs {
  name: string;
  namespace: string;
  selector: Labels;
  labels: Labels;
  dependencies: Dependency[];
  admissions: Admission[];
  egress: EgressRule[];
  /** The pods are in Istio's ambient mesh: add HBONE and the kubelet's probe source. */
  ambient?: boolean;
}

function tcpPorts(ports: PortSpec[]): Port[] {
  return ports.map((p) => (typeof p === "number" ? { protocol: "TCP", port: p } : { protocol: p.protocol, port: p.port }));
}

function dependencyPorts(d: Dependency): number[] {
  const names = d.ports ?? Object.keys(d.endpoint.ports);
  return names.map((n) => {
    const p = d.endpoint.ports[n];
    if (p === undefined) throw new Error(`${d.endpoint.service} offers no port "${n}" (it offers ${Object.keys(d.endpoint.ports).join(", ")})`);
    return p;
  });
}

/**
 * Admits `from` to the pods selected by `target` on `ports`: a NetworkPolicy named
 * `<target>-from-<role>` in the target's namespace. `"anywhere"` admits every source (the edge's
 * public listeners, webhooks called by an API server whose address differs per cluster).
 */
export function admit(
  target: Peer & { name: string },
  role: string,
  from: Peer[] | "anywhere",
  ports: PortSpec[],
  labels: Labels,
  parent: pulumi.Resource,
  ambient = false,
): k8s.networking.v1.NetworkPolicy {
  const name = `${target.name}-from-${role}`;
  const sources = from === "anywhere" ? [{ ipBlock: { cidr: "0.0.0.0/0" } }] : from.map(peerOf);
  const allPorts = withHbone(ports, ambient);
  return new k8s.networking.v1.NetworkPolicy(
    name,
    {
      metadata: { name, namespace: target.namespace, labels },
      spec: {
        podSelector: { matchLabels: target.selector },
        policyTypes: ["Ingress"],
        ingress: [{ from: sources, ports: tcpPorts(allPorts) }],
      },
    },
    { parent },
  );
}

/** Creates the workload's egress policy, its admissions, and an ingress policy at each dependency. */
export function workloadPolicies(args: WorkloadPoliciesArgs, parent: pulumi.Resource): void {
  const self: Peer = { namespace: args.namespace, selector: args.selector };
  const egressRules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [DNS];
  const ambient = args.ambient ?? false;
  for (const d of args.dependencies) egressRules.push({ to: [peerOf(d.endpoint)], ports: tcpPorts(withHbone(dependencyPorts(d), ambient)) });
  for (const e of args.egress) egressRules.push({ to: e.to, ports: e.ports });
  for (const a of args.admissions) {
    if (a.role === "peers" && a.from !== "anywhere") egressRules.push({ to: a.from.map(peerOf), ports: tcpPorts(withHbone(a.ports, ambient)) });
  }

  new k8s.networking.v1.NetworkPolicy(
    `${args.name}-egress`,
    {
      metadata: { name: `${args.name}-egress`, namespace: args.namespace, labels: args.labels },
      spec: { podSelector: { matchLabels: args.selector }, policyTypes: ["Egress"], egress: egressRules },
    },
    { parent },
  );

  const target = { name: args.name, ...self };
  for (const a of args.admissions) admit(target, a.role, a.from, a.ports, args.labels, parent, ambient);
  for (const d of args.dependencies) {
    admit({ name: d.endpoint.service, namespace: d.endpoint.namespace, selector: d.endpoint.selector }, args.name, [self], dependencyPorts(d), args.labels, parent, ambient);
  }
  if (ambient) {
    new k8s.networking.v1.NetworkPolicy(
      `${args.name}-from-kubelet-probes`,
      {
        metadata: { name: `${args.name}-from-kubelet-probes`, namespace: args.namespace, labels: args.labels },
        spec: { podSelector: { matchLabels: args.selector }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: AMBIENT_PROBE_SOURCE } }] }] },
      },
      { parent },
    );
  }
}
