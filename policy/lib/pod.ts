// Pod-spec helpers shared by the hardening rules and the Pod Security Standards evaluator.

import { containerLabel, ContainerRef, containersOf, K8sObject, PodTemplate, podTemplateOf } from "./k8s";
import { Finding } from "./rule";
import { asArray, asObject, asString } from "./values";

/** The container-level securityContext (empty object when unset). */
export function containerSC(c: ContainerRef): Record<string, any> {
  return asObject(c.container.securityContext) ?? {};
}

/** The pod-level securityContext (empty object when unset). */
export function podSC(spec: Record<string, any>): Record<string, any> {
  return asObject(spec.securityContext) ?? {};
}

/** A securityContext field as Kubernetes resolves it: the container's value wins over the pod's. */
export function effective(c: ContainerRef, spec: Record<string, any>, field: string): unknown {
  const own = containerSC(c)[field];
  return own !== undefined && own !== null ? own : podSC(spec)[field];
}

/** The effective seccomp profile type of a container (undefined when none is set). */
export function seccompType(c: ContainerRef, spec: Record<string, any>): string | undefined {
  return asString(asObject(effective(c, spec, "seccompProfile"))?.type);
}

/** Capability names (upper case, without a `CAP_` prefix) from a list. */
export function capabilityNames(list: unknown): string[] {
  return asArray(list)
    .map((x) => asString(x))
    .filter((x): x is string => x !== undefined)
    .map((x) => x.toUpperCase().replace(/^CAP_/, ""));
}

/** Sysctls the Pod Security Standards (baseline) consider safe. */
export const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

/**
 * Runs `check` on every container and init container of the object's pod template and collects
 * the findings, each tagged with its container so container-scoped exceptions can cover it.
 */
export function perContainer(obj: K8sObject, check: (c: ContainerRef, spec: Record<string, any>, tmpl: PodTemplate) => string | string[] | undefined): Finding[] {
  const tmpl = podTemplateOf(obj);
  if (!tmpl) {
    return [];
  }
  const findings: Finding[] = [];
  for (const c of containersOf(tmpl.spec)) {
    const result = check(c, tmpl.spec, tmpl);
    for (const problem of result === undefined ? [] : Array.isArray(result) ? result : [result]) {
      findings.push({ message: `${obj.id}: ${containerLabel(c)} ${problem}`, container: c.name });
    }
  }
  return findings;
}
