import * as assert from "assert";
import { KNOWN_DEFAULTS } from "../../policy/lib/defaults";
import { configMap, container, deployment, job, mutate, podSpec, secret, statefulSet } from "./fixtures";
import { check, TestResource, UNKNOWN, Violation } from "./util";

const RULE = "no-default-credentials";
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Every message produced in this file, to prove afterwards that none of them echoes a value. */
const seen: string[] = [];

async function run(subject: TestResource | TestResource[]): Promise<string[]> {
  const vs: Violation[] = await check(RULE, subject);
  for (const v of vs) {
    assert.strictEqual(v.enforcementLevel, "mandatory", v.message);
    seen.push(v.message);
  }
  return vs.map((v) => v.message);
}

function assertMatches(msgs: string[], patterns: RegExp[]): void {
  for (const re of patterns) {
    assert.ok(
      msgs.some((m) => re.test(m)),
      `no message matches ${re}:\n${msgs.join("\n")}`,
    );
  }
}

const withEnv = (env: any[], name = "app", image = "ghcr.io/voicehelper/app:1.4.2") => deployment(name, { spec: podSpec([container(name, { image, env })]) });
const STRONG = "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0";
/** Literal secrets used by the fixtures below; none may appear in a message. */
const FIXTURE_SECRETS = [STRONG, "Tr0ub4dor-literal-9", "sk-test-4eC39HqLyjWDarjtT1zdp7dc", "redis-literal-pass-77"];

