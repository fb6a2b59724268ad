// Tricks against the stack rules: a compliant small stack with one thing bent so it looks compliant.
// The near miss of each case is the untouched compliant stack.

import { compliantStack, httpRoute, mutate } from "../fixtures";
import { TestResource } from "../util";
import { AdversarialCase } from "./helpers";

/** The compliant stack with the resource named `name` changed by `change`. */
function bent(name: string, change: (props: any) => void): TestResource[] {
  return compliantStack().map((r) => (r.name === name ? mutate(r, change) : r));
}

const s = (rule: string, trick: string, violating: TestResource[]): AdversarialCase => ({ rule, trick, violating, nearMiss: compliantStack() });

export const STACK_CASES: AdversarialCase[] = [
  s(
    "namespace-default-deny",
    "the deny policy allows all ingress with an empty rule",
    bent("apps-default-deny", (p) => (p.spec.ingress = [{}])),
  ),
  s(
    "namespace-default-deny",
    "the deny policy selects only some pods",
    bent("apps-default-deny", (p) => (p.spec.podSelector = { matchLabels: { tier: "db" } })),
  ),
  s(
    "namespace-default-deny",
    "the deny policy leaves egress open (Ingress only)",
    bent("apps-default-deny", (p) => (p.spec.policyTypes = ["Ingress"])),
  ),
  s(
    "namespace-default-deny",
    "the deny policy sits in another namespace",
    bent("apps-default-deny", (p) => (p.metadata.namespace = "edge")),
  ),
  s(
    "namespace-pod-security",
    "the level written in capitals",
    bent("apps", (p) => (p.metadata.labels["pod-security.kubernetes.io/enforce"] = "Restricted")),
  ),
  s(
    "namespace-pod-security",
    "warn instead of enforce",
    bent("apps", (p) => (p.metadata.labels = { "pod-security.kubernetes.io/warn": "restricted" })),
  ),
  s(
    "namespace-pod-security",
    "privileged level without a named exception",
    bent("apps", (p) => (p.metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged")),
  ),
  s(
    "pdb-for-replicated",
    "a budget that allows no eviction (maxUnavailable 0)",
    bent("api-pdb", (p) => (p.spec.maxUnavailable = 0)),
  ),
  s(
    "pdb-for-replicated",
    "a budget of minAvailable 100%",
    bent("api-pdb", (p) => {
      delete p.spec.maxUnavailable;
      p.spec.minAvailable = "100%";
    }),
  ),
  s(
    "pdb-for-replicated",
    "a budget selecting a label the pods do not carry",
    bent("api-pdb", (p) => (p.spec.selector = { matchLabels: { "app.kubernetes.io/name": "api-v2" } })),
  ),
  s(
    "hpa-target-exists",
    "the HPA targets a misspelt workload",
    bent("api-hpa", (p) => (p.spec.scaleTargetRef.name = "apl")),
  ),
  s(
    "hpa-target-exists",
    "the HPA targets a StatefulSet of the same name",
    bent("api-hpa", (p) => (p.spec.scaleTargetRef.kind = "StatefulSet")),
  ),
  s(
    "hpa-target-exists",
    "inverted bounds",
    bent("api-hpa", (p) => {
      p.spec.minReplicas = 5;
      p.spec.maxReplicas = 2;
    }),
  ),
  s(
    "tls-on-public-routes",
    "an HTTPS listener without a certificate",
    bent("edge-gateway", (p) => delete p.spec.listeners[0].tls.certificateRefs),
  ),
  s("tls-on-public-routes", "a route attached to the HTTP listener by port instead of name", [
    ...compliantStack(),
    mutate(httpRoute("plain", null), (p) => (p.spec.parentRefs = [{ name: "edge", namespace: "edge", port: 80 }])),
  ]),
  s("tls-on-public-routes", "a route attached to every listener", [...compliantStack(), httpRoute("everywhere", null)]),
];
