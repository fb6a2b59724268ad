import { podTemplateOf } from "../lib/k8s";
import { containerSC, perContainer, podSC, SAFE_SYSCTLS } from "../lib/pod";
import { Finding, resourceRule } from "../lib/rule";
import { asArray, asObject, asString } from "../lib/values";

/** No privileged containers, Windows host processes, unmasked /proc or unsafe sysctls. */
export const noPrivileged = resourceRule({
  name: "no-privileged",
  description: "Containers must not run privileged (nor as Windows host processes, with an unmasked /proc, or with unsafe sysctls).",
  remediationSteps:
    "Remove securityContext.privileged, windowsOptions.hostProcess and procMount: Unmasked, and keep to the safe sysctls. " +
    'If one container truly needs privilege (a sysctl init container), declare the exception "no-privileged:<container>" with a reason.',
  check: (obj) => {
    const findings: Finding[] = perContainer(obj, (c) => {
      const sc = containerSC(c);
      const problems: string[] = [];
      if (sc.privileged === true) {
        problems.push("runs privileged (securityContext.privileged: true)");
      }
      if (asObject(sc.windowsOptions)?.hostProcess === true) {
        problems.push("runs as a Windows host process");
      }
      const procMount = asString(sc.procMount);
      if (procMount !== undefined && procMount !== "Default") {
        problems.push(`sets procMount: ${procMount} (unmasked /proc)`);
      }
      return problems;
    });
    const spec = podTemplateOf(obj)?.spec;
    if (spec) {
      if (asObject(podSC(spec).windowsOptions)?.hostProcess === true) {
        findings.push({ message: `${obj.id}: the pod runs as a Windows host process` });
      }
      const unsafe = asArray(podSC(spec).sysctls)
        .map((s) => asString(asObject(s)?.name))
        .filter((n): n is string => n !== undefined && !SAFE_SYSCTLS.has(n));
      if (unsafe.length > 0) {
        findings.push({ message: `${obj.id}: the pod sets unsafe sysctls (${unsafe.join(", ")}); configure them on the nodes instead` });
      }
    }
    return findings;
  },
});
