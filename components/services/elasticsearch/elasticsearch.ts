/**
 * Elasticsearch 8: one node with single-node discovery in small tiers; three master-eligible data
 * nodes otherwise, whose seed hosts and initial masters are the StatefulSet's own pods, talking over
 * transport TLS with a certificate issued for this cluster. Security is on with a generated `elastic`
 * password, which only the Job creating the clients' own users (elasticsearch-users.ts) logs in with;
 * the heap is half the memory limit.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mebibytesOf } from "../../config/quantity";
import { ServiceSize } from "../../config/schema";
import { EnvVar, execProbe, fieldEnv, secretEnv, seededPaths, startupAllowance, tcpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { BatchJob } from "../../kit/job";
import { kubernetesApiEgress } from "../../kit/network-policy";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, password } from "../../kit/secret";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";
import { ElasticsearchIndices, PLATFORM_INDICES } from "./elasticsearch-indices";
import { ACCOUNTS, ElasticsearchClients, elasticsearchUserSecrets, elasticsearchUsers } from "./elasticsearch-users";
import { elasticsearchExporter } from "./elasticsearch-exporter";
import { EXPORTER_PORT_NAME } from "../exporter-sidecar";

const HTTP = 9200;
const TRANSPORT = 9300;
const UID = 1000; // the elasticsearch user of the official image
const HOME = "/usr/share/elasticsearch";
const USER = "elastic";

export interface ElasticsearchArgs {
  image: string;
  /** The elasticsearch_exporter image of the sidecar every node gets (IMAGES.elasticsearchExporter). */
  exporterImage: string;
  size: ServiceSize;
  /** Size of the Jobs: the clients' users, and the transport certificate (clusters only). */
  jobSize: ServiceSize;
}

export interface ElasticsearchOutputs {
  endpoint: ServiceEndpoint;
  /** "http://host:9200" */
  url: string;
  mode: "single-node" | "cluster";
  /** Where the platform's logs and traces and the applications' data go (logs and traces are expired). */
  indices: ElasticsearchIndices;
  /** Each client's own login, limited to its indices; the `elastic` superuser never leaves this layer. */
  clients: ElasticsearchClients;
}

/** The discovery settings: single-node, or the cluster's pods as seed hosts and initial masters. */
export function discoveryEnv(podNames: string[], podHosts: string[]): EnvVar[] {
  if (podNames.length <= 1) return [{ name: "discovery.type", value: "single-node" }];
  return [
    { name: "discovery.seed_hosts", value: podHosts.map((h) => `${h}:${TRANSPORT}`).join(",") },
    { name: "cluster.initial_master_nodes", value: podNames.join(",") },
  ];
}

