/**
 * Where every backup is written: the S3-compatible store named by `backup.target` (outside the
 * cluster, so losing the cluster does not lose its backups), or the in-cluster object store's backups
 * bucket when no target is set (the dev default). PostgreSQL's archiver, the Redis and FAISS backup
 * jobs and the restores all see the same `BackupTarget`, so they agree on paths and credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import { S3Target } from "../../config/schema";
import { ServiceEndpoint } from "../../kit/endpoint";
import { Labels } from "../../kit/labels";
import { Dependency, EgressRule } from "../../kit/network-policy";
import { GeneratedSecret, SharedCredential } from "../../kit/secret";
import { ObjectStore } from "../minio/object-store";

export interface BackupTarget {
  /** S3 API base URL. */
  url: string;
  /** The bucket every backup writes into. */
  bucket: string;
  /** This stack's folder in the bucket ("" or ending in "/"): stacks sharing a target never mix their backups. */
  root: string;
  accessKey: SharedCredential;
  secretKey: SharedCredential;
  /** True when the store is outside the cluster (the backups survive losing it). */
  offCluster: boolean;
  /** The in-cluster store's endpoint (NetworkPolicies are derived from it); undefined off the cluster. */
  endpoint?: ServiceEndpoint;
}

/** The in-cluster object store's backups bucket, with the backup client's keys. */
export function inClusterTarget(store: ObjectStore): BackupTarget {
  return { url: store.url, bucket: store.buckets.backups, root: "", accessKey: store.accessKey, secretKey: store.secretKey, offCluster: false, endpoint: store.endpoint };
}

/** The store outside the cluster; its keys (config secrets) go into one Secret, copied where they are used. */
export function offClusterTarget(name: string, target: S3Target & { root: string }, namespace: string, labels: Labels, parent: pulumi.Resource): BackupTarget {
  const secret = new GeneratedSecret(name, { namespace, labels, supplied: { accessKey: target.accessKey, secretKey: target.secretKey } }, { parent });
  return { url: target.url, bucket: target.bucket, root: target.root, accessKey: secret.credential("accessKey"), secretKey: secret.credential("secretKey"), offCluster: true };
}

/** A store's folder in the target, as `mc` and barman name it: `<bucket>/<root><folder>`. */
export function targetPath(target: Pick<BackupTarget, "bucket" | "root">, folder: string): string {
  return `${target.bucket}/${target.root}${folder}`;
}

/** The network paths a pod needs to reach the target: the in-cluster store, or the target's port anywhere. */
export function targetPaths(target: Pick<BackupTarget, "url" | "endpoint">): { dependencies: Dependency[]; egress: EgressRule[] } {
  if (target.endpoint) return { dependencies: [{ endpoint: target.endpoint }], egress: [] };
  return { dependencies: [], egress: [{ role: "backup-target", ports: [{ protocol: "TCP", port: urlPort(target.url) }] }] };
}

/** The TCP port of an http(s) URL, explicit or implied by its scheme. */
export function urlPort(url: string): number {
  const u = new URL(url);
  return Number(u.port || (u.protocol === "https:" ? 443 : 80));
}
