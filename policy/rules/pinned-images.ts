import { containerLabel, containersOf, CNPG_GROUP, podTemplateOf } from "../lib/k8s";
import { Finding, resourceRule } from "../lib/rule";
import { asArray, asObject, asString, isUnknown } from "../lib/values";

/** Splits an image reference into repository, tag and digest. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  const [beforeDigest, digest] = image.split("@", 2);
  const lastSlash = beforeDigest.lastIndexOf("/");
  const colon = beforeDigest.lastIndexOf(":");
  if (colon > lastSlash) {
    return { repository: beforeDigest.slice(0, colon), tag: beforeDigest.slice(colon + 1), digest };
  }
  return { repository: beforeDigest, digest };
}

/** Registry host of a repository (`docker.io` when none is named). */
export function registryOf(repository: string): string {
  const first = repository.split("/")[0];
  return repository.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

function problemsOf(image: unknown, config: Record<string, any>): string[] {
  if (isUnknown(image)) {
    return [];
  }
  const ref = asString(image);
  if (ref === undefined || ref.trim() === "") {
    return ["has no image"];
  }
  const { repository, tag, digest } = parseImage(ref.trim());
  const problems: string[] = [];
  const forbidden = new Set(asArray(config.forbiddenTags ?? ["latest"]).map((t) => String(t).toLowerCase()));
  if (digest === undefined) {
    if (tag === undefined || tag === "") {
      problems.push(`uses image ${ref} without a tag or digest (it floats to latest)`);
    } else if (forbidden.has(tag.toLowerCase())) {
      problems.push(`uses image ${ref} with the floating tag "${tag}"`);
    } else if (config.requireDigest === true) {
      problems.push(`uses image ${ref} without a digest (requireDigest is on)`);
    }
  } else if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
    problems.push(`uses image ${ref} with a malformed digest`);
  }
  const registries = asArray(config.allowedRegistries).map((r) => String(r));
  if (registries.length > 0 && !registries.includes(registryOf(repository))) {
    problems.push(`pulls from registry ${registryOf(repository)}, which is not in allowedRegistries`);
  }
  return problems;
}

/** Every image is pinned to a tag (never latest) or a digest. */
export const pinnedImages = resourceRule({
  name: "pinned-images",
  description: "Every container and init container image must carry a tag other than latest, or a digest.",
  remediationSteps: "Pin the image in the images table (components/config) to a released tag, ideally with its digest.",
  config: {
    forbiddenTags: { type: "array", items: { type: "string" }, default: ["latest"], description: "Floating tags that do not count as a pin." },
    requireDigest: { type: "boolean", default: false, description: "Require a digest on every image." },
    allowedRegistries: { type: "array", items: { type: "string" }, default: [], description: "When non-empty, the only registries images may come from." },
  },
  check: (obj, { config }) => {
    const findings: Finding[] = [];
    const tmpl = podTemplateOf(obj);
    for (const c of tmpl ? containersOf(tmpl.spec) : []) {
      for (const p of problemsOf(c.container.image, config)) {
        findings.push({ message: `${obj.id}: ${containerLabel(c)} ${p}`, container: c.name });
      }
    }
    if (obj.group === CNPG_GROUP && obj.kind === "Cluster") {
      const imageName = asObject(obj.props.spec)?.imageName;
      if (imageName !== undefined) {
        for (const p of problemsOf(imageName, config)) {
          findings.push({ message: `${obj.id}: spec.imageName ${p.replace(/^uses image/, "is")}` });
        }
      }
    }
    return findings;
  },
});
