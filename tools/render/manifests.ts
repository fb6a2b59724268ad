/**
 * Turns what the program registered into Kubernetes manifests (one YAML file per object) and a list of
 * what cannot be rendered offline (Helm charts and other components expanded by a provider plugin).
 */
import * as fs from "fs";
import { stringify } from "yaml";
import { RegisteredResource } from "./offline-runtime";

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A component the program deploys that only a provider plugin can expand (a Helm chart). */
export interface NotRendered {
  /** Pulumi type token, e.g. `kubernetes:helm.sh/v4:Chart`. */
  type: string;
  /** Pulumi resource name. */
  name: string;
  chart?: string;
  /** The chart version, or which component package pins it. */
  version?: string;
  repository?: string;
  namespace?: string;
}

/** Resources that render nothing themselves: the program's own components, random values, providers. */
function isBookkeeping(type: string): boolean {
  return type.startsWith("voicehelper:") || type.startsWith("random:") || type.startsWith("pulumi:");
}

/** Components of the Kubernetes SDK whose objects a provider plugin computes (charts, kustomize, YAML). */
function isKubernetesComponent(type: string): boolean {
  return /^kubernetes:(helm\.sh|kustomize|yaml)\//.test(type);
}

/** The API version and kind a type token names: `kubernetes:apps/v1:Deployment`, `kubernetes:core/v1:Secret`. */
function apiOf(type: string): { apiVersion: string; kind: string } {
  const [, groupVersion, kind] = type.split(":");
  return { apiVersion: groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion, kind };
}

/** Every Kubernetes object, with apiVersion, kind and metadata first. */
export function manifestsOf(resources: RegisteredResource[]): Manifest[] {
  return resources
    .filter((r) => r.type.startsWith("kubernetes:") && !isKubernetesComponent(r.type))
    .map((r) => {
      const { apiVersion, kind, metadata, ...rest } = r.inputs ?? {};
      const api = apiOf(r.type);
      if (!metadata?.name) throw new Error(`${r.type} ${r.name} has no metadata.name: an offline render cannot know the name the provider would generate`);
      return { apiVersion: apiVersion ?? api.apiVersion, kind: kind ?? api.kind, metadata, ...rest };
    });
}

/** What the program deploys that is not rendered offline, with the chart coordinates it was given. */
export function notRenderedOf(resources: RegisteredResource[]): NotRendered[] {
  return resources
    .filter((r) => !isBookkeeping(r.type) && (!r.type.startsWith("kubernetes:") || isKubernetesComponent(r.type)))
    .map((r) => {
      const i = r.inputs ?? {};
      const entry: NotRendered = { type: r.type, name: r.name };
      const chart = i.chart ?? undefined;
      const version = i.version ?? undefined;
      const repository = i.repositoryOpts?.repo ?? undefined;
      const namespace = i.namespace ?? i.helmOptions?.namespace ?? undefined;
      if (chart !== undefined) entry.chart = chart;
      if (version !== undefined) entry.version = version;
      else if (!r.type.startsWith("kubernetes:")) entry.version = pinnedBy(r.type);
      if (repository !== undefined) entry.repository = repository;
      if (namespace !== undefined) entry.namespace = namespace;
      return entry;
    })
    .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
}

/** A multi-language component (`<package>:index:<Component>`) pins its chart in its own package. */
function pinnedBy(type: string): string | undefined {
  const pkg = `@pulumi/${type.split(":")[0]}`;
  try {
    const version = JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version;
    return `pinned by ${pkg} ${version}`;
  } catch {
    return undefined;
  }
}

/** Cluster-scoped objects live under this directory; it sorts before every namespace. */
export const CLUSTER_SCOPED_DIR = "_cluster";

/** `<namespace>/<kind>-<name>.yaml`, or `_cluster/<kind>-<name>.yaml` for cluster-scoped objects. */
export function manifestPath(m: Manifest): string {
  return `${m.metadata.namespace ?? CLUSTER_SCOPED_DIR}/${m.kind.toLowerCase()}-${m.metadata.name}.yaml`;
}

/** Every manifest keyed by its relative path, sorted; two objects with one path are an error. */
export function manifestFiles(manifests: Manifest[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of manifests) {
    const file = manifestPath(m);
    if (files.has(file)) throw new Error(`two objects render to ${file} (${m.apiVersion} ${m.kind} ${m.metadata.name})`);
    // kubectl reads YAML 1.1, where a bare `off`, `yes` or `0777` is not a string: quote those too.
    files.set(file, stringify(m, { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false }));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
