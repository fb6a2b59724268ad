/**
 * Nacos 3: configuration and service registry, always backed by its own MySQL (whose schema comes
 * from this Nacos image, so it matches the version). Standalone with one replica; a cluster of the
 * StatefulSet's pods, addressed by hostname, with more. Authentication is on with generated token,
 * identity and admin password (a Job sets the admin password once, before anyone else can).
 */
import * as pulumi from "@pulumi/pulumi";
import { mebibytesOf } from "../../config/quantity";
import { ServiceSize } from "../../config/schema";
import { httpProbe, secretEnv, seededPaths, startupAllowance } from "../../kit/container";
import { ServiceEndpoint, hostPort } from "../../kit/endpoint";
import { BatchJob } from "../../kit/job";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { Dependency } from "../../kit/network-policy";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";
import { MysqlOutputs } from "./mysql";

const HTTP = 8848;
const GRPC_CLIENT = 9848; // HTTP + 1000
const GRPC_CLUSTER = 9849; // HTTP + 1001
const RAFT = 7848; // HTTP - 1000
const CONSOLE = 8080;
const UID = 1000;
const HOME = "/home/nacos";

/** Where the image keeps the MySQL schema of its own version. */
export const NACOS_SCHEMA_PATH = `${HOME}/conf/mysql-schema.sql`;

export interface NacosArgs {
  image: string;
  size: ServiceSize;
  /** Size of the admin-password job. */
  jobSize: ServiceSize;
  mysql: MysqlOutputs;
  /** Every declared dependency (its MySQL). */
  dependencies: Dependency[];
}

export interface NacosOutputs {
  endpoint: ServiceEndpoint;
  /** "host:8848" for clients' server-addr. */
  serverAddr: string;
  mode: "standalone" | "cluster";
  username: string;
  password: SharedCredential;
}

