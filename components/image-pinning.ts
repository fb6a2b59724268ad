/**
 * Applies `voicehelper:imageDigests` to every resource the platform registers: any property whose value
 * is exactly a pinned reference from IMAGES (a container's `image`, CloudNativePG's `imageName`, ...)
 * becomes `<reference>@<digest>`. One place, so no service can forget it.
 */
import * as pulumi from "@pulumi/pulumi";
import { IMAGE_KEYS, ImageDigests, pinnedReference } from "./config/image-digests";
import { IMAGES } from "./config/images";

export function imageDigestTransformation(digests: ImageDigests): pulumi.ResourceTransformation | undefined {
  const swaps = new Map(IMAGE_KEYS.filter((k) => digests[k]).map((k) => [IMAGES[k] as string, pinnedReference(k, digests)]));
  if (swaps.size === 0) return undefined;
  return (args) => ({ props: swapReferences(args.props, swaps) as pulumi.Inputs, opts: args.opts });
}

function swapReferences(value: unknown, swaps: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return swaps.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => swapReferences(v, swaps));
  // Plain objects only: Outputs, Resources and Assets keep their identity.
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapReferences(v, swaps)]));
  }
  return value;
}