export function elasticsearch(args: ElasticsearchArgs, ctx: WorkloadContext, parent: pulumi.Resource): ElasticsearchOutputs {
  const name = "elasticsearch";
  const { size } = args;
  const cluster = size.replicas > 1;
  const id = { name, component: "search", version: imageVersion(args.image) };
  const opts = { parent };

  const auth = new GeneratedSecret(`${name}-auth`, { namespace: ctx.namespace, labels: labelsOf(id), generate: { password: password(32) }, plain: { username: USER } }, opts);
  const names = statefulNames(name, ctx.namespace, size.replicas);
  const heapMb = mebibytesOf(size.resources.limits.memory, 0.5);
  // The entrypoint stores the bootstrap password in a keystore under config/: a writable copy of it.
  const config = seededPaths(name, args.image, [`${HOME}/config`], UID);
  const transport = tcpProbe("transport");
  const health = (query: string) =>
    // The credentials reach curl as a config on stdin (printf is a shell builtin): never in a process's argv.
    execProbe(["sh", "-c", `printf 'user = "%s:%s"\\n' ${USER} "$ELASTIC_PASSWORD" | curl -fsS -K - -o /dev/null "http://127.0.0.1:${HTTP}/_cluster/health?${query}"`], { timeoutSeconds: 10 });

  // A cluster with security on must encrypt and authenticate node-to-node traffic: every node gets
  // the same transport certificate (for all the pods' names) signed by a CA made for this cluster.
  const certs = cluster ? transportCertificates(name, args, names.podHosts, ctx, opts) : undefined;
  const clientSecrets = elasticsearchUserSecrets({ image: args.image }, ctx, parent);

  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      // Master election needs every node up: start them together.
      state: { mountPath: `${HOME}/data`, podManagementPolicy: cluster ? "Parallel" : "OrderedReady" },
      initContainers: [config.init],
      containers: [
        {
          name: "elasticsearch",
          image: args.image,
          env: [
            secretEnv("ELASTIC_PASSWORD", auth.ref("password")),
            fieldEnv("node.name", "metadata.name"),
            { name: "cluster.name", value: "voicehelper" },
            { name: "network.host", value: "0.0.0.0" },
            ...discoveryEnv(names.podNames, names.podHosts),
            { name: "ES_JAVA_OPTS", value: `-Xms${heapMb}m -Xmx${heapMb}m` },
            // Elasticsearch memory-maps its indices and then needs the node's vm.max_map_count raised to
            // 262144, which only a privileged init container (or the node's own setup) can do. Turning
            // mmap off keeps the pod unprivileged at some cost in search speed; raise the sysctl on the
            // nodes and drop this setting to get it back.
            { name: "node.store.allow_mmap", value: "false" },
            { name: "xpack.security.enabled", value: "true" },
            // Plain HTTP inside the cluster (authenticated; the mesh encrypts pod-to-pod traffic).
            { name: "xpack.security.http.ssl.enabled", value: "false" },
            ...(certs ? certs.env : []),
          ],
          ports: [
            { name: "http", containerPort: HTTP },
            { name: "transport", containerPort: TRANSPORT },
          ],
          volumeMounts: [{ name: "data", mountPath: `${HOME}/data` }, ...config.mounts, ...(certs ? [certs.mount] : [])],
          writablePaths: ["/tmp", `${HOME}/logs`],
          probes: {
            startup: startupAllowance(transport, 10),
            // A node is ready once it has joined a cluster with every primary allocated (local view).
            readiness: health("local=true&wait_for_status=yellow&timeout=5s"),
            liveness: transport,
          },
        },
        elasticsearchExporter({
          service: name,
          image: args.exporterImage,
          httpPort: HTTP,
          runAsUser: UID,
          username: ACCOUNTS.metrics.user,
          password: secretEnv("ES_PASSWORD", clientSecrets.metrics.ref("password")),
        }),
      ],
      volumes: [...config.volumes, ...(certs ? [certs.volume] : [])],
      clientPorts: ["http"],
      peerPorts: ["transport"],
      metrics: { port: EXPORTER_PORT_NAME, path: "/metrics" },
      terminationGracePeriodSeconds: 120,
    },
    ctx,
    opts,
  );

  const url = `http://${workload.endpoint.host}:${HTTP}`;
  const clients = elasticsearchUsers(
    { image: args.image, jobSize: args.jobSize, url, endpoint: workload.endpoint, indices: PLATFORM_INDICES, admin: { username: USER, password: auth.ref("password") }, secrets: clientSecrets },
    ctx,
    parent,
  );
  return {
    endpoint: workload.endpoint,
    url,
    mode: cluster ? "cluster" : "single-node",
    indices: PLATFORM_INDICES,
    clients,
  };
}

/** The Secret holding the cluster's transport CA and node certificate. */
export const TRANSPORT_SECRET_SUFFIX = "transport-tls";

/**
 * Creates the transport certificate once, with Elasticsearch's own `elasticsearch-certutil`, in a Job
 * that stores it as a Secret through the Kubernetes API (the CA key is discarded after signing).
 * Nodes mount the Secret and wait for it before they start. The Secret is the Job's product, not a
 * Pulumi resource: it survives `pulumi destroy`, and a cluster grown beyond the names it was issued
 * for needs it deleted so the Job issues a new one.
 */
