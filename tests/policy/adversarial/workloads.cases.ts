// Defaults reaching a container: through env indirection, command lines, scripts, probes, hooks, init
// containers, native sidecars and CronJobs.

import { container, deployment, podSpec } from "../fixtures";
import { TestResource } from "../util";
import { AdversarialCase, app, argv, cronRuns, execProbe, fromSecret, jobRuns, lit, runs, withEnv, withInit } from "./helpers";

const RULE = "no-default-credentials";
const c = (trick: string, violating: AdversarialCase["violating"], nearMiss: AdversarialCase["nearMiss"]): AdversarialCase => ({ trick, rule: RULE, violating, nearMiss });
const GRAFANA = "grafana/grafana:12.2.0";
const REDIS = "redis:8.2.2-alpine";

export const ENV_CASES: AdversarialCase[] = [
  c(
    "$(VAR) indirection from a harmless-looking env var",
    withEnv([lit("ADMIN", "admin"), lit("GF_SECURITY_ADMIN_PASSWORD", "$(ADMIN)")], GRAFANA),
    withEnv([fromSecret("ADMIN"), lit("GF_SECURITY_ADMIN_PASSWORD", "$(ADMIN)")], GRAFANA),
  ),
  c(
    "$(VAR) indirection through two hops",
    withEnv([lit("A", "guest"), lit("B", "$(A)"), lit("RABBITMQ_DEFAULT_PASS", "$(B)")]),
    withEnv([fromSecret("A"), lit("B", "$(A)"), lit("RABBITMQ_DEFAULT_PASS", "$(B)")]),
  ),
  c(
    "reference to a variable defined after it (passed literally)",
    withEnv([lit("GF_SECURITY_ADMIN_PASSWORD", "$(PW)"), fromSecret("PW")], GRAFANA),
    withEnv([fromSecret("PW"), lit("GF_SECURITY_ADMIN_PASSWORD", "$(PW)")], GRAFANA),
  ),
  c(
    "reference to an undefined variable (near miss: one envFrom provides)",
    app({ env: [lit("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db:5432/app")] }),
    app({ envFrom: [{ secretRef: { name: "db" } }], env: [lit("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db:5432/app"), lit("REDIS_ADDR", "$(REDIS_SERVICE_HOST):$(REDIS_SERVICE_PORT)")] }),
  ),
  c("escaped $$(VAR) (passed literally)", withEnv([fromSecret("PW"), lit("REDIS_PASSWORD", "$$(PW)")]), withEnv([fromSecret("PW"), lit("REDIS_PASSWORD", "$(PW)")])),
  c(
    "$(VAR) expanding into a URL's password",
    withEnv([lit("P", "guest"), lit("AMQP_URL", "amqp://guest:$(P)@rabbitmq:5672/")]),
    withEnv([fromSecret("P"), lit("AMQP_URL", "amqp://guest:$(P)@rabbitmq:5672/")]),
  ),
  c(
    "$(VAR) expanding into NEO4J_AUTH",
    withEnv([lit("P", "neo4j"), lit("NEO4J_AUTH", "neo4j/$(P)")], "neo4j:2025.10.1"),
    withEnv([fromSecret("P"), lit("NEO4J_AUTH", "neo4j/$(P)")], "neo4j:2025.10.1"),
  ),
  c(
    "$(VAR) expanding into an auth switch",
    withEnv([lit("MODE", "trust"), lit("POSTGRES_HOST_AUTH_METHOD", "$(MODE)")], "postgres:18.1"),
    withEnv([lit("MODE", "scram-sha-256"), lit("POSTGRES_HOST_AUTH_METHOD", "$(MODE)")], "postgres:18.1"),
  ),
  c(
    "$(VAR) indirection from a ConfigMap-fed variable",
    withEnv([{ name: "ADMIN", valueFrom: { configMapKeyRef: { name: "app", key: "admin" } } }, lit("GF_SECURITY_ADMIN_PASSWORD", "$(ADMIN)")], GRAFANA),
    withEnv([{ name: "ADMIN_USER", valueFrom: { configMapKeyRef: { name: "app", key: "admin" } } }, lit("GF_SECURITY_ADMIN_USER", "$(ADMIN_USER)"), fromSecret("GF_SECURITY_ADMIN_PASSWORD")], GRAFANA),
  ),
  c(
    "server flag fed from a ConfigMap through $(VAR)",
    argv(REDIS, ["--requirepass", "$(PW)"], [{ name: "PW", valueFrom: { configMapKeyRef: { name: "redis", key: "pw" } } }]),
    argv(REDIS, ["--requirepass", "$(PW)"], [fromSecret("PW")]),
  ),
  c(
    "Grafana left on its default while provisioning dashboards under /etc/grafana",
    app({ image: GRAFANA, volumeMounts: [{ name: "dash", mountPath: "/etc/grafana/provisioning/dashboards" }] }),
    app({ image: GRAFANA, env: [fromSecret("GF_SECURITY_ADMIN_PASSWORD")], volumeMounts: [{ name: "dash", mountPath: "/etc/grafana/provisioning/dashboards" }] }),
  ),
  c("shell-style fallback in an env value read by Spring", withEnv([lit("SPRING_DATASOURCE_PASSWORD", "${DB_PASSWORD:-postgres}")]), withEnv([lit("SPRING_DATASOURCE_PASSWORD", "${DB_PASSWORD}")])),
  c(
    "Spring fallback in an env value",
    withEnv([lit("NACOS_AUTH_TOKEN", "${TOKEN:SecretKey012345678901234567890123456789012345678901234567890123456789}")]),
    withEnv([lit("NACOS_AUTH_TOKEN", "${TOKEN}")]),
  ),
  c("default in different case", withEnv([lit("RABBITMQ_DEFAULT_PASS", "GUEST")]), withEnv([fromSecret("RABBITMQ_DEFAULT_PASS")])),
  c(
    "default with a trailing newline",
    withEnv([lit("MINIO_ROOT_PASSWORD", "minioadmin\n")], "minio/minio:RELEASE.2025-09-07T16-13-09Z"),
    withEnv([fromSecret("MINIO_ROOT_PASSWORD")], "minio/minio:RELEASE.2025-09-07T16-13-09Z"),
  ),
  c("credential under an abbreviated name (DB_PW)", withEnv([lit("DB_PW", "postgres")]), withEnv([fromSecret("DB_PW")])),
  c("credential under a Portuguese name (SENHA)", withEnv([lit("ADMIN_SENHA", "admin")]), withEnv([fromSecret("ADMIN_SENHA")])),
  c(
    "username beside a literal default password (near miss: beside a referenced one)",
    withEnv([lit("RABBITMQ_DEFAULT_USER", "guest"), lit("RABBITMQ_DEFAULT_PASS", "guest")]),
    withEnv([lit("RABBITMQ_DEFAULT_USER", "guest"), fromSecret("RABBITMQ_DEFAULT_PASS")]),
  ),
  c(
    "password literal (near miss: path variables and *_FILE)",
    withEnv([lit("ADMIN_PASSWORD", "admin")]),
    withEnv([lit("ADMIN_PASSWORD_FILE", "/run/secrets/admin"), lit("CONFIG_DIR", "$(HOME)/config"), lit("PASSWORD_MIN_LENGTH", "16")]),
  ),
  c(
    "JSON document in an env value",
    withEnv([lit("APP_CONFIG", '{"db":{"password":"postgres"}}')]),
    withEnv([lit("APP_CONFIG", '{"db":{"passwordFile":"/run/secrets/db"}}'), lit("USER_BODY", '{"password":"%s","tags":""}')]),
  ),
  c(
    "SPRING_APPLICATION_JSON turning Nacos auth off",
    withEnv([lit("SPRING_APPLICATION_JSON", '{"nacos":{"core":{"auth":{"enabled":false}}}}')]),
    withEnv([lit("SPRING_APPLICATION_JSON", '{"nacos":{"core":{"auth":{"enabled":true}}}}')]),
  ),
  c(
    "JVM -D credential in JAVA_TOOL_OPTIONS",
    withEnv([lit("JAVA_TOOL_OPTIONS", "-Xmx512m -Dspring.datasource.password=postgres")]),
    withEnv([lit("JAVA_TOOL_OPTIONS", "-Xmx512m -Dspring.datasource.password=${DB_PASSWORD}")]),
  ),
  c("empty ClickHouse password env", withEnv([lit("CLICKHOUSE_PASSWORD", "")], "clickhouse/clickhouse-server:25.8"), withEnv([fromSecret("CLICKHOUSE_PASSWORD")], "clickhouse/clickhouse-server:25.8")),
];

