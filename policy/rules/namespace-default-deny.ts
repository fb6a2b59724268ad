import { K8sObject, podTemplateOf } from "../lib/k8s";
import { Finding, StackObject, stackRule } from "../lib/rule";
import { isEmptySelector } from "../lib/selectors";
import { asArray, asObject, asString } from "../lib/values";

const DEFAULT_IGNORED = ["kube-system", "kube-public", "kube-node-lease"];

/** True for a NetworkPolicy that selects every pod and allows nothing in (and, by default, nothing out). */
export function isDefaultDeny(np: K8sObject, requireEgress: boolean): boolean {
  const spec = asObject(np.props.spec);
  if (!spec || !isEmptySelector(spec.podSelector ?? {})) {
    return false;
  }
  const types = asArray(spec.policyTypes).map((t) => asString(t));
  if (!types.includes("Ingress") || asArray(spec.ingress).length > 0) {
    return false;
  }
  return !requireEgress || (types.includes("Egress") && asArray(spec.egress).length === 0);
}

/** Every namespace the stack creates or deploys into has a default-deny NetworkPolicy. */
export const namespaceDefaultDeny = stackRule({
  name: "namespace-default-deny",
  description:
    "Every namespace the stack creates or runs workloads in must have a default-deny NetworkPolicy: podSelector {}, policyTypes Ingress and Egress, no ingress or egress rules (allow-lists are separate policies).",
  remediationSteps: "Create the kit's default-deny NetworkPolicy in the namespace, then one allow-list policy per dependency (DNS included).",
  config: {
    requireEgress: { type: "boolean", default: true, description: "Whether the default-deny policy must also deny egress." },
    ignoreNamespaces: { type: "array", items: { type: "string" }, default: DEFAULT_IGNORED, description: "Namespaces not checked." },
  },
  check: (objects, { config }) => {
    const requireEgress = config.requireEgress !== false;
    const ignored = new Set(asArray(config.ignoreNamespaces ?? DEFAULT_IGNORED).map((n) => String(n)));
    const denied = new Set<string>();
    for (const o of objects) {
      if (o.k8s && o.k8s.kind === "NetworkPolicy" && o.k8s.group === "networking.k8s.io" && isDefaultDeny(o.k8s, requireEgress)) {
        denied.add(o.k8s.namespace ?? "default");
      }
    }
    const namespaces = new Map<string, StackObject>();
    for (const o of objects) {
      const k = o.k8s;
      if (!k) continue;
      if (k.kind === "Namespace" && k.group === "") {
        namespaces.set(k.name, o);
      } else if (podTemplateOf(k) && k.namespace && !namespaces.has(k.namespace)) {
        namespaces.set(k.namespace, o);
      }
    }
    const findings: Finding[] = [];
    for (const [ns, o] of namespaces) {
      if (ignored.has(ns) || denied.has(ns)) continue;
      const via = o.k8s?.kind === "Namespace" ? "" : ` (the stack runs ${o.k8s?.id} there)`;
      findings.push({ message: `namespace "${ns}" has no default-deny NetworkPolicy${via}`, target: o });
    }
    return findings;
  },
});
