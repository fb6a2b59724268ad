import { effective, perContainer } from "../lib/pod";
import { resourceRule } from "../lib/rule";

/** Every container must be forbidden to run as root: runAsNonRoot true and no runAsUser 0. */
export const runAsNonRoot = resourceRule({
  name: "run-as-non-root",
  description: "Every container and init container must run as non-root: runAsNonRoot: true (container or pod) and never runAsUser: 0.",
  remediationSteps: "Set runAsNonRoot: true and a non-zero runAsUser in the pod or container securityContext (use the image's documented UID).",
  check: (obj) =>
    perContainer(obj, (c, spec) => {
      const problems: string[] = [];
      if (effective(c, spec, "runAsUser") === 0) {
        problems.push("runs as root (runAsUser: 0)");
      }
      const nonRoot = effective(c, spec, "runAsNonRoot");
      if (nonRoot !== true) {
        problems.push(nonRoot === false ? "sets runAsNonRoot: false" : "does not set runAsNonRoot: true (in the container or the pod securityContext)");
      }
      return problems;
    }),
});
