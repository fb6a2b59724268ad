/**
 * The object store as the layers above see it: where it is, which buckets hold what, and the
 * credentials to use. MinIO implements it today; an external S3 (or any S3-compatible store) can
 * implement the same interface later without its clients changing.
 */
import { EnvVar, secretEnv } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { SecretKeyRef } from "../../kit/secret";

/** The buckets the platform uses, by role. */
export const BUCKET_ROLES = ["documents", "multimodal", "milvus", "backups"] as const;
export type BucketRole = (typeof BUCKET_ROLES)[number];

export interface ObjectStore {
  /** The store's in-cluster endpoint (NetworkPolicies are derived from it). */
  endpoint: ServiceEndpoint;
  /** S3 API base URL, e.g. "http://minio.voicehelper-storage.svc.cluster.local:9000". */
  url: string;
  /** Bucket names by role. */
  buckets: Readonly<Record<BucketRole, string>>;
  accessKey: SecretKeyRef;
  secretKey: SecretKeyRef;
}

/**
 * Env vars for a client container (e.g. `mc alias set`): `<prefix>_URL`, `<prefix>_ACCESS_KEY` and
 * `<prefix>_SECRET_KEY`, the keys from the store's Secret.
 */
export function objectStoreEnv(prefix: string, store: Pick<ObjectStore, "url" | "accessKey" | "secretKey">): EnvVar[] {
  return [{ name: `${prefix}_URL`, value: store.url }, secretEnv(`${prefix}_ACCESS_KEY`, store.accessKey), secretEnv(`${prefix}_SECRET_KEY`, store.secretKey)];
}
