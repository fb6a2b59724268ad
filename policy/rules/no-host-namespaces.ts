import { podTemplateOf } from "../lib/k8s";
import { Finding, resourceRule } from "../lib/rule";

/** Pods do not share the node's network, PID or IPC namespace. */
export const noHostNamespaces = resourceRule({
  name: "no-host-namespaces",
  description: "Pods must not use hostNetwork, hostPID or hostIPC.",
  remediationSteps: "Remove hostNetwork/hostPID/hostIPC; expose ports through a Service instead of the node's network.",
  check: (obj) => {
    const spec = podTemplateOf(obj)?.spec;
    if (!spec) {
      return [];
    }
    const findings: Finding[] = [];
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
      if (spec[field] === true) {
        findings.push({ message: `${obj.id}: the pod sets ${field}: true` });
      }
    }
    return findings;
  },
});
