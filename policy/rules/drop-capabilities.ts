import { capabilityNames, containerSC, perContainer } from "../lib/pod";
import { resourceRule } from "../lib/rule";
import { asObject } from "../lib/values";

/** Every container drops ALL capabilities and adds back none beyond an allow-list. */
export const dropCapabilities = resourceRule({
  name: "drop-capabilities",
  description: "Every container and init container must drop ALL capabilities and add back only allowed ones (default: NET_BIND_SERVICE).",
  remediationSteps: 'Set securityContext.capabilities.drop: ["ALL"] and remove capabilities.add (or keep only NET_BIND_SERVICE).',
  config: {
    allowedCapabilities: {
      type: "array",
      items: { type: "string" },
      default: ["NET_BIND_SERVICE"],
      description: "Capabilities a container may add back after dropping ALL.",
    },
  },
  check: (obj, { config }) => {
    const allowed = new Set(capabilityNames(config.allowedCapabilities ?? ["NET_BIND_SERVICE"]));
    return perContainer(obj, (c) => {
      const caps = asObject(containerSC(c).capabilities) ?? {};
      const problems: string[] = [];
      if (!capabilityNames(caps.drop).includes("ALL")) {
        problems.push('does not drop ALL capabilities (securityContext.capabilities.drop: ["ALL"])');
      }
      const added = capabilityNames(caps.add).filter((cap) => !allowed.has(cap));
      if (added.length > 0) {
        problems.push(`adds capabilities ${added.join(", ")}`);
      }
      return problems;
    });
  },
});
