/**
 * Milvus standalone (`milvus run standalone`): the vector database, with its metadata in its own etcd
 * and its segments in the object store's milvus bucket. Authentication is on with a generated root
 * password (Milvus without auth is a default that must never ship).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { Dependency } from "../../kit/network-policy";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { Workload, WorkloadContext } from "../../kit/workload";
import { EtcdOutputs } from "./milvus-etcd";
import { ObjectStore } from "../minio/object-store";

const GRPC = 19530;
const HTTP = 9091;
const UID = 1000;
const DATA = "/var/lib/milvus";

export interface MilvusArgs {
  image: string;
  size: ServiceSize;
  etcd: EtcdOutputs;
  objectStore: ObjectStore;
  /** Every declared dependency (etcd and the object store). */
  dependencies: Dependency[];
}

export interface MilvusOutputs {
  endpoint: ServiceEndpoint;
  /** "http://host:19530" */
  uri: string;
  username: string;
  password: SharedCredential;
}

export function milvus(args: MilvusArgs, ctx: WorkloadContext, parent: pulumi.Resource): MilvusOutputs {
  const name = "milvus";
  const id = { name, component: "vector-database", version: imageVersion(args.image) };
  const store = new URL(args.objectStore.url);
  const auth = new GeneratedSecret(`${name}-auth`, { namespace: ctx.namespace, labels: labelsOf(id), generate: { password: password(32) }, plain: { username: "root" } }, { parent });
  const health = httpProbe("/healthz", "http");

  // Milvus maps environment variables onto its settings (MINIO_ACCESS_KEY_ID -> minio.accessKeyID).
  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      state: { mountPath: DATA },
      containers: [
        {
          name: "milvus",
          image: args.image,
          command: ["milvus", "run", "standalone"],
          env: [
            { name: "ETCD_ENDPOINTS", value: args.etcd.endpoints.join(",") },
            { name: "MINIO_ADDRESS", value: store.hostname },
            { name: "MINIO_PORT", value: store.port || (store.protocol === "https:" ? "443" : "80") },
            { name: "MINIO_USE_SSL", value: String(store.protocol === "https:") },
            { name: "MINIO_BUCKET_NAME", value: args.objectStore.buckets.milvus },
            secretEnv("MINIO_ACCESS_KEY_ID", args.objectStore.accessKey.in(ctx.namespace)),
            secretEnv("MINIO_SECRET_ACCESS_KEY", args.objectStore.secretKey.in(ctx.namespace)),
            { name: "COMMON_SECURITY_AUTHORIZATIONENABLED", value: "true" },
            secretEnv("COMMON_SECURITY_DEFAULTROOTPASSWORD", auth.ref("password")),
            { name: "LOCALSTORAGE_PATH", value: DATA },
          ],
          ports: [
            { name: "grpc", containerPort: GRPC },
            { name: "http", containerPort: HTTP },
          ],
          volumeMounts: [{ name: "data", mountPath: DATA }],
          writablePaths: ["/tmp"],
          probes: {
            startup: startupAllowance(health, 10),
            readiness: httpProbe("/healthz", "http", { periodSeconds: 15 }),
            liveness: httpProbe("/healthz", "http", { periodSeconds: 30, failureThreshold: 5 }),
          },
        },
      ],
      clientPorts: ["grpc"],
      metrics: { port: "http", path: "/metrics" },
      dependencies: args.dependencies,
      // Standalone is a single writer: a one-pod StatefulSet stops the old pod before starting the new
      // one, which is the Recreate strategy (the config constraints keep it at one replica).
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    { parent },
  );

  return { endpoint: workload.endpoint, uri: `http://${workload.endpoint.host}:${GRPC}`, username: "root", password: auth.credential("password") };
}
