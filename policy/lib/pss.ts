// A compact evaluator of the Kubernetes Pod Security Standards: which level (privileged, baseline,
// restricted) a pod template needs, and why. Used to predict that Pod Security admission would reject
// a workload in its namespace before anything is deployed.

import { containersOf } from "./k8s";
import { capabilityNames, containerSC, effective, podSC, SAFE_SYSCTLS, seccompType } from "./pod";
import { asArray, asObject, asString } from "./values";

export type PssLevel = "privileged" | "baseline" | "restricted";

const ORDER: Record<PssLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** True when `a` is stricter than `b`. */
export function stricter(a: PssLevel, b: PssLevel): boolean {
  return ORDER[a] > ORDER[b];
}

export function isPssLevel(v: unknown): v is PssLevel {
  return v === "privileged" || v === "baseline" || v === "restricted";
}

const BASELINE_CAPS = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);
const RESTRICTED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/** The strictest level a pod spec satisfies, with what keeps it from the next level up. */
export function requiredLevel(spec: Record<string, any>, annotations: Record<string, string>): { level: PssLevel; reasons: string[] } {
  const notBaseline: string[] = [];
  const notRestricted: string[] = [];
  for (const f of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (spec[f] === true) notBaseline.push(f);
  }
  if (asObject(podSC(spec).windowsOptions)?.hostProcess === true) notBaseline.push("hostProcess");
  if (asArray(podSC(spec).sysctls).some((s) => !SAFE_SYSCTLS.has(asString(asObject(s)?.name) ?? ""))) notBaseline.push("unsafe sysctls");
  if (asString(asObject(podSC(spec).seccompProfile)?.type) === "Unconfined") notBaseline.push("seccomp Unconfined");
  for (const v of asArray(spec.volumes)) {
    const vol = asObject(v) ?? {};
    if (asObject(vol.hostPath)) notBaseline.push("hostPath volume");
    const kinds = Object.keys(vol).filter((k) => k !== "name");
    if (kinds.some((k) => !RESTRICTED_VOLUMES.has(k))) notRestricted.push(`volume type ${kinds.join("/")}`);
  }
  const podNonRoot = podSC(spec).runAsNonRoot === true;
  for (const c of containersOf(spec)) {
    const sc = containerSC(c);
    const caps = asObject(sc.capabilities) ?? {};
    if (sc.privileged === true) notBaseline.push(`privileged ${c.name}`);
    if (capabilityNames(caps.add).some((cap) => !BASELINE_CAPS.has(cap))) notBaseline.push(`capabilities added to ${c.name}`);
    if (asArray(asObject(c.container)?.ports).some((p) => (asObject(p)?.hostPort ?? 0) !== 0)) notBaseline.push(`hostPort on ${c.name}`);
    const procMount = asString(sc.procMount);
    if (procMount !== undefined && procMount !== "Default") notBaseline.push(`procMount on ${c.name}`);
    if (asString(asObject(sc.appArmorProfile)?.type) === "Unconfined" || annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`] === "unconfined")
      notBaseline.push(`AppArmor Unconfined on ${c.name}`);
    const seLinux = asObject(effective(c, spec, "seLinuxOptions")) ?? {};
    if (!SELINUX_TYPES.has(asString(seLinux.type) ?? "") || seLinux.user !== undefined || seLinux.role !== undefined) notBaseline.push(`SELinux options on ${c.name}`);
    const seccomp = seccompType(c, spec);
    if (seccomp === "Unconfined") notBaseline.push(`seccomp Unconfined on ${c.name}`);
    if (sc.allowPrivilegeEscalation !== false) notRestricted.push(`allowPrivilegeEscalation on ${c.name}`);
    if (!(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && podNonRoot))) notRestricted.push(`runAsNonRoot on ${c.name}`);
    if (effective(c, spec, "runAsUser") === 0) notRestricted.push(`runAsUser 0 on ${c.name}`);
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") notRestricted.push(`seccomp profile on ${c.name}`);
    if (!capabilityNames(caps.drop).includes("ALL") || capabilityNames(caps.add).some((cap) => cap !== "NET_BIND_SERVICE")) notRestricted.push(`capabilities of ${c.name}`);
  }
  if (notBaseline.length > 0) return { level: "privileged", reasons: notBaseline };
  if (notRestricted.length > 0) return { level: "baseline", reasons: notRestricted };
  return { level: "restricted", reasons: [] };
}
