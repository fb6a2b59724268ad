import { containerSC, perContainer } from "../lib/pod";
import { resourceRule } from "../lib/rule";

/** Every container has a read-only root filesystem (emptyDir volumes for the paths it writes). */
export const readOnlyRootFilesystem = resourceRule({
  name: "read-only-root-filesystem",
  description: "Every container and init container must set securityContext.readOnlyRootFilesystem: true.",
  remediationSteps: "Set readOnlyRootFilesystem: true and mount emptyDir volumes on the paths the image writes (tmp, caches, rewritten config).",
  check: (obj) => perContainer(obj, (c) => (containerSC(c).readOnlyRootFilesystem === true ? undefined : "does not set readOnlyRootFilesystem: true")),
});