export const COMMAND_CASES: AdversarialCase[] = [
  c("redis-server flag with $(VAR) from a literal env", argv(REDIS, ["--requirepass", "$(PW)"], [lit("PW", "admin")]), argv(REDIS, ["--requirepass", "$(PW)"], [fromSecret("PW")])),
  c(
    "server flag referring to a variable the container does not define",
    argv(REDIS, ["--requirepass", "$(REDIS_PASSWORD)"]),
    argv(REDIS, ["--requirepass", "$(REDIS_PASSWORD)"], [fromSecret("REDIS_PASSWORD")]),
  ),
  c(
    "Redis ACL user given on the server's command line",
    argv(REDIS, ["--user", "default on >admin ~* +@all"]),
    argv(REDIS, ["--user", "default on >$(REDIS_PASSWORD) ~* +@all"], [fromSecret("REDIS_PASSWORD")]),
  ),
  c("user:password in an env value under a neutral name", withEnv([lit("BROKER", "guest:guest")]), withEnv([lit("BROKER_OWNER", "root:root"), lit("BROKER", "rabbitmq:5672")])),
  c("prefixed password flag inside a script (--db-password)", runs("exec app --db-password admin"), runs('exec app --db-password "$DB_PASSWORD" --db-password-file /run/secrets/db')),
  c("mysql client with an attached -p", runs("mysql -uroot -proot -h nacos-mysql -e 'select 1'"), runs('mysql -uroot -p"$MYSQL_ROOT_PASSWORD" -h nacos-mysql -e "select 1"')),
  c(
    "mysqladmin in a liveness probe",
    app({ image: "mysql:8.4.7", livenessProbe: execProbe("mysqladmin ping -uroot -proot") }),
    app({ image: "mysql:8.4.7", livenessProbe: execProbe('mysqladmin ping -uroot -p"$MYSQL_ROOT_PASSWORD"') }),
  ),
  c(
    "cypher-shell login in a readiness probe",
    app({ image: "neo4j:2025.10.1", env: [fromSecret("NEO4J_AUTH")], readinessProbe: execProbe("cypher-shell -u neo4j -p neo4j 'RETURN 1'") }),
    app({ image: "neo4j:2025.10.1", env: [fromSecret("NEO4J_AUTH")], readinessProbe: execProbe('cypher-shell -u neo4j -p "${NEO4J_AUTH#*/}" "RETURN 1"') }),
  ),
  c("mongosh login", runs("mongosh --host mongo -u admin -p admin --eval 'db.stats()'"), runs('mongosh --host mongo -u admin -p "$MONGO_PASSWORD" --eval "db.stats()"')),
  c(
    "mc alias set with MinIO's default pair",
    runs("mc alias set local http://minio:9000 minioadmin minioadmin && mc mb local/docs"),
    runs('mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" && mc mb local/docs'),
  ),
  c("mc config host add (old syntax)", runs("mc config host add local http://minio:9000 minioadmin minioadmin123"), runs('mc config host add local http://minio:9000 "$USER" "$PASS"')),
  c(
    "rabbitmqctl add_user in a postStart hook",
    app({ image: "rabbitmq:4.1.4-management", lifecycle: { postStart: execProbe("rabbitmqctl add_user admin admin") } }),
    app({ image: "rabbitmq:4.1.4-management", lifecycle: { postStart: execProbe('rabbitmqctl add_user admin "$(cat /etc/rabbit/admin-password)"') } }),
  ),
  c("neo4j-admin set-initial-password", runs("neo4j-admin dbms set-initial-password neo4j"), runs('neo4j-admin dbms set-initial-password "$NEO4J_PASSWORD"')),
  c("grafana cli reset-admin-password", runs("grafana cli admin reset-admin-password admin"), runs('grafana cli admin reset-admin-password "$GF_SECURITY_ADMIN_PASSWORD"')),
  c(
    "curl -u user:password",
    runs("curl -fsS -u elastic:elastic http://elasticsearch:9200/_cluster/health"),
    runs('curl -fsS -u "elastic:${ELASTIC_PASSWORD}" http://elasticsearch:9200/_cluster/health'),
  ),
  c(
    "curl with a Basic header (base64 guest:guest)",
    runs("curl -H 'Authorization: Basic Z3Vlc3Q6Z3Vlc3Q=' http://rabbitmq:15672/api/overview"),
    runs('curl -H "Authorization: Basic $(printf %s "$RABBIT_USER:$RABBIT_PASS" | base64)" http://rabbitmq:15672/api/overview'),
  ),
  c("redis-cli with a URL whose user is empty", runs("redis-cli -u redis://:admin@redis:6379 ping"), runs('redis-cli -u "redis://:${REDIS_PASSWORD}@redis:6379" ping')),
  c(
    "shell default expansion in a server flag",
    runs('exec redis-server --requirepass "${REDIS_PASSWORD:-admin}"', REDIS),
    runs('exec redis-server --requirepass "${REDIS_PASSWORD:?must be set}"', REDIS),
  ),
  c("shell := default assignment", runs(': "${ADMIN_PASSWORD:=admin}"; exec app'), runs(': "${ADMIN_PASSWORD:?}"; exec app')),
  c(
    "heredoc writing redis.conf",
    runs("cat > /tmp/redis.conf <<EOF\nport 6379\nrequirepass admin\nEOF\nexec redis-server /tmp/redis.conf", REDIS),
    runs("cat > /tmp/redis.conf <<EOF\nport 6379\nrequirepass ${REDIS_PASSWORD}\nEOF\nexec redis-server /tmp/redis.conf", REDIS),
  ),
  c(
    "echo writing an auth-off switch into a config",
    runs("echo 'xpack.security.enabled: false' >> /usr/share/elasticsearch/config/elasticsearch.yml"),
    runs("echo 'xpack.security.enabled: true' >> /usr/share/elasticsearch/config/elasticsearch.yml"),
  ),
  c("htpasswd with a default", runs("htpasswd -cb /etc/nginx/.htpasswd admin admin"), runs('htpasswd -cb /etc/nginx/.htpasswd admin "$ADMIN_PASSWORD"')),
  c(
    "JVM -D switch turning Nacos auth off",
    argv("nacos/nacos-server:v3.1.0", ["-Dnacos.core.auth.enabled=false"], [lit("NACOS_AUTH_ENABLE", "true")]),
    argv("nacos/nacos-server:v3.1.0", ["-Dnacos.core.auth.enabled=true"], [lit("NACOS_AUTH_ENABLE", "true")]),
  ),
  c("JVM -D switch inside JAVA_OPT", withEnv([lit("JAVA_OPT_EXT", "-Xms512m -Dnacos.core.auth.enabled=false")]), withEnv([lit("JAVA_OPT_EXT", "-Xms512m -Dnacos.core.auth.enabled=true")])),
  c(
    "Elasticsearch -E switch",
    argv("docker.elastic.co/elasticsearch/elasticsearch:8.19.4", ["-Expack.security.enabled=false"], [fromSecret("ELASTIC_PASSWORD")]),
    argv("docker.elastic.co/elasticsearch/elasticsearch:8.19.4", ["-Expack.security.enabled=true"], [fromSecret("ELASTIC_PASSWORD")]),
  ),
  c(
    "Neo4j setting as a --dotted.key flag",
    argv("neo4j:2025.10.1", ["--dbms.security.auth_enabled=false"], [fromSecret("NEO4J_AUTH")]),
    argv("neo4j:2025.10.1", ["--dbms.security.auth_enabled=true"], [fromSecret("NEO4J_AUTH")]),
  ),
  c(
    "Jupyter with an empty token",
    argv("quay.io/jupyter/base-notebook:2025-10-20", ["start-notebook.py", "--ServerApp.token="]),
    argv("quay.io/jupyter/base-notebook:2025-10-20", ["start-notebook.py", "--ServerApp.token=$(JUPYTER_TOKEN)"], [fromSecret("JUPYTER_TOKEN")]),
  ),
  c(
    "init script writing a default into a shared password file",
    withInit({ image: "busybox:1.37.0", command: ["sh", "-c", "echo admin > /shared/admin-password"] }),
    withInit({ image: "busybox:1.37.0", command: ["sh", "-c", "cp /secrets/admin-password /shared/admin-password"] }),
  ),
  c("printf formatting a config file", runs("printf 'user=%s\\npassword=%s\\n' admin admin > /etc/app.conf"), runs("printf 'user=%s\\npassword=%s\\n' admin \"$ADMIN_PASSWORD\" > /etc/app.conf")),
  c(
    "keyword argument in inline Python",
    runs("python -c \"import redis; redis.Redis(host='redis', password='admin').ping()\""),
    runs("python -c \"import os, redis; redis.Redis(host='redis', password=os.environ['REDIS_PASSWORD']).ping()\""),
  ),
  c("config piped to redis-server on stdin", runs("echo 'requirepass admin' | redis-server -", REDIS), runs('echo "requirepass $REDIS_PASSWORD" | redis-server -', REDIS)),
  c(
    "redis-cli AUTH inside the command",
    runs("redis-cli -h redis AUTH default admin && redis-cli -h redis ping"),
    runs('redis-cli -h redis AUTH default "$REDIS_PASSWORD" && redis-cli -h redis ping'),
  ),
  c(
    "kubectl create secret --from-literal",
    runs("kubectl create secret generic app --from-literal=password=admin"),
    runs("kubectl create secret generic app --from-file=password=/run/generated/password"),
  ),
  c("docker login -p with Harbor's default", runs("docker login -u admin -p Harbor12345 harbor.example.com"), runs('docker login -u robot --password-stdin harbor.example.com < "$TOKEN_FILE"')),
  c("wget --password", runs("wget --user=elastic --password=changeme -qO- http://elasticsearch:9200"), runs('wget --user=elastic --password="$ELASTIC_PASSWORD" -qO- http://elasticsearch:9200')),
  c("a PodTemplate (its template sits at the top level)", podTemplate([lit("REDIS_PASSWORD", "admin")]), podTemplate([fromSecret("REDIS_PASSWORD")])),
  c(
    "PGPASSWORD assignment inside a script",
    runs("PGPASSWORD=postgres psql -h db -U postgres -c 'select 1'"),
    runs('PGPASSWORD="$(cat /secrets/pg)" psql -h db -U postgres -d postgres -c "select 1"'),
  ),
  c(
    "init container running a client with a default",
    withInit({ image: "mysql:8.4.7", command: ["sh", "-c", "mysql -uroot -proot -h nacos-mysql < /schema.sql"] }),
    withInit({ image: "mysql:8.4.7", command: ["sh", "-c", 'mysql -uroot -p"$MYSQL_ROOT_PASSWORD" -h nacos-mysql < /schema.sql'] }),
  ),
  c(
    "native sidecar Redis without a password",
    withInit({ image: REDIS, restartPolicy: "Always", args: ["--port", "6380"] }),
    withInit({ image: REDIS, restartPolicy: "Always", args: ["--port", "6380", "--requirepass", "$(REDIS_PASSWORD)"], env: [fromSecret("REDIS_PASSWORD")] }),
  ),
  c(
    "CronJob job template with a default login",
    cronRuns("mc alias set b http://minio:9000 minioadmin minioadmin && mc mirror b/docs /backup"),
    cronRuns('mc alias set b http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" && mc mirror b/docs /backup'),
  ),
  c("Job running rabbitmqctl change_password", jobRuns("rabbitmqctl change_password guest guest"), jobRuns('rabbitmqctl change_password app "$(cat /run/secrets/app)"')),
  c("MongoDB server without auth", app({ image: "mongo:8.0.15" }), app({ image: "mongo:8.0.15", env: [fromSecret("MONGO_INITDB_ROOT_PASSWORD")] })),
  c(
    "second container of the pod carries the default",
    deployment("app", { spec: podSpec([container("app"), container("helper", { env: [lit("REDIS_PASSWORD", "admin")] })]) }),
    deployment("app", { spec: podSpec([container("app"), container("helper", { env: [fromSecret("REDIS_PASSWORD")] })]) }),
  ),
  c(
    "password flag passed as one token with =",
    argv("ghcr.io/voicehelper/tools:1.4.2", ["--db-password=postgres"]),
    argv("ghcr.io/voicehelper/tools:1.4.2", ["--db-password=$(DB_PASSWORD)"], [fromSecret("DB_PASSWORD")]),
  ),
  c(
    "psql with a connection URI (psql -p is a port, not a password)",
    runs("psql -p 5432 'postgresql://postgres:postgres@db/app' -c 'select 1'"),
    runs('psql -h db -p 5432 -U postgres -d postgres -c "select 1"'),
  ),
];

