import { groupOf } from "../lib/k8s";
import { Finding, stackRule } from "../lib/rule";
import { asNumber, asObject, asString } from "../lib/values";

/** Every HorizontalPodAutoscaler targets a workload the stack creates, with sane bounds. */
export const hpaTargetExists = stackRule({
  name: "hpa-target-exists",
  description: "Every HorizontalPodAutoscaler must target a workload (kind, API group, name) that the stack creates in its namespace, with 1 <= minReplicas <= maxReplicas.",
  remediationSteps: "Create the HPA with the kit's autoscaler builder from the workload itself (typed reference), not from a name string.",
  check: (objects) => {
    const findings: Finding[] = [];
    for (const o of objects) {
      const k = o.k8s;
      if (!k || k.kind !== "HorizontalPodAutoscaler" || k.group !== "autoscaling") continue;
      const spec = asObject(k.props.spec) ?? {};
      const ref = asObject(spec.scaleTargetRef) ?? {};
      const kind = asString(ref.kind);
      const name = asString(ref.name);
      const apiVersion = asString(ref.apiVersion);
      const target = objects.find(
        (t) => t.k8s !== undefined && t.k8s.kind === kind && t.k8s.name === name && t.k8s.namespace === k.namespace && (apiVersion === undefined || groupOf(apiVersion) === t.k8s.group),
      );
      if (target && asObject(target.props.spec)?.replicas !== undefined) {
        findings.push({
          message: `${target.k8s?.id} sets spec.replicas although ${k.id} scales it: every update resets the replica count (leave replicas unset)`,
          target: o,
          advisory: true,
        });
      }
      if (!target) {
        findings.push({ message: `${k.id} targets ${apiVersion ?? "?"} ${kind ?? "?"} "${name ?? "?"}", which the stack does not create in namespace "${k.namespace}"`, target: o });
      }
      const min = asNumber(spec.minReplicas) ?? 1;
      const max = asNumber(spec.maxReplicas);
      if (min < 1 || (max !== undefined && max < min)) {
        findings.push({ message: `${k.id} has invalid bounds (minReplicas ${min}, maxReplicas ${max ?? "unset"})`, target: o });
      }
    }
    return findings;
  },
});
