import { containerSC, perContainer } from "../lib/pod";
import { resourceRule } from "../lib/rule";

/** Every container sets allowPrivilegeEscalation: false explicitly (Kubernetes defaults it to true). */
export const noPrivilegeEscalation = resourceRule({
  name: "no-privilege-escalation",
  description: "Every container and init container must set securityContext.allowPrivilegeEscalation: false.",
  remediationSteps: "Set securityContext.allowPrivilegeEscalation: false on the container (the kit's container builder does).",
  check: (obj) =>
    perContainer(obj, (c) => {
      const value = containerSC(c).allowPrivilegeEscalation;
      if (value === false) {
        return undefined;
      }
      return value === true ? "allows privilege escalation (allowPrivilegeEscalation: true)" : "does not set allowPrivilegeEscalation: false (Kubernetes defaults it to true)";
    }),
});
