import { createHash } from "crypto";

/**
 * A short, stable digest of a configuration file, put on the pod template so that changing the file
 * rolls the pods (Kubernetes does not restart pods when a mounted ConfigMap changes).
 */
export const CONFIG_HASH_ANNOTATION = "voicehelper.io/config-hash";

export function configHash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 16);
}
