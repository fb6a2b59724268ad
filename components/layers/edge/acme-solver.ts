/**
 * The paths ACME's HTTP-01 challenge takes through default-deny namespaces (docs/edge-tls.md):
 * Let's Encrypt, and first cert-manager's own self-check, fetch
 * `http://<host>/.well-known/acme-challenge/<token>` from the edge, which forwards it to the solver
 * pod cert-manager starts next to the Certificate. The solver only answers: it needs no egress.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Peer } from "../../kit/endpoint";
import { Labels } from "../../kit/labels";
import { EgressRule, HBONE_PORT, peerOf } from "../../kit/network-policy";
import { ACME_SOLVER } from "./tls";

/** The solver pods of one namespace. */
export function acmeSolverPods(namespace: string): Peer {
  return { namespace, selector: { ...ACME_SOLVER.selector } };
}

/** The ports the edge uses to reach a solver: its listener, and HBONE when the namespace is in the ambient mesh. */
function solverPorts(ambient: boolean) {
  return [ACME_SOLVER.port, ...(ambient ? [HBONE_PORT] : [])].map((port) => ({ protocol: "TCP", port }));
}

/** The edge proxy's egress to the solver pods (for its own egress policy). */
export function egressToAcmeSolvers(namespaces: string[], ambient: boolean): EgressRule[] {
  return namespaces.length === 0 ? [] : [{ role: "acme-http01-solver", to: namespaces.map((ns) => peerOf(acmeSolverPods(ns))), ports: solverPorts(ambient) }];
}

/**
 * Admits the edge (`from`: the Gateway's proxy, or the Ingress controller's namespace) to the solver
 * pods of each namespace that holds a Certificate: a NetworkPolicy `acme-http01-solver-from-edge` there.
 */
export function admitEdgeToAcmeSolvers(namespaces: string[], from: Peer, ambient: boolean, labels: Labels, parent: pulumi.Resource): void {
  for (const namespace of namespaces) {
    new k8s.networking.v1.NetworkPolicy(
      `acme-http01-solver-from-edge-${namespace}`,
      {
        metadata: { name: "acme-http01-solver-from-edge", namespace, labels },
        spec: {
          podSelector: { matchLabels: acmeSolverPods(namespace).selector },
          policyTypes: ["Ingress"],
          ingress: [{ from: [peerOf(from)], ports: solverPorts(ambient) }],
        },
      },
      { parent },
    );
  }
}
