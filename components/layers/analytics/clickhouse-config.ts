/**
 * What PostHog needs from its ClickHouse beyond the storage layer's builder: the clusters its
 * migrations and queries name (`posthog`, `posthog_migrations`, `posthog_single_shard`), ZooKeeper for
 * replicated tables, and the macros replicated tables use. Every cluster is this one server; the
 * server logs in to itself with the generated user, read from its own env (never written here).
 */

/** The cluster names PostHog's settings refer to (CLICKHOUSE_CLUSTER and friends). */
export const POSTHOG_CLICKHOUSE_CLUSTERS = { main: "posthog", migrations: "posthog_migrations", singleShard: "posthog_single_shard" } as const;

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
  return `    <remote_servers>
${Object.values(POSTHOG_CLICKHOUSE_CLUSTERS).map(cluster).join("\n")}
    </remote_servers>
    <zookeeper>
${nodes}
    </zookeeper>
    <macros>
        <shard>01</shard>
        <replica from_env="HOSTNAME"/>
    </macros>
`;
}
