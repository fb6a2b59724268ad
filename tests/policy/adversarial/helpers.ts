// Builders for the adversarial suite: each returns one object the way a pull request would bring it.

import { configMap, container, cronJob, deployment, job, podSpec, secret } from "../fixtures";
import { TestResource } from "../util";

/** A case: a trick that tries to get a default past a rule, and the honest form next to it. */
export interface AdversarialCase {
  /** What the trick is, in words. */
  trick: string;
  rule: string;
  /** Must be reported by `rule`. */
  violating: TestResource | TestResource[];
  /** Must pass `rule`: the closest compliant form. */
  nearMiss: TestResource | TestResource[];
}

/** A strong generated-looking value (never a default, never weak). */
export const STRONG = "Qm7vX2pL9wR4tZ8kN3bH6jD1fS5gC0yA";

export type Env = Record<string, any>;
export const lit = (name: string, value: string): Env => ({ name, value });
export const fromSecret = (name: string, secretName = "app-secrets", key = name): Env => ({ name, valueFrom: { secretKeyRef: { name: secretName, key } } });

/** A Deployment with one container built from `overrides` (image, env, command, args...). */
export function app(overrides: Record<string, any>, name = "app"): TestResource {
  return deployment(name, { spec: podSpec([container(name, overrides)]) });
}
export const withEnv = (env: Env[], image = "ghcr.io/voicehelper/app:1.4.2") => app({ image, env });
export const runs = (script: string, image = "ghcr.io/voicehelper/tools:1.4.2", env: Env[] = []) => app({ image, command: ["sh", "-c", script], env });
export const argv = (image: string, args: string[], env: Env[] = []) => app({ image, args, env });

/** An init container (or a native sidecar with `restartPolicy: Always`) beside a compliant main container. */
export function withInit(init: Record<string, any>): TestResource {
  return deployment("app", { spec: podSpec([container("app")], { initContainers: [container("init", init)] }) });
}
export function cronRuns(script: string, env: Env[] = []): TestResource {
  return cronJob("backup", { spec: podSpec([container("backup", { image: "ghcr.io/voicehelper/tools:1.4.2", command: ["sh", "-c", script], env })], { restartPolicy: "OnFailure" }) });
}
export function jobRuns(script: string, env: Env[] = []): TestResource {
  return job("setup", { spec: podSpec([container("setup", { image: "ghcr.io/voicehelper/tools:1.4.2", command: ["sh", "-c", script], env })], { restartPolicy: "Never" }) });
}

export const cm = (key: string, text: string) => configMap("app-config", { [key]: text });
export const sec = (key: string, text: string, type?: string) => secret("app-secret", { [key]: text }, type ? { type } : {});
export function secData(key: string, text: string, type?: string): TestResource {
  const s = secret("app-secret", {}, type ? { type } : {});
  delete s.props.stringData;
  s.props.data = { [key]: Buffer.from(text).toString("base64") };
  return s;
}

/** A Helm release (`helm.sh/v3:Release`) or chart (`helm.sh/v4:Chart`) with these values. */
export function helm(values: Record<string, any>, kind: "v3:Release" | "v4:Chart" | "v3:Chart" = "v3:Release"): TestResource {
  return { type: `kubernetes:helm.sh/${kind}`, name: "vendor", props: { chart: "vendor/app", namespace: "apps", values } };
}

/** A probe that runs `script`. */
export const execProbe = (script: string) => ({ exec: { command: ["sh", "-c", script] } });
