// Products that run without authentication, or with a published default password, when a setting
// is simply left out: recognised by image, and satisfied by the env var, config file or flag that
// turns authentication on.

import { containerLabel, ContainerRef, imageBaseName } from "./k8s";
import { EnvVar, stringTokens } from "./containers";
import { asArray, asObject, asString } from "./values";

/** Product images whose defaults apply when the credential is simply not set. */
export function productDefaultProblems(c: ContainerRef, env: EnvVar[]): string[] {
  // A native sidecar (an init container with restartPolicy Always) runs for the pod's lifetime.
  if (c.init && asString(c.container.restartPolicy) !== "Always") {
    return [];
  }
  const base = imageBaseName(asString(c.container.image));
  const names = new Set(env.map((e) => e.name));
  const has = (...n: string[]) => n.some((x) => names.has(x));
  const envFrom = asArray(c.container.envFrom).map((e) => asObject(e));
  const envFromSecret = envFrom.some((e) => asObject(e?.secretRef) !== undefined);
  const envFromAny = envFrom.length > 0;
  const mounts = asArray(c.container.volumeMounts).map((m) => asString(asObject(m)?.mountPath) ?? "");
  const mountsUnder = (prefix: string) => mounts.some((p) => p === prefix || p.startsWith(`${prefix}/`) || p.startsWith(prefix));
  // Only a mount that replaces the product's own config file counts as configuring it (provisioning dashboards does not).
  const mountsFile = (...paths: string[]) => mounts.some((p) => paths.includes(p.replace(/\/+$/, "")));
  const tokens = stringTokens(c);
  const who = containerLabel(c);
  switch (base) {
    case "redis":
    case "valkey":
    case "redis-stack-server": {
      if (tokens.some((t) => /\b(redis|valkey)-(cli|benchmark)\b/.test(t))) {
        return [];
      }
      // A password on the command line, or a config (file, or written to stdin) that sets one.
      const auth = tokens.some((t) => /\brequirepass\b|--aclfile\b|\.conf\b|--user\b/.test(t));
      return auth ? [] : [`${who} runs Redis without --requirepass (or a config file): Redis without a password`];
    }
    case "clickhouse-server":
      return has("CLICKHOUSE_PASSWORD", "CLICKHOUSE_PASSWORD_FILE") || envFromSecret || mountsUnder("/etc/clickhouse-server/users")
        ? []
        : [`${who} runs ClickHouse's default user with an empty password (set CLICKHOUSE_PASSWORD from a Secret)`];
    case "grafana":
    case "grafana-oss":
    case "grafana-enterprise":
      return has("GF_SECURITY_ADMIN_PASSWORD", "GF_SECURITY_ADMIN_PASSWORD__FILE") || envFromSecret || mountsFile("/etc/grafana", "/etc/grafana/grafana.ini")
        ? []
        : [`${who} keeps Grafana's default admin password (set GF_SECURITY_ADMIN_PASSWORD from a Secret)`];
    case "neo4j":
      return has("NEO4J_AUTH", "NEO4J_AUTH_PATH") || envFromSecret ? [] : [`${who} keeps Neo4j's default initial password (set NEO4J_AUTH from a Secret)`];
    case "minio": {
      const server = tokens.length === 0 || tokens.includes("server");
      return !server || has("MINIO_ROOT_PASSWORD", "MINIO_ROOT_PASSWORD_FILE", "MINIO_SECRET_KEY", "MINIO_SECRET_KEY_FILE", "MINIO_CONFIG_ENV_FILE") || envFromSecret
        ? []
        : [`${who} keeps MinIO's default root password (set MINIO_ROOT_PASSWORD from a Secret)`];
    }
    case "kafka-ui":
      return has("AUTH_TYPE", "SPRING_CONFIG_ADDITIONAL_LOCATION") || envFromAny ? [] : [`${who} runs kafka-ui without authentication (AUTH_TYPE unset means DISABLED)`];
    case "nacos-server": {
      // A container that runs its own command (a client calling the API) is not the server.
      const server = tokens.length === 0 || tokens.some((t) => /startup\.sh/.test(t));
      return !server || has("NACOS_AUTH_ENABLE") || envFromAny ? [] : [`${who} runs Nacos without NACOS_AUTH_ENABLE=true (authentication is off by default)`];
    }
    case "milvus": {
      // Milvus reads any setting from an environment variable named after its key, upper-cased.
      const authByEnv = env.some((e) => e.name === "COMMON_SECURITY_AUTHORIZATIONENABLED" && e.value === "true");
      return authByEnv || mountsFile("/milvus/configs", "/milvus/configs/user.yaml", "/milvus/configs/milvus.yaml")
        ? []
        : [`${who} runs Milvus on its built-in config (authorization off, default root password)`];
    }
    case "mongo":
    case "mongodb-community-server": {
      const server = tokens.length === 0 || tokens.some((t) => /\bmongod\b/.test(t));
      const auth = has("MONGO_INITDB_ROOT_PASSWORD", "MONGO_INITDB_ROOT_PASSWORD_FILE") || envFromSecret || tokens.some((t) => /--auth\b|--config\b|--keyFile\b/.test(t));
      return !server || auth ? [] : [`${who} runs MongoDB without authentication (set MONGO_INITDB_ROOT_PASSWORD from a Secret, or --auth)`];
    }
    default:
      return [];
  }
}