describe("policy: no-default-credentials", () => {
  describe("Secrets", () => {
    it("passes strong generated values and values unknown during preview", async () => {
      const s = secret("ok", { username: "api", password: STRONG, "api-token": UNKNOWN });
      assert.deepStrictEqual(await run(s), []);
    });
    it("rejects vendor defaults in stringData and in base64 data", async () => {
      const s = mutate(secret("minio", { MINIO_ROOT_USER: "minioadmin" }), (p) => (p.data = { MINIO_ROOT_PASSWORD: b64("minioadmin") }));
      const msgs = await run(s);
      assert.deepStrictEqual(msgs, ['Secret/apps/minio: Secret key "MINIO_ROOT_PASSWORD" is the default root user and password of MinIO']);
    });
    it("rejects every product default of the table where a credential is expected", async () => {
      const s = secret("defaults", {
        POSTGRES_PASSWORD: "changeme",
        NACOS_PASSWORD: "nacos",
        NACOS_AUTH_TOKEN: "SecretKey012345678901234567890123456789012345678901234567890123456789",
        NACOS_AUTH_IDENTITY_VALUE: "security",
        MILVUS_ROOT_PASSWORD: "Milvus",
        GF_SECURITY_ADMIN_PASSWORD: "VoiceHelper2025!",
        RABBITMQ_DEFAULT_PASS: "guest",
        ELASTIC_PASSWORD: "changeme",
        SECRET_KEY: "<randomly generated secret key>",
        ENCRYPTION_SALT_KEYS: "00beef0000beef0000beef0000beef00",
        POSTHOG_API_KEY: "phc_YOUR_API_KEY",
        DB_PASSWORD: "your-db-password",
      });
      const msgs = await run(s);
      assert.strictEqual(msgs.length, 12, msgs.join("\n"));
      assertMatches(msgs, [
        /"POSTGRES_PASSWORD" is the sample password of the PostgreSQL, Elasticsearch and Fluentd samples/,
        /"NACOS_AUTH_TOKEN" is the published default token.secret.key of Nacos/,
        /"NACOS_AUTH_IDENTITY_VALUE" is the sample server identity value of Nacos/,
        /"MILVUS_ROOT_PASSWORD" is the default root password of Milvus/,
        /"GF_SECURITY_ADMIN_PASSWORD" is the seed admin password of Grafana \(seed\)/,
        /"POSTHOG_API_KEY" is the placeholder project API key of PostHog \(seed\)/,
      ]);
    });
    it("rejects weak values: short, low entropy, repetitive", async () => {
      const msgs = await run(secret("weak", { REDIS_PASSWORD: "hunter2", JWT_SECRET: "1234098712340987", API_TOKEN: "abababababababababababab" }));
      assertMatches(msgs, [/"REDIS_PASSWORD" is shorter than 16 characters/, /"JWT_SECRET" has too little entropy \(about 53 bits/, /"API_TOKEN" repeats too few distinct characters/]);
    });
    it("checks the Neo4j user/password pair, basic-auth Secrets and auth switches kept in Secrets", async () => {
      const msgs = await run([
        secret("neo4j", { NEO4J_AUTH: "neo4j/neo4j" }),
        secret("rabbit", { username: "guest", password: "guest" }, { type: "kubernetes.io/basic-auth" }),
        secret("nacos-env", { NACOS_AUTH_ENABLE: "false" }),
      ]);
      assertMatches(msgs, [
        /"NEO4J_AUTH" sets a Neo4j password that is the default initial password of Neo4j/,
        /Secret\/apps\/rabbit: Secret key "password" is the default guest password of RabbitMQ/,
        /"NACOS_AUTH_ENABLE" turns Nacos authentication off/,
      ]);
    });
    it("inspects config files kept in Secrets", async () => {
      const ini = "[security]\nadmin_user = admin\nadmin_password = admin\nsecret_key = SW2YcwTIb9zpOOhoPsMm\n";
      const xml = "<clickhouse><users><default><password></password></default></users></clickhouse>";
      const msgs = await run(secret("files", { "grafana.ini": ini, "users.xml": xml }));
      assertMatches(msgs, [
        /"grafana.ini" line 3 \(security.admin_password\) is the default admin password of Grafana/,
        /"grafana.ini" line 4 \(security.secret_key\) is the public default secret_key of Grafana/,
        /"users.xml" gives a ClickHouse user an empty password/,
      ]);
    });
    it("keeps its findings on Secrets whose other values are unknown", async () => {
      const s = secret("mixed", { password: UNKNOWN, NACOS_AUTH_ENABLE: "false" });
      assert.deepStrictEqual(await run(s), ['Secret/apps/mixed: Secret key "NACOS_AUTH_ENABLE" turns Nacos authentication off (it must be true)']);
    });
  });

  describe("ConfigMaps", () => {
    it("passes plain settings and references to Secret-backed env vars", async () => {
      const cm = configMap("ok", {
        LOG_LEVEL: "info",
        "redis.conf": "port 6379\nappendonly yes\nrequirepass ${REDIS_PASSWORD}\n",
        "application.properties": "nacos.core.auth.enabled=true\nnacos.core.auth.plugin.nacos.token.secret.key=${NACOS_AUTH_TOKEN}\n",
        "milvus.yaml": "common:\n  security:\n    authorizationEnabled: true\nminio:\n  accessKeyID: milvus\n  secretAccessKey: $(MINIO_SECRET_KEY)\n",
        "fluent.conf": "<match **>\n  @type elasticsearch\n  user elastic\n  password \"#{ENV['FLUENT_ELASTICSEARCH_PASSWORD']}\"\n</match>\n",
        "jaeger.yaml":
          "extensions:\n  jaeger_storage:\n    backends:\n      es:\n        elasticsearch:\n          auth:\n            basic:\n              username: elastic\n              password: ${env:ES_PASSWORD}\n",
      });
      assert.deepStrictEqual(await run(cm), []);
    });
    it("does not mistake structure for credentials (selectors, dashboards)", async () => {
      const cm = configMap("structure", {
        "rules.yaml": "groups:\n  - name: x\n    rules:\n      - alert: Down\n        expr: up == 0\nselector:\n  matchExpressions:\n    - key: app\n      operator: In\n",
        "dashboard.json": '{\n  "title": "Token rate",\n  "panels": [{"sort": {"key": "value"}}]\n}',
        // A switch that turns authentication on, its password from the environment.
        "datasources.yaml": "datasources:\n  - name: Logs\n    basicAuth: true\n    basicAuthUser: grafana\n    secureJsonData:\n      basicAuthPassword: $ES_LOGS_PASSWORD\n",
      });
      assert.deepStrictEqual(await run(cm), []);
    });
    it("still rejects a literal password beside such a switch", async () => {
      const msgs = await run(configMap("leak", { "datasources.yaml": "datasources:\n  - basicAuth: true\n    secureJsonData:\n      basicAuthPassword: hunter2-but-longer-0000\n" }));
      assertMatches(msgs, [/line 4 \(datasources.secureJsonData.basicAuthPassword\) is a literal credential in a ConfigMap/]);
    });
    it("rejects any credential kept in a ConfigMap", async () => {
      const msgs = await run(configMap("leak", { OPENAI_API_KEY: "sk-test-4eC39HqLyjWDarjtT1zdp7dc" }));
      assert.deepStrictEqual(msgs, ['ConfigMap/apps/leak: ConfigMap key "OPENAI_API_KEY" is a literal credential; take it from a Secret (valueFrom.secretKeyRef)']);
    });
    it("inspects Nacos application.properties: auth off, default token key, user-agent bypass, default fallbacks", async () => {
      const props = [
        "nacos.core.auth.enabled=false",
        "nacos.core.auth.plugin.nacos.token.secret.key=SecretKey012345678901234567890123456789012345678901234567890123456789",
        "nacos.core.auth.enable.userAgentAuthWhite=true",
        "nacos.core.auth.server.identity.value=${NACOS_AUTH_IDENTITY_VALUE:security}",
      ].join("\n");
      const msgs = await run(configMap("nacos", { "application.properties": props }));
      assertMatches(msgs, [
        /line 1 \(nacos.core.auth.enabled\) turns Nacos authentication off/,
        /line 2 \(nacos.core.auth.plugin.nacos.token.secret.key\) is the published default token.secret.key of Nacos/,
        /line 3 \(nacos.core.auth.enable.userAgentAuthWhite\) enables Nacos's user-agent white-list/,
        /line 4 \(nacos.core.auth.server.identity.value\) falls back to the sample server identity value of Nacos/,
      ]);
    });
    it("inspects grafana.ini, milvus.yaml, NATS, Redis, RabbitMQ and pg_hba configs", async () => {
      const msgs = await run(
        configMap("configs", {
          "grafana.ini": "[auth.anonymous]\nenabled = true\n",
          "milvus.yaml": "etcd:\n  endpoints: etcd:2379\nminio:\n  address: minio\n  secretAccessKey: minioadmin\n",
          "nats.conf": "cluster {\n  routes = [\n    nats://ruser:T0pS3cr3t@nats-1:6222\n  ]\n}\n",
          "redis.conf": "port 6379\nappendonly yes\n",
          "rabbitmq.conf": "loopback_users.guest = false\n",
          "pg_hba.conf": "host all all 0.0.0.0/0 trust\n",
        }),
      );
      assertMatches(msgs, [
        /"grafana.ini" line 2 \(auth.anonymous.enabled\) enables anonymous access to Grafana/,
        /"milvus.yaml" line 5 \(minio.secretAccessKey\) is the default root user and password of MinIO/,
        /"milvus.yaml" is a Milvus config that does not set common.security.authorizationEnabled: true/,
        /"nats.conf" contains the image sample route password of NATS/,
        /"nats.conf" embeds a literal password in a URL/,
        /"redis.conf" is a Redis config without requirepass/,
        /"rabbitmq.conf" line 1 \(loopback_users.guest\) lets RabbitMQ's guest user log in remotely/,
        /"pg_hba.conf" has a pg_hba host rule with the trust method/,
      ]);
    });
  });

  describe("workloads", () => {
    it("passes credentials from secretKeyRef and URLs built from $(VAR)", async () => {
      const d = withEnv([
        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        { name: "DATABASE_URL", value: "postgres://api:$(DB_PASSWORD)@db:5432/api" },
        { name: "NEO4J_PASSWORD", valueFrom: { secretKeyRef: { name: "neo4j", key: "password" } } },
        { name: "NEO4J_AUTH", value: "neo4j/$(NEO4J_PASSWORD)" },
        { name: "GRAFANA_TOKEN_FILE", value: "/run/secrets/token" },
        { name: "SESSION_TOKEN", value: UNKNOWN },
      ]);
      assert.deepStrictEqual(await run(d), []);
    });
    it("rejects credential-named env literals: password, secret, token, key, credential", async () => {
      const d = withEnv([
        { name: "REDIS_PASSWORD", value: "redis-literal-pass-77" },
        { name: "JWT_SECRET", value: "Tr0ub4dor-literal-9" },
        { name: "NACOS_AUTH_TOKEN", value: "Tr0ub4dor-literal-9" },
        { name: "OPENAI_API_KEY", value: "sk-test-4eC39HqLyjWDarjtT1zdp7dc" },
        { name: "S3_CREDENTIALS", value: "Tr0ub4dor-literal-9" },
        { name: "GF_SECURITY_ADMIN_PASSWORD", value: "admin" },
        { name: "MYSQL_ROOT_PASSWORD", value: "" },
      ]);
      const msgs = await run(d);
      assert.strictEqual(msgs.length, 7, msgs.join("\n"));
      assertMatches(msgs, [
        /container "app" env REDIS_PASSWORD is a literal credential; take it from a Secret/,
        /env S3_CREDENTIALS is a literal credential/,
        /env GF_SECURITY_ADMIN_PASSWORD is a literal credential that is the default admin password of Grafana/,
        /env MYSQL_ROOT_PASSWORD is an empty credential/,
      ]);
    });
    it("rejects every auth-off switch", async () => {
      const d = withEnv(
        [
          ["POSTGRES_HOST_AUTH_METHOD", "trust"],
          ["NEO4J_AUTH", "none"],
          ["CLICKHOUSE_SKIP_USER_SETUP", "1"],
          ["ALLOW_EMPTY_PASSWORD", "yes"],
          ["MYSQL_ALLOW_EMPTY_PASSWORD", "1"],
          ["NACOS_AUTH_ENABLE", "false"],
          ["NACOS_AUTH_USER_AGENT_AUTH_WHITE_ENABLE", "true"],
          ["GF_AUTH_ANONYMOUS_ENABLED", "true"],
          ["AUTH_TYPE", "DISABLED"],
          ["xpack.security.enabled", "false"],
        ].map(([name, value]) => ({ name, value })),
      );
      const msgs = await run(d);
      assert.strictEqual(msgs.length, 10, msgs.join("\n"));
      assertMatches(msgs, [
        /POSTGRES_HOST_AUTH_METHOD lets PostgreSQL accept connections without a password/,
        /GF_AUTH_ANONYMOUS_ENABLED enables anonymous access/,
        /AUTH_TYPE turns kafka-ui authentication off/,
      ]);
    });
    it("rejects credentials read from ConfigMaps, URL passwords and known defaults in any env value", async () => {
      const d = withEnv([
        { name: "DB_PASSWORD", valueFrom: { configMapKeyRef: { name: "cfg", key: "pw" } } },
        { name: "DATABASE_URL", value: "postgres://api:Tr0ub4dor-literal-9@db:5432/api" },
        { name: "INIT_SQL", value: "ALTER USER app PASSWORD 'changeme'" },
      ]);
      assertMatches(await run(d), [
        /env DB_PASSWORD reads a credential from a ConfigMap/,
        /env DATABASE_URL embeds a literal password in a URL/,
        /env INIT_SQL contains the sample password of the PostgreSQL, Elasticsearch and Fluentd samples/,
      ]);
    });
    it("inspects container arguments and shell scripts ($(VAR) of an undefined variable is passed literally)", async () => {
      const env = [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "redis", key: "password" } } }];
      const redis = (args: string[]) => statefulSet("redis", { spec: podSpec([container("redis", { image: "redis:8.2-alpine", args, env })]) });
      assert.deepStrictEqual(await run(redis(["--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "yes"])), []);
      assertMatches(await run(redis(["--requirepass", "redis-literal-pass-77"])), [/container "redis" command line passes --requirepass as a literal/]);
      const script = job("cluster-init", {
        spec: podSpec([container("init", { image: "redis:8.2-alpine", command: ["sh", "-c"], args: ["redis-cli -a redis-literal-pass-77 --cluster create a:6379 b:6379 --cluster-yes"] })]),
      });
      assertMatches(await run(script), [/command line passes redis-cli -a as a literal/]);
      const ok = job("cluster-init", {
        spec: podSpec([container("init", { image: "redis:8.2-alpine", command: ["sh", "-c"], args: ['redis-cli -a "$REDIS_PASSWORD" --cluster create a:6379 --cluster-yes'] })]),
      });
      assert.deepStrictEqual(await run(ok), []);
    });
    it("rejects products left on their built-in defaults", async () => {
      const product = (name: string, image: string, extra: Record<string, any> = {}) => statefulSet(name, { spec: podSpec([container(name, { image, ...extra })]) });
      const msgs = await run([
        product("redis", "redis:8.2-alpine"),
        product("clickhouse", "clickhouse/clickhouse-server:26.3"),
        product("grafana", "grafana/grafana:13.0.1"),
        product("neo4j", "neo4j:2026.01"),
        product("minio", "minio/minio:RELEASE.2025-09-07T16-13-09Z", { args: ["server", "/data"] }),
        product("kafka-ui", "ghcr.io/kafbat/kafka-ui:v1.3.0"),
        product("nacos", "nacos/nacos-server:v3.1.0"),
        product("milvus", "milvusdb/milvus:v2.6.3", { args: ["milvus", "run", "standalone"] }),
      ]);
      assert.strictEqual(msgs.length, 8, msgs.join("\n"));
      assertMatches(msgs, [
        /StatefulSet\/apps\/redis: container "redis" runs Redis without --requirepass/,
        /runs ClickHouse's default user with an empty password/,
        /keeps Grafana's default admin password/,
        /keeps Neo4j's default initial password/,
        /keeps MinIO's default root password/,
        /runs kafka-ui without authentication/,
        /runs Nacos without NACOS_AUTH_ENABLE=true/,
        /runs Milvus on its built-in config/,
      ]);
    });
    it("passes the same products configured with generated credentials", async () => {
      const ref = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: "creds", key: name.toLowerCase() } } });
      const product = (name: string, image: string, extra: Record<string, any>) => statefulSet(name, { spec: podSpec([container(name, { image, ...extra })]) });
      const msgs = await run([
        product("clickhouse", "clickhouse/clickhouse-server:26.3", { env: [{ name: "CLICKHOUSE_USER", value: "app" }, ref("CLICKHOUSE_PASSWORD")] }),
        product("grafana", "grafana/grafana:13.0.1", { env: [ref("GF_SECURITY_ADMIN_PASSWORD")] }),
        product("neo4j", "neo4j:2026.01", { env: [ref("NEO4J_PASSWORD"), { name: "NEO4J_AUTH", value: "neo4j/$(NEO4J_PASSWORD)" }] }),
        product("minio", "minio/minio:RELEASE.2025-09-07T16-13-09Z", { args: ["server", "/data"], envFrom: [{ secretRef: { name: "minio-root" } }] }),
        product("kafka-ui", "ghcr.io/kafbat/kafka-ui:v1.3.0", { env: [{ name: "AUTH_TYPE", value: "LOGIN_FORM" }, ref("SPRING_SECURITY_USER_PASSWORD")] }),
        product("nacos", "nacos/nacos-server:v3.1.0", {
          env: [{ name: "NACOS_AUTH_ENABLE", value: "true" }, ref("NACOS_AUTH_TOKEN"), ref("NACOS_AUTH_IDENTITY_KEY"), ref("NACOS_AUTH_IDENTITY_VALUE")],
        }),
        product("milvus", "milvusdb/milvus:v2.6.3", { volumeMounts: [{ name: "config", mountPath: "/milvus/configs/user.yaml", subPath: "user.yaml" }] }),
      ]);
      assert.deepStrictEqual(msgs, []);
    });
    it("reads the pod template of a CloudNativePG Pooler", async () => {
      const pooler = {
        type: "kubernetes:postgresql.cnpg.io/v1:Pooler",
        name: "pooler",
        props: {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "Pooler",
          metadata: { name: "pg-rw", namespace: "storage" },
          spec: { template: { spec: { containers: [{ name: "pgbouncer", env: [{ name: "AUTH_PASSWORD", value: "Tr0ub4dor-literal-9" }] }] } } },
        },
      };
      assert.deepStrictEqual(await run(pooler), ['Pooler/storage/pg-rw: container "pgbouncer" env AUTH_PASSWORD is a literal credential; take it from a Secret (valueFrom.secretKeyRef)']);
    });
    it("checks Helm values for defaults and auth-off switches only", async () => {
      const release = {
        type: "kubernetes:helm.sh/v3:Release",
        name: "monitoring",
        props: {
          chart: "kube-prometheus-stack",
          values: {
            grafana: { adminPassword: "admin", "grafana.ini": { "auth.anonymous": { enabled: true } } },
            redis: { auth: { existingSecret: "redis", existingSecretPasswordKey: "password" }, password: "" },
            tolerations: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
            generated: { password: STRONG },
          },
        },
      };
      assert.deepStrictEqual(await run(release), [
        "Release/default/monitoring: Helm value grafana.adminPassword is the default admin password of Grafana",
        "Release/default/monitoring: Helm value grafana.grafana.ini.auth.anonymous.enabled enables anonymous access to Grafana",
      ]);
    });
    it("rejects a CloudNativePG cluster whose pg_hba trusts host connections", async () => {
      const cluster = {
        type: "kubernetes:postgresql.cnpg.io/v1:Cluster",
        name: "pg",
        props: {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "Cluster",
          metadata: { name: "pg", namespace: "storage" },
          spec: { instances: 3, postgresql: { pg_hba: ["host all all 10.0.0.0/8 trust"] } },
        },
      };
      assert.deepStrictEqual(await run(cluster), ["Cluster/storage/pg: spec.postgresql.pg_hba has a host rule with the trust method (no password)"]);
    });
  });

  describe("messages (run last)", () => {
    it("never echoes a credential value in a message", () => {
      assert.ok(seen.length > 50, `only ${seen.length} messages were collected`);
      const distinctive = KNOWN_DEFAULTS.filter((d) => d.scope === "anywhere").map((d) => d.value);
      // Common words ("admin", "neo4j") also name products, containers and keys, which messages
      // quote with double quotes; a value would show as 'v', =v or ": v" after the resource id.
      const common = KNOWN_DEFAULTS.filter((d) => d.scope === "credential").map((d) => d.value.toLowerCase());
      for (const m of seen) {
        for (const v of [...distinctive, ...FIXTURE_SECRETS]) {
          assert.ok(!m.toLowerCase().includes(v.toLowerCase()), `message echoes a value: ${m}`);
        }
        const text = m.replace(/^\S+: /, "").toLowerCase();
        for (const v of common) {
          for (const shape of [`'${v}'`, `=${v}`, `: ${v}`]) {
            assert.ok(!text.includes(shape), `message echoes ${shape}: ${m}`);
          }
        }
      }
    });
  });
});