function podTemplate(env: Record<string, any>[]): TestResource {
  return {
    type: "kubernetes:core/v1:PodTemplate",
    name: "tmpl",
    props: { apiVersion: "v1", kind: "PodTemplate", metadata: { name: "tmpl", namespace: "apps" }, template: { spec: podSpec([container("app", { env })]) } },
  };
}

const cnpg = (hba: string[]): TestResource => ({
  type: "kubernetes:apiextensions.k8s.io:CustomResource",
  name: "pg",
  props: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "storage" }, spec: { instances: 1, postgresql: { pg_hba: hba } } },
});

export const AUTH_SWITCH_CASES: AdversarialCase[] = [
  c("CloudNativePG pg_hba trust rule with a comment", cnpg(["host all all 10.0.0.0/8 trust # migration window"]), cnpg(["host all all 10.0.0.0/8 scram-sha-256 # no trust"])),
  c("CloudNativePG pg_hba hostssl trust with extra spaces", cnpg(["hostssl   app   app   all   trust"]), cnpg(["hostssl   app   app   all   cert"])),
  c("Spring relaxed env form of Nacos' auth key", withEnv([lit("NACOS_CORE_AUTH_ENABLED", "false")]), withEnv([lit("NACOS_CORE_AUTH_ENABLED", "true")])),
  c("Elasticsearch ES_SETTING_ env form", withEnv([lit("ES_SETTING_XPACK_SECURITY_ENABLED", "false")]), withEnv([lit("ES_SETTING_XPACK_SECURITY_ENABLED", "true")])),
  c("Elasticsearch dotted env name", withEnv([lit("xpack.security.enabled", "false")]), withEnv([lit("xpack.security.enabled", "true")])),
  c("Neo4j env form in upper case", withEnv([lit("NEO4J_DBMS_SECURITY_AUTH__ENABLED", "false")]), withEnv([lit("NEO4J_DBMS_SECURITY_AUTH__ENABLED", "true")])),
  c("Milvus env form with a capitalised value", withEnv([lit("COMMON_SECURITY_AUTHORIZATIONENABLED", "False")]), withEnv([lit("COMMON_SECURITY_AUTHORIZATIONENABLED", "true")])),
  c("auth method with a capital and a space", withEnv([lit("POSTGRES_HOST_AUTH_METHOD", " Trust ")], "postgres:18.1"), withEnv([lit("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")], "postgres:18.1")),
  c(
    "kafka-ui auth type in mixed case",
    withEnv([lit("AUTH_TYPE", "Disabled")], "ghcr.io/kafbat/kafka-ui:v1.3.0"),
    withEnv([lit("AUTH_TYPE", "LOGIN_FORM"), fromSecret("SPRING_SECURITY_USER_PASSWORD")], "ghcr.io/kafbat/kafka-ui:v1.3.0"),
  ),
  c("MySQL empty password allowed by 'no'", withEnv([lit("MYSQL_ALLOW_EMPTY_PASSWORD", "no")], "mysql:8.4.7"), withEnv([lit("MYSQL_RANDOM_ROOT_PASSWORD", "yes")], "mysql:8.4.7")),
  c(
    "Grafana proxy auth trusting a header",
    withEnv([lit("GF_AUTH_PROXY_ENABLED", "true")], GRAFANA),
    withEnv([lit("GF_AUTH_PROXY_ENABLED", "false"), fromSecret("GF_SECURITY_ADMIN_PASSWORD")], GRAFANA),
  ),
  c(
    "RabbitMQ remote guest through Erlang args",
    withEnv([lit("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-rabbit loopback_users []")]),
    withEnv([lit("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-rabbit log_levels [{connection,error}]")]),
  ),
  c("OpenSearch security plugin off in a config", app({ env: [lit("plugins.security.disabled", "true")] }), app({ env: [lit("plugins.security.disabled", "false")] })),
];
