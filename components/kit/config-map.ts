/**
 * Configuration files a workload mounts: one ConfigMap, and the digest of its files for the pod
 * template's config-hash annotation (so changing a file rolls the pods).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { configHash } from "./config-hash";
import { Labels } from "./labels";

export interface ConfigFiles {
  /** The ConfigMap's name, for `configMap` volumes. */
  name: pulumi.Output<string>;
  /** Digest of every file, in key order. */
  hash: string;
}

/** A ConfigMap named `name` holding `files` (file name -> contents). */
export function configFiles(name: string, namespace: string, labels: Labels, files: Record<string, string>, parent: pulumi.Resource): ConfigFiles {
  const cm = new k8s.core.v1.ConfigMap(name, { metadata: { name, namespace, labels }, data: files }, { parent });
  const keys = Object.keys(files).sort();
  return { name: cm.metadata.name, hash: configHash(...keys.flatMap((k) => [k, files[k]])) };
}

/** A ConfigMap of settings that workloads in `namespace` read as env (`envFrom`), with its digest. */
export interface SharedSettings extends ConfigFiles {
  namespace: string;
}

/** A ConfigMap named `name` whose keys are env var names. */
export function sharedSettings(name: string, namespace: string, labels: Labels, env: Record<string, string>, parent: pulumi.Resource): SharedSettings {
  return { ...configFiles(name, namespace, labels, env, parent), namespace };
}
