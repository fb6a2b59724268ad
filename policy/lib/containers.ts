// What a container is given: its env vars (literal, from a Secret, from a ConfigMap, unknown), its
// command line, and the commands the kubelet runs in it (exec probes, lifecycle hooks).

import { EnvBinding } from "./envrefs";
import { containerLabel, ContainerRef } from "./k8s";
import { asArray, asObject, asString, isUnknown } from "./values";

/** The container's own command line: command then args. */
export function stringTokens(c: ContainerRef): string[] {
  return [...asArray(c.container.command), ...asArray(c.container.args)].map((t) => asString(t)).filter((t): t is string => t !== undefined);
}

/** Commands the kubelet runs in the container besides its own: exec probes and lifecycle hooks. */
export function hookCommands(c: ContainerRef): { where: string; tokens: string[] }[] {
  const out: { where: string; tokens: string[] }[] = [];
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    out.push({ where: `${containerLabel(c)} ${probe}`, tokens: asArray(asObject(asObject(c.container[probe])?.exec)?.command).map((t) => asString(t) ?? "") });
  }
  for (const hook of ["postStart", "preStop"]) {
    out.push({ where: `${containerLabel(c)} ${hook} hook`, tokens: asArray(asObject(asObject(asObject(c.container.lifecycle)?.[hook])?.exec)?.command).map((t) => asString(t) ?? "") });
  }
  return out.filter((h) => h.tokens.length > 0);
}

/** One env var, and where its value comes from. */
export interface EnvVar {
  name: string;
  value?: string;
  unknown: boolean;
  fromSecret: boolean;
  fromConfigMap: boolean;
}

/** The container's `env` entries (envFrom is not expanded: its Secrets and ConfigMaps are checked where defined). */
export function envOf(c: ContainerRef): EnvVar[] {
  return asArray(c.container.env)
    .map((e) => asObject(e))
    .filter((e): e is Record<string, any> => e !== undefined && typeof e.name === "string")
    .map((e) => {
      const from = asObject(e.valueFrom);
      return {
        name: e.name as string,
        value: asString(e.value),
        unknown: isUnknown(e.value) || isUnknown(e.valueFrom),
        fromSecret: asObject(from?.secretKeyRef) !== undefined,
        fromConfigMap: asObject(from?.configMapKeyRef) !== undefined,
      };
    });
}

/** True when the container also takes variables from `envFrom` (names not in `env` may be defined there). */
export const hasEnvFrom = (c: ContainerRef) => asArray(c.container.envFrom).length > 0;

/** The env as Kubernetes' variable expansion sees it. */
export function bindingsOf(env: EnvVar[]): EnvBinding[] {
  return env.map((e) => ({ name: e.name, value: e.unknown ? undefined : e.value, fromConfigMap: e.fromConfigMap }));
}
