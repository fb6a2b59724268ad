import { containerSC, perContainer, podSC, seccompType } from "../lib/pod";
import { resourceRule } from "../lib/rule";
import { asObject, asString } from "../lib/values";

const ALLOWED = new Set(["RuntimeDefault", "Localhost"]);

/** Every container runs under a seccomp profile (RuntimeDefault or Localhost) and no unconfined AppArmor. */
export const seccompProfile = resourceRule({
  name: "seccomp-profile",
  description: "Every container and init container must run with seccompProfile RuntimeDefault or Localhost (pod or container level), and AppArmor must not be Unconfined.",
  remediationSteps: "Set securityContext.seccompProfile.type: RuntimeDefault on the pod (the kit does) and remove Unconfined AppArmor profiles.",
  check: (obj) =>
    perContainer(obj, (c, spec, tmpl) => {
      const problems: string[] = [];
      const type = seccompType(c, spec);
      if (type === undefined) {
        problems.push("has no seccomp profile (set seccompProfile.type: RuntimeDefault on the pod or container)");
      } else if (!ALLOWED.has(type)) {
        problems.push(`runs with seccomp profile ${type}`);
      }
      const appArmor = asString(asObject(containerSC(c).appArmorProfile)?.type) ?? asString(asObject(podSC(spec).appArmorProfile)?.type);
      const legacy = tmpl.annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`];
      if (appArmor === "Unconfined" || legacy === "unconfined") {
        problems.push("runs with AppArmor Unconfined");
      }
      return problems;
    }),
});
