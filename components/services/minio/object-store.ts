/**
 * The object store as the layers above see it: where it is, which buckets hold what, and the
 * credentials to use. MinIO implements it today; an external S3 (or any S3-compatible store) can
 * implement the same interface later without its clients changing.
 */
import { EnvVar, secretEnv } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { SharedCredential } from "../../kit/secret";

/** The buckets the platform uses, by role. */
export const BUCKET_ROLES = ["documents", "multimodal", "milvus", "backups", "posthog"] as const;
export type BucketRole = (typeof BUCKET_ROLES)[number];

/**
 * The object store's clients, each with its own credentials limited to the buckets it uses: a leaked
 * key exposes one client's data, never the store's administration.
 */
export const OBJECT_STORE_CLIENTS = ["apps", "milvus", "backup", "posthog"] as const;
export type ObjectStoreClient = (typeof OBJECT_STORE_CLIENTS)[number];
/** The clients every object store has; PostHog's (session replay) exists only while PostHog is self-hosted. */
export const BASE_CLIENTS = ["apps", "milvus", "backup"] as const satisfies readonly ObjectStoreClient[];
/** Each client's view of the store: the base clients always, PostHog's when it is self-hosted. */
export type ObjectStoreClients = Readonly<Record<(typeof BASE_CLIENTS)[number], ObjectStore>> & { readonly posthog?: ObjectStore };

/** What each client may do, by bucket role. */
export const CLIENT_ACCESS: Readonly<Record<ObjectStoreClient, { readWrite: readonly BucketRole[]; readOnly: readonly BucketRole[] }>> = {
  apps: { readWrite: ["documents", "multimodal"], readOnly: [] },
  milvus: { readWrite: ["milvus"], readOnly: [] },
  // Database and Redis backups write here; the off-cluster mirror reads every bucket.
  backup: { readWrite: ["backups"], readOnly: ["documents", "multimodal", "milvus", "posthog"] },
  // Session recordings and exports of self-hosted PostHog.
  posthog: { readWrite: ["posthog"], readOnly: [] },
};

/** The buckets that exist when these clients do: each bucket has exactly one writing client. */
export function bucketRolesOf(clients: readonly ObjectStoreClient[]): BucketRole[] {
  return BUCKET_ROLES.filter((r) => clients.some((c) => CLIENT_ACCESS[c].readWrite.includes(r)));
}

/** An S3 policy granting a client its access (AWS IAM syntax, which MinIO and S3 share). */
export function clientPolicy(client: ObjectStoreClient, buckets: Readonly<Record<BucketRole, string>>, existing: readonly BucketRole[] = BUCKET_ROLES): string {
  const only = (roles: readonly BucketRole[]) => roles.filter((r) => existing.includes(r));
  const access = { readWrite: only(CLIENT_ACCESS[client].readWrite), readOnly: only(CLIENT_ACCESS[client].readOnly) };
  const arns = (roles: readonly BucketRole[], suffix = "") => roles.map((r) => `arn:aws:s3:::${buckets[r]}${suffix}`);
  const statements = [
    { Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: arns([...access.readWrite, ...access.readOnly]) },
    ...(access.readWrite.length > 0
      ? [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: arns(access.readWrite, "/*") }]
      : []),
    ...(access.readOnly.length > 0 ? [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: arns(access.readOnly, "/*") }] : []),
  ];
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** One client's view of the object store: its own credentials. */
export interface ObjectStore {
  /** The store's in-cluster endpoint (NetworkPolicies are derived from it). */
  endpoint: ServiceEndpoint;
  /** S3 API base URL, e.g. "http://minio.voicehelper-storage.svc.cluster.local:9000". */
  url: string;
  /** Bucket names by role. */
  buckets: Readonly<Record<BucketRole, string>>;
  /** The roles whose buckets exist in this store. */
  roles: readonly BucketRole[];
  accessKey: SharedCredential;
  secretKey: SharedCredential;
}

/**
 * Env vars for a client container (e.g. `mcAliases`): `<prefix>_URL`, `<prefix>_ACCESS_KEY` and
 * `<prefix>_SECRET_KEY`, the keys from the store's Secret.
 */
export function objectStoreEnv(prefix: string, store: Pick<ObjectStore, "url" | "accessKey" | "secretKey">, namespace: string): EnvVar[] {
  return [{ name: `${prefix}_URL`, value: store.url }, secretEnv(`${prefix}_ACCESS_KEY`, store.accessKey.in(namespace)), secretEnv(`${prefix}_SECRET_KEY`, store.secretKey.in(namespace))];
}

/**
 * Shell lines that give `mc` one alias per entry, from the entry's `<prefix>_URL`, `_ACCESS_KEY` and
 * `_SECRET_KEY` variables (objectStoreEnv), by writing mc's config file (mode 0600) in MC_CONFIG_DIR.
 * `mc alias set` would take the keys as arguments, which anyone listing the pod's processes can read;
 * here they only pass through the shell's builtins and a pipe.
 */
export function mcAliases(aliases: { alias: string; prefix: string }[]): string {
  const entry = ({ alias, prefix }: { alias: string; prefix: string }) =>
    `printf '"%s":{"url":"%s","accessKey":"%s","secretKey":"%s","api":"S3v4","path":"auto"}' ${alias} "$(json "$${prefix}_URL")" "$(json "$${prefix}_ACCESS_KEY")" "$(json "$${prefix}_SECRET_KEY")"`;
  return `json() { printf '%s' "$1" | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g'; }
umask 077
mkdir -p "$MC_CONFIG_DIR"
{
  printf '{"version":"10","aliases":{'
  ${aliases.map(entry).join("\n  printf ','\n  ")}
  printf '}}\\n'
} > "$MC_CONFIG_DIR/config.json"
`;
}
