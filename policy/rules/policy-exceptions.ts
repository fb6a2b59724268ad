import { annotationExceptions } from "../lib/exceptions";
import { containersOf, podTemplateOf } from "../lib/k8s";
import { isRuleName, NOT_EXCEPTABLE_BY_ANNOTATION } from "../lib/names";
import { Finding, resourceRule } from "../lib/rule";

/** Exception annotations are well-formed: valid JSON, known rules, existing containers, a reason each. */
export const policyExceptions = resourceRule({
  name: "policy-exceptions",
  description:
    'The annotation voicehelper.io/policy-exceptions must be a JSON object of known rule names (optionally "<rule>:<container>") to non-empty reasons, and must not name a rule that only the stack\'s pack config can relax.',
  remediationSteps:
    'Fix the annotation: {"<rule>": "<why this workload needs it>"}. Exceptions to no-default-credentials, credentials-from-generated-secrets and resource-limits belong in the stack\'s policy config.',
  check: (obj) => {
    const parsed = annotationExceptions(obj);
    const findings: Finding[] = parsed.errors.map((message) => ({ message }));
    const tmpl = podTemplateOf(obj, true);
    const containers = new Set(tmpl ? containersOf(tmpl.spec).map((c) => c.name) : []);
    for (const e of parsed.entries) {
      const key = e.container ? `${e.rule}:${e.container}` : e.rule;
      if (!isRuleName(e.rule)) {
        findings.push({ message: `${obj.id}: exception "${key}" names no rule of this pack` });
      } else if (NOT_EXCEPTABLE_BY_ANNOTATION.has(e.rule)) {
        findings.push({ message: `${obj.id}: exception "${key}" is not allowed by annotation; only the stack's policy config can relax ${e.rule}` });
      }
      if (e.container !== undefined && !containers.has(e.container)) {
        findings.push({ message: `${obj.id}: exception "${key}" names a container the pod does not have` });
      }
      if (e.reason.trim() === "") {
        findings.push({ message: `${obj.id}: exception "${key}" has an empty reason` });
      }
    }
    return findings;
  },
});
