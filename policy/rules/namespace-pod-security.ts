import { podTemplateOf } from "../lib/k8s";
import { isPssLevel, PssLevel, requiredLevel, stricter } from "../lib/pss";
import { Finding, stackRule } from "../lib/rule";

const ENFORCE = "pod-security.kubernetes.io/enforce";

/**
 * Every namespace carries a Pod Security enforce label (baseline or restricted, privileged only by
 * named exception), and no workload in it needs more than the label allows: Pod Security admission
 * would reject its pods at deploy time.
 */
export const namespacePodSecurity = stackRule({
  name: "namespace-pod-security",
  description: `Every namespace must carry ${ENFORCE} (baseline or restricted; privileged needs a named exception), and every workload must satisfy its namespace's level, or Pod Security admission rejects its pods.`,
  remediationSteps: `Label the namespace ${ENFORCE}: restricted where every workload complies, baseline otherwise; move a workload that needs privileged into its own namespace with a named exception.`,
  config: {
    minimumLevel: { type: "string", enum: ["privileged", "baseline", "restricted"], default: "baseline", description: "Least strict enforce level accepted without an exception." },
  },
  check: (objects, { config }) => {
    const minimum: PssLevel = isPssLevel(config.minimumLevel) ? config.minimumLevel : "baseline";
    const findings: Finding[] = [];
    const levels = new Map<string, PssLevel>();
    for (const o of objects) {
      const k = o.k8s;
      if (!k || k.kind !== "Namespace" || k.group !== "") continue;
      const label = k.labels[ENFORCE];
      if (label === undefined) {
        findings.push({ message: `${k.id} has no ${ENFORCE} label`, target: o });
      } else if (!isPssLevel(label)) {
        findings.push({ message: `${k.id} has an invalid ${ENFORCE} label "${label}" (privileged, baseline or restricted)`, target: o });
      } else {
        levels.set(k.name, label);
        if (stricter(minimum, label)) {
          findings.push({ message: `${k.id} enforces only "${label}" Pod Security (minimum "${minimum}")`, target: o });
        }
      }
    }
    for (const o of objects) {
      const k = o.k8s;
      const tmpl = k ? podTemplateOf(k) : undefined;
      if (!k || !tmpl || !k.namespace) continue;
      const enforced = levels.get(k.namespace);
      if (!enforced) continue;
      const need = requiredLevel(tmpl.spec, tmpl.annotations);
      if (stricter(enforced, need.level)) {
        findings.push({
          message: `${k.id} needs Pod Security "${need.level}" (${need.reasons.slice(0, 4).join(", ")}${need.reasons.length > 4 ? ", ..." : ""}) but namespace "${k.namespace}" enforces "${enforced}": its pods would be rejected`,
          target: o,
        });
      }
    }
    return findings;
  },
});
