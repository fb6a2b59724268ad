/**
 * The container builder: secure defaults you must opt out of by a named exception.
 * Non-root, read-only root filesystem (emptyDir for the paths the image writes), no privilege
 * escalation, every capability dropped, RuntimeDefault seccomp, requests and limits always.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EPHEMERAL_STORAGE, Resources } from "./size";
import { NamedException, hasException } from "./exceptions";

export type EnvVar = k8s.types.input.core.v1.EnvVar;
export type Probe = k8s.types.input.core.v1.Probe;
export type VolumeMount = k8s.types.input.core.v1.VolumeMount;
export type Volume = k8s.types.input.core.v1.Volume;

export interface ContainerPort {
  name: string;
  containerPort: number;
  /** @default "TCP" */
  protocol?: "TCP" | "UDP";
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: pulumi.Input<string>[];
  env?: EnvVar[];
  /** Whole ConfigMaps as env (shared settings); `env` wins over a key of the same name. @default none */
  envFrom?: k8s.types.input.core.v1.EnvFromSource[];
  ports?: ContainerPort[];
  /** Long-running containers need readiness and liveness; the kit refuses one without them. */
  probes?: { startup?: Probe; readiness?: Probe; liveness?: Probe };
  /** Paths the image writes to; each gets its own emptyDir so the root filesystem stays read-only. */
  writablePaths?: string[];
  /** The cap of a writable path's emptyDir, where it is not the usual scratch size. @default EPHEMERAL_STORAGE.scratch */
  writableSizes?: Record<string, string>;
  volumeMounts?: VolumeMount[];
  /** @default the service's size */
  resources?: Resources;
  /** UID (and GID) the image's process runs as. @default the pod's */
  runAsUser?: number;
  /** Steps off a secure default; each needs a reason (see exceptions.ts). */
  exceptions?: NamedException[];
  lifecycle?: k8s.types.input.core.v1.Lifecycle;
  workingDir?: string;
}

export interface BuiltContainer {
  container: k8s.types.input.core.v1.Container;
  /** emptyDir volumes backing the writable paths. */
  volumes: Volume[];
}

/** Volume names derived from a path: "/var/lib/redis" -> "tmp-var-lib-redis". */
export function scratchVolumeName(container: string, path: string): string {
  const slug = path
    .replace(/^\/+|\/+$/g, "")
    .replace(/[^a-z0-9]+/gi, "-")
    .toLowerCase();
  return `${container}-${slug}`.slice(0, 63).replace(/-+$/, "");
}

export function secureContainer(spec: ContainerSpec, defaultResources: Resources): BuiltContainer {
  const ex = spec.exceptions;
  const asRoot = hasException(ex, "run-as-non-root");
  const privileged = hasException(ex, "no-privileged");
  const volumes: Volume[] = [];
  const mounts: VolumeMount[] = [...(spec.volumeMounts ?? [])];
  for (const path of spec.writablePaths ?? []) {
    const name = scratchVolumeName(spec.name, path);
    volumes.push({ name, emptyDir: { sizeLimit: spec.writableSizes?.[path] ?? EPHEMERAL_STORAGE.scratch } });
    mounts.push({ name, mountPath: path });
  }
  const resources = spec.resources ?? defaultResources;
  return {
    volumes,
    container: {
      name: spec.name,
      image: spec.image,
      imagePullPolicy: "IfNotPresent",
      command: spec.command,
      args: spec.args,
      env: spec.env,
      envFrom: spec.envFrom,
      workingDir: spec.workingDir,
      ports: spec.ports?.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? "TCP" })),
      startupProbe: spec.probes?.startup,
      readinessProbe: spec.probes?.readiness,
      livenessProbe: spec.probes?.liveness,
      lifecycle: spec.lifecycle,
      volumeMounts: mounts.length > 0 ? mounts : undefined,
      resources: {
        requests: { cpu: resources.requests.cpu, memory: resources.requests.memory, ...gpus(resources) },
        limits: { cpu: resources.limits.cpu, memory: resources.limits.memory, ...gpus(resources) },
      },
      securityContext: {
        runAsNonRoot: !asRoot,
        runAsUser: asRoot ? 0 : spec.runAsUser,
        runAsGroup: asRoot ? 0 : spec.runAsUser,
        privileged: privileged,
        allowPrivilegeEscalation: privileged || hasException(ex, "no-privilege-escalation"),
        readOnlyRootFilesystem: !hasException(ex, "read-only-root-filesystem"),
        capabilities: hasException(ex, "drop-capabilities") ? undefined : { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
    },
  };
}

export const GPU_RESOURCE = "nvidia.com/gpu";

function gpus(r: Resources): Record<string, string> {
  return r.gpu ? { [GPU_RESOURCE]: String(r.gpu) } : {};
}

/** An exec probe, e.g. `redis-cli ping`. */
export function execProbe(command: string[], timing: Partial<Probe> = {}): Probe {
  return { exec: { command }, ...PROBE_TIMING, ...timing };
}

/** An HTTP GET probe on a named port. */
export function httpProbe(path: string, port: string, timing: Partial<Probe> = {}): Probe {
  return { httpGet: { path, port }, ...PROBE_TIMING, ...timing };
}

/** A TCP probe on a named port. */
export function tcpProbe(port: string, timing: Partial<Probe> = {}): Probe {
  return { tcpSocket: { port }, ...PROBE_TIMING, ...timing };
}

const PROBE_TIMING: Partial<Probe> = { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };

/** A startup probe that allows `minutes` before liveness takes over (slow first starts, recovery). */
export function startupAllowance(probe: Probe, minutes: number): Probe {
  return { ...probe, periodSeconds: 10, failureThreshold: Math.ceil((minutes * 60) / 10) };
}

/** Env var from a Secret key. */
export function secretEnv(name: string, ref: { name: k8s.types.input.core.v1.SecretKeySelector["name"]; key: string }): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
}

/** Env var from the pod's own metadata (e.g. metadata.name). */
export function fieldEnv(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

/** Writable copies of image directories: the volumes, the mounts, and the init container that fills them. */
export interface SeededPaths {
  /** Runs before the main container: copies each directory's content from the image into its volume. */
  init: ContainerSpec;
  volumes: Volume[];
  /** Mount these in the container that writes to the directories. */
  mounts: VolumeMount[];
}

/**
 * For images whose entrypoint writes into a directory the image ships with content (a config directory
 * the entrypoint edits): an emptyDir per path, filled from the image by an init container, so the root
 * filesystem stays read-only and the defaults are kept.
 */
export function seededPaths(container: string, image: string, paths: string[], runAsUser?: number): SeededPaths {
  const entries = paths.map((path) => ({ path, volume: scratchVolumeName(`${container}-seed`, path), staging: `/seed/${scratchVolumeName("p", path)}` }));
  return {
    init: {
      name: `${container}-seed`.slice(0, 63),
      image,
      command: ["sh", "-c", entries.map((e) => `cp -a ${e.path}/. ${e.staging}/`).join(" && ")],
      volumeMounts: entries.map((e) => ({ name: e.volume, mountPath: e.staging })),
      runAsUser,
    },
    volumes: entries.map((e) => ({ name: e.volume, emptyDir: { sizeLimit: EPHEMERAL_STORAGE.scratch } })),
    mounts: entries.map((e) => ({ name: e.volume, mountPath: e.path })),
  };
}
