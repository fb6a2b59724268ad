// What operators do with the pod templates of their custom resources, where a rule needs it: the
// replica count they run, the labels they add to the pods, and the probes they add themselves.
// Each entry is read in the operator's own source (policy/README.md, "Operator-made workloads").

import { asNumber, asObject } from "./values";
import { K8sObject } from "./k8s";

export interface OperatorWorkload {
  /** Pods the operator runs for the resource. */
  replicas: (spec: Record<string, any>) => number;
  /** Labels the operator adds to every pod, besides the template's own. */
  podLabels: (obj: K8sObject) => Record<string, string>;
  /** Probes the operator sets on every container when the template does not. */
  probes: string[];
}

/** By `<group>/<kind>`. */
export const OPERATOR_WORKLOADS: Record<string, OperatorWorkload> = {
  // CloudNativePG pkg/specs/pgbouncer/deployments.go: a Deployment of spec.instances pods labelled
  // cnpg.io/poolerName=<name>, with a TCP readiness probe on pgbouncer's port and no liveness probe.
  "postgresql.cnpg.io/Pooler": {
    replicas: (spec) => asNumber(spec.instances) ?? 1,
    podLabels: (obj) => ({ "cnpg.io/poolerName": obj.name }),
    probes: ["readinessProbe"],
  },
};

export function operatorWorkload(obj: K8sObject): OperatorWorkload | undefined {
  return OPERATOR_WORKLOADS[`${obj.group}/${obj.kind}`];
}

/** The replica count an operator will run for this resource, when it is an operator workload. */
export function operatorReplicas(obj: K8sObject): number | undefined {
  const w = operatorWorkload(obj);
  return w ? w.replicas(asObject(obj.props.spec) ?? {}) : undefined;
}
