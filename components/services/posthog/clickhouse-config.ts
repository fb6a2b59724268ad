/**
 * What PostHog needs from its ClickHouse beyond the storage layer's builder (docs/posthog-upstream.md):
 * - the clusters its settings name, every one of them this single server;
 * - ZooKeeper for replicated tables and ON CLUSTER migrations, and the macros those tables use;
 * - the named collection its Kafka-engine tables read the broker list from (`msk_cluster`);
 * - the default profile of its users.xml (synchronous mutations, among others);
 * - its executable user-defined functions (funnels): the scripts and their definitions ship in the
 *   posthog/posthog image of the same release, so an init container copies them into the server, with
 *   the schemas (`posthog/idl`) PostHog's compose copies into `format_schemas`.
 * The server logs in to itself with the generated user, read from its own env (never written here).
 */
import { ContainerSpec, EnvVar, Volume, VolumeMount } from "../../kit/container";

/** The cluster names PostHog's settings refer to (CLICKHOUSE_CLUSTER and friends). */
export const POSTHOG_CLICKHOUSE_CLUSTERS = {
  main: "posthog",
  migrations: "posthog_migrations",
  singleShard: "posthog_single_shard",
  batchExports: "posthog_batch_exports",
  writable: "posthog_writable",
  primaryReplica: "posthog_primary_replica",
} as const;

/** The macros PostHog's replicated tables and role-aware migrations read. */
export const POSTHOG_CLICKHOUSE_MACROS = { shard: "01", hostClusterType: "online", hostClusterRole: "data" } as const;

/** The default profile of PostHog's users.xml: synchronous mutations, random replica choice, a per-query memory cap. */
export const POSTHOG_CLICKHOUSE_PROFILE = { max_memory_usage: "10000000000", mutations_sync: "1", load_balancing: "random" } as const;

/** The named collection PostHog's Kafka tables use, and the server env it reads the brokers from. */
export const POSTHOG_KAFKA_COLLECTION = { name: "msk_cluster", brokersEnv: "KAFKA_HOSTS" } as const;

/** Where the posthog/posthog image keeps what ClickHouse must run (its working directory is /code). */
export const POSTHOG_IMAGE_PATHS = {
  userScripts: "/code/posthog/user_scripts",
  functionsConfig: "/code/posthog/user_scripts/latest_user_defined_function.xml",
  formatSchemas: "/code/posthog/idl",
} as const;

/** Where ClickHouse reads them: its default user_scripts_path and format_schema_path, and our config dir. */
export const CLICKHOUSE_UDF_PATHS = {
  userScripts: "/var/lib/clickhouse/user_scripts",
  functionsConfigDir: "/etc/clickhouse-server/posthog-functions",
  formatSchemas: "/var/lib/clickhouse/format_schemas",
} as const;

export function posthogClickhouseConfig(zookeeperNodes: readonly string[], zookeeperPort: number, nativePort = 9000): string {
  const replica = `                <replica>
                    <host>127.0.0.1</host>
                    <port>${nativePort}</port>
                    <user from_env="CLICKHOUSE_USER"/>
                    <password from_env="CLICKHOUSE_PASSWORD"/>
                </replica>`;
  const cluster = (name: string) => `        <${name}>
            <shard>
${replica}
            </shard>
        </${name}>`;
  const nodes = zookeeperNodes.map((host) => `        <node>\n            <host>${host}</host>\n            <port>${zookeeperPort}</port>\n        </node>`).join("\n");
  const m = POSTHOG_CLICKHOUSE_MACROS;
  return `    <remote_servers>
${Object.values(POSTHOG_CLICKHOUSE_CLUSTERS).map(cluster).join("\n")}
    </remote_servers>
    <zookeeper>
${nodes}
    </zookeeper>
    <macros>
        <shard>${m.shard}</shard>
        <replica from_env="HOSTNAME"/>
        <hostClusterType>${m.hostClusterType}</hostClusterType>
        <hostClusterRole>${m.hostClusterRole}</hostClusterRole>
    </macros>
    <named_collections>
        <${POSTHOG_KAFKA_COLLECTION.name}>
            <kafka_broker_list from_env="${POSTHOG_KAFKA_COLLECTION.brokersEnv}"/>
        </${POSTHOG_KAFKA_COLLECTION.name}>
    </named_collections>
    <user_defined_executable_functions_config>${CLICKHOUSE_UDF_PATHS.functionsConfigDir}/*_function.xml</user_defined_executable_functions_config>
`;
}

export interface ClickhouseExtension {
  usersConfig: string;
  env: EnvVar[];
  initContainers: ContainerSpec[];
  volumes: Volume[];
  volumeMounts: VolumeMount[];
}

/**
 * The env, init container and volumes that install PostHog's functions into its ClickHouse, taken from
 * `posthogImage` (the same release as the migrations that create the queries calling them).
 */
export function posthogClickhouseExtension(posthogImage: string, kafkaHosts: string): ClickhouseExtension {
  const staged = { scripts: "/posthog/user_scripts", config: "/posthog/functions", schemas: "/posthog/format_schemas" };
  const src = POSTHOG_IMAGE_PATHS;
  const profile = Object.entries(POSTHOG_CLICKHOUSE_PROFILE)
    .map(([k, v]) => `            <${k}>${v}</${k}>`)
    .join("\n");
  return {
    usersConfig: `    <profiles>\n        <default>\n${profile}\n        </default>\n    </profiles>\n`,
    env: [{ name: POSTHOG_KAFKA_COLLECTION.brokersEnv, value: kafkaHosts }],
    initContainers: [
      {
        name: "posthog-functions",
        image: posthogImage,
        command: ["sh", "-c", `cp -R ${src.userScripts}/. ${staged.scripts}/ && cp ${src.functionsConfig} ${staged.config}/posthog_function.xml && cp -R ${src.formatSchemas}/. ${staged.schemas}/`],
        volumeMounts: [
          { name: "posthog-user-scripts", mountPath: staged.scripts },
          { name: "posthog-functions", mountPath: staged.config },
          { name: "posthog-format-schemas", mountPath: staged.schemas },
        ],
      },
    ],
    volumes: [
      { name: "posthog-user-scripts", emptyDir: {} },
      { name: "posthog-functions", emptyDir: {} },
      { name: "posthog-format-schemas", emptyDir: {} },
    ],
    volumeMounts: [
      { name: "posthog-user-scripts", mountPath: CLICKHOUSE_UDF_PATHS.userScripts, readOnly: true },
      { name: "posthog-functions", mountPath: CLICKHOUSE_UDF_PATHS.functionsConfigDir, readOnly: true },
      { name: "posthog-format-schemas", mountPath: CLICKHOUSE_UDF_PATHS.formatSchemas, readOnly: true },
    ],
  };
}
