/**
 * `voicehelper:imageDigests`: optional digests that pin third-party images beyond their tags. A tag can
 * be moved by whoever controls the repository; a digest names exactly one image. `npm run
 * verify:images -- --write-digests FILE` writes this setting from what the registries serve.
 */
import { z } from "zod";
import { IMAGES, ImageKey } from "./images";

export const IMAGE_KEYS = Object.keys(IMAGES) as ImageKey[];
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

export type ImageDigests = Partial<Record<ImageKey, string>>;

export const imageDigestsSchema = z
  .record(z.string(), z.string({ error: "must be a digest string" }).regex(DIGEST, "must be sha256: followed by 64 lowercase hex digits"), {
    error: "must be a map from an image key to its digest",
  })
  .superRefine((digests, ctx) => {
    for (const k of Object.keys(digests)) {
      if (!(IMAGE_KEYS as string[]).includes(k)) {
        ctx.addIssue({ code: "custom", path: [k], input: k, message: `unknown image; images are ${IMAGE_KEYS.join(", ")}` });
      }
    }
  });

/** The reference a container runs: the pinned tag, plus `@digest` when the stack pins one. */
export function pinnedReference(key: ImageKey, digests: ImageDigests): string {
  const digest = digests[key];
  return digest ? `${IMAGES[key]}@${digest}` : IMAGES[key];
}
