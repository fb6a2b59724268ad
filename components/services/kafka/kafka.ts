/**
 * Kafka in KRaft mode (no ZooKeeper): every pod is broker and controller, its node id is the pod's
 * ordinal, the quorum voters are the StatefulSet's own pods, and the cluster id is generated once.
 * Clients authenticate with SASL/PLAIN and generated credentials; the controller listener only admits
 * the brokers themselves (NetworkPolicy). Reused by the analytics layer for PostHog's broker.
 */
import * as pulumi from "@pulumi/pulumi";
import { mebibytesOf } from "../../config/quantity";
import { ServiceSize } from "../../config/schema";
import { EnvVar, fieldEnv, secretEnv, startupAllowance, tcpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";
import { EXPORTER_PORT_NAME } from "../exporter-sidecar";
import { kafkaExporter } from "./kafka-exporter";

const CLIENT_PORT = 9092;
const CONTROLLER_PORT = 9093;
const PLAINTEXT_PORT = 9094;
const UID = 1000; // the appuser of the apache/kafka image
const DATA = "/var/lib/kafka";
/** Minutes a broker may take to start before its liveness probe counts. */
const STARTUP_MINUTES = 10;
/** The SASL user of the metrics exporter: its own password, so the applications' is never in its pod spec. */
const METRICS_USER = "metrics";

export interface KafkaArgs {
  name: string;
  image: string;
  /** The KMinion image of the consumer-lag exporter every broker gets (IMAGES.kafkaExporter). */
  exporterImage: string;
  size: ServiceSize;
  /** Hours a record is kept (seed 004: 7 days). */
  retentionHours: number;
  /**
   * Let the brokers create topics on first use. Off for the platform's broker (topics are part of
   * each producer's contract); on for PostHog's, whose services expect their many topics to appear as
   * they first produce or subscribe, as in PostHog's own compose deployment.
   * @default false
   */
  autoCreateTopics?: boolean;
  /**
   * Add an unauthenticated listener (port name "plaintext", 9094) for clients that cannot speak SASL
   * (PostHog's Rust services and ClickHouse's Kafka engine). Only clients that declare a dependency on
   * that port are admitted to it (NetworkPolicy); everyone else keeps SASL.
   * @default false
   */
  plaintextListener?: boolean;
}

export interface KafkaOutputs {
  endpoint: ServiceEndpoint;
  /** "host:port,host:port,..." of every broker. */
  bootstrapServers: string;
  username: string;
  password: SharedCredential;
  /** A complete `sasl.jaas.config` value for clients (contains the password). */
  jaasConfig: SharedCredential;
  /** "host:port,..." of the unauthenticated listener, when there is one. */
  plaintextBootstrapServers?: string;
}

/** Replication settings: RF 3 / min ISR 2 once there are three brokers (seed 004), else what one broker can hold. */
export function kafkaReplication(brokers: number): { replicationFactor: number; minInsyncReplicas: number } {
  return brokers >= 3 ? { replicationFactor: 3, minInsyncReplicas: 2 } : { replicationFactor: brokers, minInsyncReplicas: 1 };
}

export function kafka(args: KafkaArgs, ctx: WorkloadContext, parent: pulumi.Resource): KafkaOutputs {
  const { name, size } = args;
  const id = { name, component: "event-streaming", version: imageVersion(args.image) };
  const names = statefulNames(name, ctx.namespace, size.replicas);
  const voters = names.podHosts.map((host, i) => `${i}@${host}:${CONTROLLER_PORT}`).join(",");
  const bootstrapServers = names.podHosts.map((h) => `${h}:${CLIENT_PORT}`).join(",");
  const { replicationFactor, minInsyncReplicas } = kafkaReplication(size.replicas);
  const username = "voicehelper";
  const plaintext = args.plaintextListener ?? false;

  // Three Secrets, so that what client namespaces get copies of (`${name}-auth`) holds only their own
  // credential: the exporter's password and the broker's list of accepted users stay in this namespace.
  const metricsAuth = new GeneratedSecret(`${name}-metrics`, { namespace: ctx.namespace, labels: labelsOf(id), generate: { password: password(32) }, plain: { username: METRICS_USER } }, { parent });
  const auth = new GeneratedSecret(
    `${name}-auth`,
    {
      namespace: ctx.namespace,
      labels: labelsOf(id),
      generate: { password: password(32), "cluster-id": { kind: "base64url", bytes: 16 } },
      plain: { username },
      derive: (v) => ({
        "client-jaas": pulumi.interpolate`org.apache.kafka.common.security.plain.PlainLoginModule required username="${username}" password="${v.password}";`,
      }),
    },
    { parent },
  );
  const broker = new GeneratedSecret(
    `${name}-broker`,
    {
      namespace: ctx.namespace,
      labels: labelsOf(id),
      derive: () => ({
        // The broker logs in as the client user and accepts exactly that user and the exporter's.
        "broker-jaas": pulumi.interpolate`org.apache.kafka.common.security.plain.PlainLoginModule required username="${username}" password="${auth.value("password")}" user_${username}="${auth.value("password")}" user_${METRICS_USER}="${metricsAuth.value("password")}";`,
      }),
    },
    { parent },
  );

  const heapMb = mebibytesOf(size.resources.limits.memory, 0.5);
  const env: EnvVar[] = [
    fieldEnv("POD_NAME", "metadata.name"),
    // The ordinal label of StatefulSet pods (Kubernetes 1.28+): node id = ordinal = position in the voters.
    fieldEnv("KAFKA_NODE_ID", "metadata.labels['apps.kubernetes.io/pod-index']"),
    secretEnv("CLUSTER_ID", auth.ref("cluster-id")),
    { name: "KAFKA_PROCESS_ROLES", value: "broker,controller" },
    { name: "KAFKA_CONTROLLER_QUORUM_VOTERS", value: voters },
    { name: "KAFKA_LISTENERS", value: `SASL_PLAINTEXT://:${CLIENT_PORT},CONTROLLER://:${CONTROLLER_PORT}${plaintext ? `,PLAINTEXT://:${PLAINTEXT_PORT}` : ""}` },
    {
      name: "KAFKA_ADVERTISED_LISTENERS",
      value: `SASL_PLAINTEXT://$(POD_NAME).${names.headlessHost}:${CLIENT_PORT}${plaintext ? `,PLAINTEXT://$(POD_NAME).${names.headlessHost}:${PLAINTEXT_PORT}` : ""}`,
    },
    { name: "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", value: `CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT${plaintext ? ",PLAINTEXT:PLAINTEXT" : ""}` },
    { name: "KAFKA_CONTROLLER_LISTENER_NAMES", value: "CONTROLLER" },
    { name: "KAFKA_INTER_BROKER_LISTENER_NAME", value: "SASL_PLAINTEXT" },
    { name: "KAFKA_SASL_ENABLED_MECHANISMS", value: "PLAIN" },
    { name: "KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL", value: "PLAIN" },
    secretEnv("KAFKA_LISTENER_NAME_SASL__PLAINTEXT_PLAIN_SASL_JAAS_CONFIG", broker.ref("broker-jaas")),
    { name: "KAFKA_LOG_DIRS", value: `${DATA}/data` },
    { name: "KAFKA_LOG_RETENTION_HOURS", value: String(args.retentionHours) },
    { name: "KAFKA_DEFAULT_REPLICATION_FACTOR", value: String(replicationFactor) },
    { name: "KAFKA_MIN_INSYNC_REPLICAS", value: String(minInsyncReplicas) },
    { name: "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", value: String(replicationFactor) },
    { name: "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", value: String(replicationFactor) },
    { name: "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", value: String(minInsyncReplicas) },
    { name: "KAFKA_AUTO_CREATE_TOPICS_ENABLE", value: String(args.autoCreateTopics ?? false) },
    // Half the memory limit for the heap; the rest is page cache, which Kafka lives on.
    { name: "KAFKA_HEAP_OPTS", value: `-Xms${heapMb}m -Xmx${heapMb}m` },
  ];

  const port = tcpProbe("client");
  const exporter = kafkaExporter({
    service: name,
    image: args.exporterImage,
    clientPort: CLIENT_PORT,
    runAsUser: UID,
    username: METRICS_USER,
    password: secretEnv("KAFKA_SASL_PASSWORD", metricsAuth.ref("password")),
    startupMinutes: STARTUP_MINUTES,
  });
  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      state: { mountPath: DATA, podManagementPolicy: "Parallel" },
      containers: [
        {
          name: "kafka",
          image: args.image,
          env,
          ports: [{ name: "client", containerPort: CLIENT_PORT }, { name: "controller", containerPort: CONTROLLER_PORT }, ...(plaintext ? [{ name: "plaintext", containerPort: PLAINTEXT_PORT }] : [])],
          volumeMounts: [{ name: "data", mountPath: DATA }],
          // The image's start script writes server.properties into its config directory.
          writablePaths: ["/opt/kafka/config", "/tmp"],
          probes: { startup: startupAllowance(port, STARTUP_MINUTES), readiness: tcpProbe("client", { periodSeconds: 5 }), liveness: port },
        },
        exporter,
      ],
      metrics: { port: EXPORTER_PORT_NAME, path: "/metrics" },
      clientPorts: plaintext ? ["client", "plaintext"] : ["client"],
      primaryPort: "client",
      peerPorts: ["controller"],
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    { parent },
  );

  return {
    endpoint: workload.endpoint,
    bootstrapServers,
    username,
    password: auth.credential("password"),
    jaasConfig: auth.credential("client-jaas"),
    plaintextBootstrapServers: plaintext ? names.podHosts.map((h) => `${h}:${PLAINTEXT_PORT}`).join(",") : undefined,
  };
}
