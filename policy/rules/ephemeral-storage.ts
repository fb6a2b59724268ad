import { podTemplateOf } from "../lib/k8s";
import { perContainer } from "../lib/pod";
import { Finding, resourceRule } from "../lib/rule";
import { asArray, asObject, asString, isUnknown } from "../lib/values";

const RESOURCE = "ephemeral-storage";

/**
 * Node-local disk is bounded: every container requests and limits ephemeral storage, and every emptyDir
 * has a sizeLimit, so one pod filling a node's disk (logs, caches, staged dumps) cannot evict its neighbours.
 */
export const ephemeralStorage = resourceRule({
  name: "ephemeral-storage",
  description: "Every container and init container of a workload must request and limit ephemeral-storage, and every emptyDir volume must set a sizeLimit.",
  remediationSteps: "The kit sets both from EPHEMERAL_STORAGE in components/config/sizing.ts; give a larger emptyDir its own cap there (writableSizes, or the volume's sizeLimit).",
  check: (obj) => {
    const findings: Finding[] = perContainer(obj, (c) => {
      const resources = asObject(c.container.resources);
      if (isUnknown(c.container.resources)) return undefined;
      const missing = ["requests", "limits"].filter((k) => {
        const section = asObject(resources?.[k]);
        return !isUnknown(resources?.[k]) && (section?.[RESOURCE] === undefined || section[RESOURCE] === null);
      });
      return missing.length === 0 ? undefined : `has no ${RESOURCE} ${missing.join(" or ")}`;
    });
    const tmpl = podTemplateOf(obj);
    for (const v of asArray(tmpl?.spec.volumes).map((x) => asObject(x))) {
      const emptyDir = asObject(v?.emptyDir);
      if (v && emptyDir && !isUnknown(v.emptyDir) && emptyDir.sizeLimit === undefined) {
        findings.push({ message: `${obj.id}: emptyDir volume "${asString(v.name)}" has no sizeLimit` });
      }
    }
    return findings;
  },
});
