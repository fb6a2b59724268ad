/**
 * Kubernetes recommended labels. Selectors use the same set minus `version`, so an upgrade never
 * changes a selector (which Kubernetes refuses on Deployments and StatefulSets).
 */
export const PART_OF = "voicehelper";

export interface Identity {
  /** The service's catalog name, e.g. "redis". */
  name: string;
  /** Its role in the platform, e.g. "cache", "api", "database". */
  component: string;
  /** The version it runs (the image tag). */
  version: string;
}

export type Labels = Record<string, string>;

export function selectorLabels(id: Pick<Identity, "name" | "component">): Labels {
  return {
    "app.kubernetes.io/name": id.name,
    "app.kubernetes.io/component": id.component,
    "app.kubernetes.io/part-of": PART_OF,
  };
}

export function labels(id: Identity): Labels {
  return {
    ...selectorLabels(id),
    "app.kubernetes.io/version": labelValue(id.version),
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The tag of an image reference ("repo/name:1.2.3" -> "1.2.3"), for the version label. */
export function imageVersion(image: string): string {
  const at = image.indexOf("@");
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/") ? ref.slice(colon + 1) : "untagged";
}

/** Label values are at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
function labelValue(v: string): string {
  const cleaned = v.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+/, "").replace(/[^A-Za-z0-9]+$/, "");
}