export function nacos(args: NacosArgs, ctx: WorkloadContext, parent: pulumi.Resource): NacosOutputs {
  const name = "nacos";
  const { size } = args;
  const cluster = size.replicas > 1;
  const id = { name, component: "registry", version: imageVersion(args.image) };
  const opts = { parent };

  const auth = new GeneratedSecret(
    `${name}-auth`,
    {
      namespace: ctx.namespace,
      labels: labelsOf(id),
      generate: {
        // JWT signing key: base64 of 48 random bytes (Nacos requires 32+).
        token: { kind: "base64", bytes: 48 },
        identityKey: password(24),
        identityValue: password(48),
        adminPassword: password(32),
      },
      plain: { adminUser: "nacos" },
    },
    opts,
  );
  const names = statefulNames(name, ctx.namespace, size.replicas);
  const heapMb = mebibytesOf(size.resources.limits.memory, 0.4);
  // The startup script writes cluster.conf into conf/: a writable copy of the image's conf.
  const conf = seededPaths(name, args.image, [`${HOME}/conf`], UID);
  const mysql = args.mysql.endpoint;

  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      // Stable hostnames for the cluster's member list; the data lives in MySQL.
      state: { podManagementPolicy: cluster ? "Parallel" : "OrderedReady" },
      initContainers: [conf.init],
      containers: [
        {
          name: "nacos",
          image: args.image,
          env: [
            { name: "MODE", value: cluster ? "cluster" : "standalone" },
            { name: "PREFER_HOST_MODE", value: "hostname" },
            ...(cluster ? [{ name: "NACOS_SERVERS", value: names.podHosts.map((h) => `${h}:${HTTP}`).join(" ") }] : []),
            { name: "SPRING_DATASOURCE_PLATFORM", value: "mysql" },
            { name: "MYSQL_SERVICE_HOST", value: mysql.host },
            { name: "MYSQL_SERVICE_PORT", value: String(mysql.ports.mysql) },
            { name: "MYSQL_SERVICE_DB_NAME", value: args.mysql.database },
            { name: "MYSQL_SERVICE_USER", value: args.mysql.user },
            secretEnv("MYSQL_SERVICE_PASSWORD", args.mysql.password.in(ctx.namespace)),
            { name: "MYSQL_SERVICE_DB_PARAM", value: "characterEncoding=utf8&connectTimeout=1000&socketTimeout=3000&autoReconnect=true&useSSL=false&allowPublicKeyRetrieval=true" },
            { name: "NACOS_AUTH_ENABLE", value: "true" },
            secretEnv("NACOS_AUTH_TOKEN", auth.ref("token")),
            secretEnv("NACOS_AUTH_IDENTITY_KEY", auth.ref("identityKey")),
            secretEnv("NACOS_AUTH_IDENTITY_VALUE", auth.ref("identityValue")),
            { name: "JVM_XMS", value: `${heapMb}m` },
            { name: "JVM_XMX", value: `${heapMb}m` },
            { name: "JVM_XMN", value: `${Math.floor(heapMb / 2)}m` },
            // Embedded Tomcat's work directory, off the read-only image.
            { name: "JAVA_OPT_EXT", value: "--server.tomcat.basedir=/tmp/tomcat" },
          ],
          ports: [
            { name: "http", containerPort: HTTP },
            { name: "grpc", containerPort: GRPC_CLIENT },
            { name: "grpc-cluster", containerPort: GRPC_CLUSTER },
            { name: "raft", containerPort: RAFT },
            { name: "console", containerPort: CONSOLE },
          ],
          volumeMounts: conf.mounts,
          writablePaths: [`${HOME}/logs`, `${HOME}/data`, "/tmp"],
          probes: {
            startup: startupAllowance(httpProbe("/v3/console/health/liveness", "console"), 5),
            readiness: httpProbe("/v3/console/health/readiness", "console"),
            liveness: httpProbe("/v3/console/health/liveness", "console"),
          },
        },
      ],
      volumes: conf.volumes,
      clientPorts: ["http", "grpc", "console"],
      primaryPort: "http",
      peerPorts: cluster ? ["grpc-cluster", "raft"] : undefined,
      dependencies: args.dependencies,
      terminationGracePeriodSeconds: 30,
    },
    ctx,
    opts,
  );

  // Nacos 3 ships without an admin password: whoever sets it first owns the registry. Set it now.
  new BatchJob(
    {
      id: { name: `${name}-admin`, component: "bootstrap", version: id.version },
      size: args.jobSize,
      runAsUser: UID,
      containers: [
        {
          name: "admin",
          image: args.image,
          command: ["sh", "-c", ADMIN_SCRIPT],
          env: [{ name: "CONSOLE", value: `http://${hostPort(workload.endpoint, "console")}` }, secretEnv("ADMIN_PASSWORD", auth.ref("adminPassword"))],
          writablePaths: ["/tmp"],
        },
      ],
      dependencies: [{ endpoint: workload.endpoint, ports: ["console"] }],
    },
    ctx,
    opts,
  );

  return {
    endpoint: workload.endpoint,
    serverAddr: hostPort(workload.endpoint, "http"),
    mode: cluster ? "cluster" : "standalone",
    username: "nacos",
    password: auth.credential("adminPassword"),
  };
}

/** Waits for the console, then initialises the admin password; an already-initialised admin is success. */
const ADMIN_SCRIPT = `set -eu
until curl -fsS -o /dev/null "$CONSOLE/v3/console/health/readiness"; do echo "waiting for $CONSOLE"; sleep 5; done
# The password reaches curl in a file (printf is a shell builtin), never in its argv.
umask 077
printf '%s' "$ADMIN_PASSWORD" > /tmp/admin-password
code=$(curl -sS -o /tmp/out -w '%{http_code}' -X POST "$CONSOLE/v3/auth/user/admin" --data-urlencode "password@/tmp/admin-password")
rm -f /tmp/admin-password
if [ "$code" = 200 ]; then echo "admin password set"; exit 0; fi
if grep -qi "have admin user" /tmp/out; then echo "admin already initialised"; exit 0; fi
echo "unexpected answer $code: $(cat /tmp/out)" >&2; exit 1
`;
