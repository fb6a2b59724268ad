import { containerLabel, containersOf, podTemplateOf } from "../lib/k8s";
import { EDGE_LABEL } from "../lib/names";
import { Finding, resourceRule } from "../lib/rule";
import { asArray, asObject, asString } from "../lib/values";

/** Only the edge exposes anything outside the cluster: LoadBalancer/NodePort Services, externalIPs, hostPorts. */
export const noExternalServices = resourceRule({
  name: "no-external-services",
  description: `Services of type LoadBalancer or NodePort, Services with externalIPs, and containers with hostPort are allowed only on the edge (label ${EDGE_LABEL}: "true").`,
  remediationSteps: `Use a ClusterIP Service and route through the Gateway; only the edge gateway's Service carries ${EDGE_LABEL}: "true".`,
  check: (obj) => {
    if (obj.kind === "Service" && obj.group === "") {
      if (obj.labels[EDGE_LABEL] === "true") {
        return [];
      }
      const spec = asObject(obj.props.spec) ?? {};
      const findings: Finding[] = [];
      const type = asString(spec.type);
      if (type === "LoadBalancer" || type === "NodePort") {
        findings.push({ message: `${obj.id}: Service of type ${type} outside the edge (label ${EDGE_LABEL}: "true" is missing)` });
      }
      if (asArray(spec.externalIPs).length > 0) {
        findings.push({ message: `${obj.id}: Service sets externalIPs outside the edge` });
      }
      return findings;
    }
    const tmpl = podTemplateOf(obj);
    if (!tmpl || tmpl.labels[EDGE_LABEL] === "true" || obj.labels[EDGE_LABEL] === "true") {
      return [];
    }
    const findings: Finding[] = [];
    for (const c of containersOf(tmpl.spec)) {
      const hostPorts = asArray(c.container.ports)
        .map((p) => asObject(p)?.hostPort)
        .filter((p) => typeof p === "number" && p > 0);
      if (hostPorts.length > 0) {
        findings.push({ message: `${obj.id}: ${containerLabel(c)} binds hostPort ${hostPorts.join(", ")} on the node`, container: c.name });
      }
    }
    return findings;
  },
});
