import { containersOf, K8sObject, LONG_RUNNING_KINDS, podTemplateOf } from "../lib/k8s";
import { Finding } from "../lib/rule";
import { operatorWorkload } from "../lib/operators";
import { perContainer } from "../lib/pod";
import { resourceRule } from "../lib/rule";
import { asArray, asObject, asString, isUnknown } from "../lib/values";

function probePort(probe: Record<string, any>): unknown {
  for (const handler of ["httpGet", "tcpSocket", "grpc"]) {
    const h = asObject(probe[handler]);
    if (h) {
      return h.port;
    }
  }
  return undefined;
}

/** A custom resource's pod template, completed by its operator: each container needs the probes the operator does not add. */
function operatorTemplateProblems(obj: K8sObject): Finding[] {
  const operator = operatorWorkload(obj);
  const tmpl = operator ? podTemplateOf(obj, true) : undefined;
  if (!operator || !tmpl) return [];
  const problems: Finding[] = [];
  for (const c of containersOf(tmpl.spec).filter((x) => !x.init)) {
    for (const kind of ["livenessProbe", "readinessProbe"]) {
      if (operator.probes.includes(kind) || asObject(c.container[kind]) || isUnknown(c.container[kind])) continue;
      problems.push({ message: `${obj.id}: container "${c.name}" of the pod template has no ${kind}, and ${obj.kind}'s operator adds none`, container: c.name });
    }
  }
  return problems;
}

/** Long-running containers have liveness and readiness probes aimed at ports they declare. */
export const probesRequired = resourceRule({
  name: "probes-required",
  description:
    "Containers of Deployments, StatefulSets and DaemonSets must have a livenessProbe and a readinessProbe, and a probe's named or numbered port must be one the container declares; so must the containers an operator runs from a custom resource's pod template (a CloudNativePG Pooler), unless the operator adds that probe itself.",
  remediationSteps: "Add livenessProbe and readinessProbe (the service file states them, from the product's own health endpoints).",
  check: (obj) => {
    if (operatorWorkload(obj)) {
      return operatorTemplateProblems(obj);
    }
    if (!LONG_RUNNING_KINDS.has(obj.kind) || obj.group !== "apps") {
      return [];
    }
    return perContainer(obj, (c) => {
      if (c.init) {
        return undefined;
      }
      const problems: string[] = [];
      const ports = asArray(c.container.ports)
        .map((p) => asObject(p))
        .filter((p): p is Record<string, any> => p !== undefined);
      for (const kind of ["livenessProbe", "readinessProbe"]) {
        const probe = asObject(c.container[kind]);
        if (!probe) {
          if (!isUnknown(c.container[kind])) {
            problems.push(`has no ${kind}`);
          }
          continue;
        }
        const port = probePort(probe);
        if (typeof port === "string" && !/^\d+$/.test(port) && !ports.some((p) => asString(p.name) === port)) {
          problems.push(`has a ${kind} on port "${port}", which the container does not declare`);
        }
        const num = typeof port === "number" ? port : typeof port === "string" && /^\d+$/.test(port) ? Number(port) : undefined;
        if (num !== undefined && ports.length > 0 && !ports.some((p) => p.containerPort === num)) {
          problems.push(`has a ${kind} on port ${num}, which is not among the container's ports`);
        }
      }
      return problems;
    });
  },
});
