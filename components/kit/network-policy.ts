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

/** An inbound path the workload itself admits (peers of its own cluster, scrapers, the edge). */
export interface Admission {
  /** Short role used in the policy's name, e.g. "peers", "metrics", "edge". */
  role: string;
  from: Peer[];
  ports: number[];
}

/** Extra egress not covered by endpoints: the Kubernetes API, external HTTPS hosts. */
export interface EgressRule {
  role: string;
  to?: k8s.types.input.networking.v1.NetworkPolicyPeer[];
  ports: Port[];
}

/**
 * Egress to the Kubernetes API server (operators, instance managers, bootstrap jobs). Its address is
 * the cluster's and not known here, so the rule opens the API's usual ports to any destination.
 */
export const KUBERNETES_API_EGRESS: EgressRule = {
  role: "kubernetes-api",
  ports: [
    { protocol: "TCP", port: 443 },
    { protocol: "TCP", port: 6443 },
  ],
};

export interface WorkloadPoliciesArgs {
  name: string;
  namespace: string;
  selector: Labels;
  labels: Labels;
  dependencies: Dependency[];
  admissions: Admission[];
  egress: EgressRule[];
}

function tcpPorts(ports: number[]): Port[] {
  return ports.map((port) => ({ protocol: "TCP", port }));
}

function dependencyPorts(d: Dependency): number[] {
  const names = d.ports ?? Object.keys(d.endpoint.ports);
  return names.map((n) => {
    const p = d.endpoint.ports[n];
    if (p === undefined) throw new Error(`${d.endpoint.service} offers no port "${n}" (it offers ${Object.keys(d.endpoint.ports).join(", ")})`);
    return p;
  });
}

/** Creates the workload's egress policy, its admissions, and an ingress policy at each dependency. */
export function workloadPolicies(args: WorkloadPoliciesArgs, parent: pulumi.Resource): void {
  const self: Peer = { namespace: args.namespace, selector: args.selector };
  const egressRules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [DNS];
  for (const d of args.dependencies) egressRules.push({ to: [peerOf(d.endpoint)], ports: tcpPorts(dependencyPorts(d)) });
  for (const e of args.egress) egressRules.push({ to: e.to, ports: e.ports });
  for (const a of args.admissions.filter((x) => x.role === "peers")) egressRules.push({ to: a.from.map(peerOf), ports: tcpPorts(a.ports) });

  new k8s.networking.v1.NetworkPolicy(
    `${args.name}-egress`,
    {
      metadata: { name: `${args.name}-egress`, namespace: args.namespace, labels: args.labels },
      spec: { podSelector: { matchLabels: args.selector }, policyTypes: ["Egress"], egress: egressRules },
    },
    { parent },
  );

  for (const a of args.admissions) {
    new k8s.networking.v1.NetworkPolicy(
      `${args.name}-from-${a.role}`,
      {
        metadata: { name: `${args.name}-from-${a.role}`, namespace: args.namespace, labels: args.labels },
        spec: { podSelector: { matchLabels: args.selector }, policyTypes: ["Ingress"], ingress: [{ from: a.from.map(peerOf), ports: tcpPorts(a.ports) }] },
      },
      { parent },
    );
  }

  for (const d of args.dependencies) {
    const server = d.endpoint;
    new k8s.networking.v1.NetworkPolicy(
      `${server.service}-from-${args.name}`,
      {
        metadata: { name: `${server.service}-from-${args.name}`, namespace: server.namespace, labels: args.labels },
        spec: {
          podSelector: { matchLabels: server.selector },
          policyTypes: ["Ingress"],
          ingress: [{ from: [peerOf(self)], ports: tcpPorts(dependencyPorts(d)) }],
        },
      },
      { parent },
    );
  }
}
