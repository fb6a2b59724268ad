import { containersOf, podTemplateOf } from "../lib/k8s";
import { Finding, resourceRule } from "../lib/rule";
import { asArray, asObject, asString } from "../lib/values";

const SENSITIVE = [/^\/$/, /^\/(boot|dev|etc|lib|proc|sys|usr|root)(\/|$)/, /^\/var\/lib\/kubelet(\/|$)/, /(docker|containerd|crio|cri-dockerd)\.sock$/];

function describePath(path: string, writable: boolean): string {
  const notes = [SENSITIVE.some((re) => re.test(path)) ? "sensitive host path" : "", writable ? "mounted writable" : ""].filter((n) => n);
  return notes.length > 0 ? `${path} (${notes.join(", ")})` : path;
}

/** hostPath volumes only under a named exception (and PersistentVolumes backed by hostPath never without one). */
export const hostPath = resourceRule({
  name: "host-path",
  description: "Pods must not mount hostPath volumes, and PersistentVolumes must not be hostPath, unless a named exception says why.",
  remediationSteps: 'Use emptyDir, a PVC or a projected volume. A node agent that must read the host (Fluentd tailing /var/log) declares the exception "host-path" with a reason and mounts read-only.',
  check: (obj) => {
    if (obj.kind === "PersistentVolume" && obj.group === "") {
      const path = asString(asObject(asObject(obj.props.spec)?.hostPath)?.path);
      return path === undefined ? [] : [{ message: `${obj.id}: the PersistentVolume is backed by hostPath ${path}` }];
    }
    const tmpl = podTemplateOf(obj);
    if (!tmpl) {
      return [];
    }
    const findings: Finding[] = [];
    const containers = containersOf(tmpl.spec);
    for (const v of asArray(tmpl.spec.volumes)) {
      const vol = asObject(v);
      const path = asString(asObject(vol?.hostPath)?.path);
      if (!vol || path === undefined) {
        continue;
      }
      const volName = asString(vol.name) ?? "?";
      const mounts = containers.flatMap((c) =>
        asArray(c.container.volumeMounts)
          .map((m) => asObject(m))
          .filter((m) => m && m.name === volName)
          .map((m) => ({ c, readOnly: m?.readOnly === true })),
      );
      const writable = mounts.some((m) => !m.readOnly);
      findings.push({ message: `${obj.id}: volume "${volName}" mounts hostPath ${describePath(path, writable)}` });
    }
    return findings;
  },
});
