/**
 * KMinion beside each Kafka broker (docs/metrics-upstream.md): Kafka serves no Prometheus endpoint and
 * consumer lag is a client-side computation (a group's committed offsets against the partitions' high
 * water marks), so an exporter has to log in as a Kafka client. KMinion is chosen over kafka_exporter
 * because it takes every setting from the environment, the SASL password included, where
 * kafka_exporter takes that password only as a command-line flag.
 *
 * It asks the Admin API for the groups' offsets (not the `__consumer_offsets` topic, KMinion's own
 * default) and reports lag per group and topic: every broker's sidecar reports the whole cluster, so
 * the rules and panels take the highest value over the pods, and lag stays visible while any broker is up.
 */
import { ContainerSpec, EnvVar, startupAllowance, tcpProbe } from "../../kit/container";
import { EXPORTER_PORT_NAME, exporterSidecar } from "../exporter-sidecar";
import { EXPORTER_SIDECAR_SIZE } from "../../config/sizing";
import { memoryBytes } from "../../kit/quantity";

/** KMinion's default listen port (`exporter.port`), set explicitly because the scrape annotations name it. */
export const KAFKA_EXPORTER_PORT = 8080;

/**
 * The Go heap KMinion may grow to before its collector works harder: three quarters of the sidecar's
 * memory limit (EXPORTER_SIDECAR_SIZE), so a burst of groups or topics costs GC time instead of an OOM kill.
 */
const GO_MEMORY_LIMIT = `${Math.floor((memoryBytes(EXPORTER_SIDECAR_SIZE.limits.memory) * 3) / 4 / 2 ** 20)}MiB`;

export interface KafkaExporterArgs {
  service: string;
  image: string;
  /** The broker's SASL_PLAINTEXT listener, reached over localhost. */
  clientPort: number;
  runAsUser: number;
  username: string;
  /** The user's password, from a Secret (KMinion reads it as KAFKA_SASL_PASSWORD). */
  password: EnvVar;
  /** Minutes the broker may take to answer before the exporter's liveness probe counts (it connects first, then listens). */
  startupMinutes: number;
}

export function kafkaExporter(args: KafkaExporterArgs): ContainerSpec {
  const port = tcpProbe(EXPORTER_PORT_NAME);
  return exporterSidecar(args.service, {
    name: "kafka-exporter",
    image: args.image,
    runAsUser: args.runAsUser,
    // KMinion maps each variable to a setting by lower-casing it and reading "_" as a level
    // (KAFKA_SASL_PASSWORD is kafka.sasl.password); no YAML file, so nothing else can set it.
    env: [
      // One seed broker and no comma: KMinion splits comma-separated values into lists.
      { name: "KAFKA_BROKERS", value: `127.0.0.1:${args.clientPort}` },
      { name: "KAFKA_SASL_ENABLED", value: "true" },
      { name: "KAFKA_SASL_MECHANISM", value: "PLAIN" },
      { name: "KAFKA_SASL_USERNAME", value: args.username },
      { ...args.password, name: "KAFKA_SASL_PASSWORD" },
      // Wait for the broker beside it instead of exiting (and restarting) while the broker starts.
      { name: "KAFKA_RETRYINITCONNECTION", value: "true" },
      { name: "MINION_CONSUMERGROUPS_SCRAPEMODE", value: "adminApi" },
      { name: "MINION_CONSUMERGROUPS_GRANULARITY", value: "topic" },
      { name: "MINION_TOPICS_GRANULARITY", value: "topic" },
      { name: "EXPORTER_PORT", value: String(KAFKA_EXPORTER_PORT) },
      { name: "GOMEMLIMIT", value: GO_MEMORY_LIMIT },
    ],
    ports: [{ name: EXPORTER_PORT_NAME, containerPort: KAFKA_EXPORTER_PORT }],
    probes: { startup: startupAllowance(port, args.startupMinutes), readiness: port, liveness: port },
  });
}