function transportCertificates(name: string, args: ElasticsearchArgs, podHosts: string[], ctx: WorkloadContext, opts: pulumi.CustomResourceOptions) {
  const secretName = `${name}-${TRANSPORT_SECRET_SUFFIX}`;
  const jobName = `${name}-certs`;
  const id = { name: jobName, component: "bootstrap", version: imageVersion(args.image) };
  const role = new k8s.rbac.v1.Role(
    jobName,
    {
      metadata: { name: jobName, namespace: ctx.namespace, labels: labelsOf(id) },
      rules: [
        { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
        { apiGroups: [""], resources: ["secrets"], resourceNames: [secretName], verbs: ["get"] },
      ],
    },
    opts,
  );
  new k8s.rbac.v1.RoleBinding(
    jobName,
    {
      metadata: { name: jobName, namespace: ctx.namespace, labels: labelsOf(id) },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: jobName, namespace: ctx.namespace }],
    },
    opts,
  );
  new BatchJob(
    {
      id,
      size: args.jobSize,
      runAsUser: UID,
      exceptions: [{ rule: "no-service-account-token", reason: "stores the generated transport certificate as a Secret through the Kubernetes API" }],
      containers: [
        {
          name: "certs",
          image: args.image,
          command: ["bash", "-c", CERTS_SCRIPT],
          env: [
            { name: "TARGET_SECRET_NAME", value: secretName },
            { name: "DNS_NAMES", value: [...podHosts, ...podHosts.map((h) => h.split(".")[0])].join(",") },
            { name: "ES_TMPDIR", value: "/tmp" },
          ],
          writablePaths: ["/tmp", `${HOME}/logs`],
        },
      ],
      egress: [kubernetesApiEgress()],
    },
    ctx,
    opts,
  );
  const dir = `${HOME}/config/certs`;
  return {
    volume: { name: "transport-tls", secret: { secretName, defaultMode: 0o440 } },
    mount: { name: "transport-tls", mountPath: dir, readOnly: true },
    env: [
      { name: "xpack.security.transport.ssl.enabled", value: "true" },
      // Nodes reach each other by IP after discovery, so the certificate is checked against the CA, not the name.
      { name: "xpack.security.transport.ssl.verification_mode", value: "certificate" },
      { name: "xpack.security.transport.ssl.key", value: `${dir}/tls.key` },
      { name: "xpack.security.transport.ssl.certificate", value: `${dir}/tls.crt` },
      { name: "xpack.security.transport.ssl.certificate_authorities", value: `${dir}/ca.crt` },
    ] as EnvVar[],
  };
}

/** Issues the CA and the node certificate unless the Secret exists, then stores them through the API. */
const CERTS_SCRIPT = `set -euo pipefail
umask 077
sa=/var/run/secrets/kubernetes.io/serviceaccount
ns=$(cat $sa/namespace)
api="https://kubernetes.default.svc/api/v1/namespaces/$ns/secrets"
# The token and the private key go to curl in files, never in its argv (visible to the node's processes).
printf 'header = "Authorization: Bearer %s"\\ncacert = "%s"\\n' "$(cat $sa/token)" "$sa/ca.crt" > /tmp/curl-api
code=$(curl -sS -K /tmp/curl-api -o /dev/null -w '%{http_code}' "$api/$TARGET_SECRET_NAME")
if [ "$code" = 200 ]; then echo "$TARGET_SECRET_NAME exists"; exit 0; fi
cd /tmp && rm -rf certs && mkdir certs && cd certs
elasticsearch-certutil ca --pem --days 3650 --out ca.zip --silent && unzip -q ca.zip
elasticsearch-certutil cert --pem --days 3650 --ca-cert ca/ca.crt --ca-key ca/ca.key --name node --dns "$DNS_NAMES" --out node.zip --silent && unzip -q node.zip
b64() { base64 -w0 < "$1"; }
printf '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s"},"type":"Opaque","data":{"ca.crt":"%s","tls.crt":"%s","tls.key":"%s"}}' "$TARGET_SECRET_NAME" "$(b64 ca/ca.crt)" "$(b64 node/node.crt)" "$(b64 node/node.key)" > /tmp/secret.json
rm -rf /tmp/certs
code=$(curl -sS -K /tmp/curl-api -o /tmp/answer -w '%{http_code}' -H 'Content-Type: application/json' -X POST --data @/tmp/secret.json "$api")
rm -f /tmp/secret.json
case "$code" in 201) echo "$TARGET_SECRET_NAME created" ;; 409) echo "$TARGET_SECRET_NAME created concurrently" ;; *) echo "creating $TARGET_SECRET_NAME failed ($code): $(cat /tmp/answer)" >&2; exit 1 ;; esac
`;
