import { K8sObject, podTemplateOf, REPLICATED_KINDS } from "../lib/k8s";
import { operatorWorkload } from "../lib/operators";
import { Finding, StackObject, stackRule } from "../lib/rule";
import { selects } from "../lib/selectors";
import { asNumber, asObject, asString } from "../lib/values";

/** HPAs of the stack, keyed by `<namespace>/<kind>/<name>` of their target. */
export function hpaTargets(objects: StackObject[]): Map<string, { min: number; max?: number }> {
  const out = new Map<string, { min: number; max?: number }>();
  for (const o of objects) {
    const k = o.k8s;
    if (!k || k.kind !== "HorizontalPodAutoscaler" || k.group !== "autoscaling") continue;
    const spec = asObject(k.props.spec) ?? {};
    const ref = asObject(spec.scaleTargetRef) ?? {};
    out.set(`${k.namespace}/${asString(ref.kind)}/${asString(ref.name)}`, { min: asNumber(spec.minReplicas) ?? 1, max: asNumber(spec.maxReplicas) });
  }
  return out;
}

function blocksEviction(pdb: K8sObject, replicas: number): string | undefined {
  const spec = asObject(pdb.props.spec) ?? {};
  const maxUnavailable = spec.maxUnavailable;
  if (maxUnavailable === 0 || maxUnavailable === "0" || maxUnavailable === "0%") {
    return "maxUnavailable 0 blocks every voluntary eviction (node drains hang)";
  }
  const minAvailable = spec.minAvailable;
  if (
    minAvailable === "100%" ||
    (typeof minAvailable === "number" && minAvailable >= replicas) ||
    (typeof minAvailable === "string" && /^\d+$/.test(minAvailable) && Number(minAvailable) >= replicas)
  ) {
    return `minAvailable ${minAvailable} with ${replicas} replicas blocks every voluntary eviction (node drains hang)`;
  }
  return undefined;
}

/** Every workload that runs more than one replica has a PodDisruptionBudget that still allows drains. */
export const pdbForReplicated = stackRule({
  name: "pdb-for-replicated",
  description:
    "Every Deployment/StatefulSet with more than one replica (spec.replicas, or an HPA's minReplicas), and every operator resource whose operator makes such a Deployment (a CloudNativePG Pooler with instances > 1), must be covered by a PodDisruptionBudget in its namespace whose selector matches its pods, and that budget must still allow an eviction.",
  remediationSteps: "Create the kit's PodDisruptionBudget (maxUnavailable: 1, selector = the workload's selector labels) for every multi-replica workload.",
  check: (objects) => {
    const hpas = hpaTargets(objects);
    const pdbs = objects.filter((o) => o.k8s?.kind === "PodDisruptionBudget" && o.k8s.group === "policy").map((o) => o.k8s as K8sObject);
    const findings: Finding[] = [];
    for (const o of objects) {
      const k = o.k8s;
      if (!k) continue;
      const operator = operatorWorkload(k);
      if (!operator && (!REPLICATED_KINDS.has(k.kind) || (k.group !== "apps" && k.group !== ""))) continue;
      const tmpl = podTemplateOf(k, operator !== undefined);
      if (!tmpl) continue;
      const hpa = hpas.get(`${k.namespace}/${k.kind}/${k.name}`);
      const replicas = operator ? operator.replicas(asObject(k.props.spec) ?? {}) : Math.max(asNumber(asObject(k.props.spec)?.replicas) ?? 1, hpa?.min ?? 0);
      if (replicas <= 1) continue;
      // The operator's own labels are on the pods too, and are what a budget for them selects.
      const podLabels = { ...tmpl.labels, ...(operator?.podLabels(k) ?? {}) };
      const covering = pdbs.filter((p) => p.namespace === k.namespace && selects(asObject(p.props.spec)?.selector, podLabels));
      if (covering.length === 0) {
        findings.push({ message: `${k.id} runs ${replicas} replicas but no PodDisruptionBudget in namespace "${k.namespace}" selects its pods`, target: o });
        continue;
      }
      for (const p of covering) {
        const problem = blocksEviction(p, replicas);
        if (problem) {
          findings.push({ message: `${p.id} covers ${k.id}, but ${problem}`, target: o });
        }
      }
    }
    return findings;
  },
});
