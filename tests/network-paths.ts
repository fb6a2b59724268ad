/**
 * Follows a connection through the rendered NetworkPolicies as the API's semantics define it: a pod
 * that any policy selects for a direction is isolated in that direction, and is then reachable only
 * through a rule of a selecting policy. Sources and destinations are pods by namespace and labels.
 * An `ipBlock` never matches a pod here: CNIs differ on in-cluster sources, so a path that relies on
 * one is not a path this program may count on.
 */
import { Rendered, RenderedResource } from "./harness";

export interface PodRef {
  namespace: string;
  labels: Record<string, string>;
}

const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

function namespaceLabels(r: Rendered, namespace: string): Record<string, string> {
  const ns = r.ofType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === namespace);
  return { ...(ns?.inputs.metadata.labels ?? {}), "kubernetes.io/metadata.name": namespace };
}

function matches(selector: any, labels: Record<string, string>): boolean {
  if (selector === undefined) return true;
  if (selector.matchExpressions?.length) throw new Error("matchExpressions are not evaluated by this helper");
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function peerMatches(r: Rendered, peer: any, policyNamespace: string, pod: PodRef): boolean {
  if (peer.ipBlock) return false;
  const inNamespace = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(r, pod.namespace)) : pod.namespace === policyNamespace;
  return inNamespace && matches(peer.podSelector, pod.labels);
}

function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || (typeof p.port === "number" && (p.endPort ? port >= p.port && port <= p.endPort : p.port === port))));
}

function selecting(r: Rendered, pod: PodRef, type: "Ingress" | "Egress"): RenderedResource[] {
  return r
    .ofType(POLICY)
    .filter((p) => p.inputs.metadata.namespace === pod.namespace && matches(p.inputs.spec.podSelector, pod.labels))
    .filter((p) => (p.inputs.spec.policyTypes ?? ["Ingress"]).includes(type));
}

/** The policies of `to` that admit `from` on the port (empty when `to` is not isolated for ingress: everything is admitted). */
export function ingressAllowed(r: Rendered, from: PodRef, to: PodRef, port: number, protocol = "TCP"): boolean {
  const policies = selecting(r, to, "Ingress");
  if (policies.length === 0) return true;
  return policies.some((p) =>
    (p.inputs.spec.ingress ?? []).some((rule: any) => portMatches(rule.ports, port, protocol) && (rule.from === undefined || rule.from.some((peer: any) => peerMatches(r, peer, to.namespace, from)))),
  );
}

export function egressAllowed(r: Rendered, from: PodRef, to: PodRef, port: number, protocol = "TCP"): boolean {
  const policies = selecting(r, from, "Egress");
  if (policies.length === 0) return true;
  return policies.some((p) =>
    (p.inputs.spec.egress ?? []).some((rule: any) => portMatches(rule.ports, port, protocol) && (rule.to === undefined || rule.to.some((peer: any) => peerMatches(r, peer, from.namespace, to)))),
  );
}

/** Both ends agree: `from` may send to `to` on the port and `to` admits it. */
export function reachable(r: Rendered, from: PodRef, to: PodRef, port: number, protocol = "TCP"): boolean {
  return egressAllowed(r, from, to, port, protocol) && ingressAllowed(r, from, to, port, protocol);
}

/** Whether `pod` is isolated (some policy selects it) for that direction: what default-deny means for it. */
export function isolated(r: Rendered, pod: PodRef, type: "Ingress" | "Egress"): boolean {
  return selecting(r, pod, type).length > 0;
}

/** The pod template labels of a workload. */
export function podOf(w: RenderedResource): PodRef {
  const tpl = w.type === "kubernetes:batch/v1:CronJob" ? w.inputs.spec.jobTemplate.spec.template : w.inputs.spec.template;
  return { namespace: w.inputs.metadata.namespace, labels: tpl.metadata.labels };
}
