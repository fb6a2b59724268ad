// Defaults hidden in config files carried by ConfigMaps and Secrets, in every format services read.

import { AdversarialCase, cm, sec, secData, STRONG } from "./helpers";

const RULE = "no-default-credentials";
const c = (trick: string, violating: AdversarialCase["violating"], nearMiss: AdversarialCase["nearMiss"]): AdversarialCase => ({ trick, rule: RULE, violating, nearMiss });

export const CONFIG_FILE_CASES: AdversarialCase[] = [
  c("one-line JSON in a Secret, default under the usual key", sec("grafana.json", '{"grafana":{"admin_password":"admin"}}'), sec("grafana.json", `{"grafana":{"admin_password":"${STRONG}"}}`)),
  c("JSON in a Secret, default pair under unexpected keys", sec("app.json", '{"rabbit":{"login":"guest","passcode":"guest"}}'), sec("app.json", `{"rabbit":{"login":"guest","passcode":"${STRONG}"}}`)),
  c("JSON pair with keys nobody expects (who/phrase)", sec("client.json", '{"broker":{"who":"guest","phrase":"guest"}}'), sec("client.json", `{"broker":{"who":"guest","phrase":"${STRONG}"}}`)),
  c(
    "pretty-printed JSON in a ConfigMap, Neo4j pair",
    cm("neo4j.json", '{\n  "neo4j": {\n    "principal": "neo4j",\n    "credentials_value": "neo4j"\n  }\n}'),
    cm("neo4j.json", '{\n  "neo4j": {\n    "principal": "neo4j",\n    "credentials_file": "/run/secrets/neo4j"\n  }\n}'),
  ),
  c("JSON switch that turns Elasticsearch security off", cm("es.json", '{"xpack":{"security":{"enabled":false}}}'), cm("es.json", '{"xpack":{"security":{"enabled":true}}}')),
  c("YAML flow style pair on one line", cm("values.yaml", "auth: {user: neo4j, password: neo4j}\n"), cm("values.yaml", "auth: {user: neo4j, passwordFile: /run/secrets/neo4j}\n")),
  c(
    "YAML flow style pair, MinIO keys named access/secret",
    sec("minio.yaml", "minio: {access: minioadmin, secret: minioadmin}\n"),
    sec("minio.yaml", `minio: {access: minioadmin, secret: ${STRONG}}\n`),
  ),
  c("YAML flow style switch off", cm("milvus.yaml", "common: {security: {authorizationEnabled: false}}\n"), cm("milvus.yaml", "common: {security: {authorizationEnabled: true}}\n")),
  c(
    "NATS users array inline",
    sec("nats.conf", "authorization {\n  users = [ {user: ruser, password: T0pS3cr3t} ]\n}\n"),
    sec("nats.conf", `authorization {\n  users = [ {user: ruser, password: ${STRONG}} ]\n}\n`),
  ),
  c(
    "properties file, password under an abbreviation (pw)",
    sec("application.properties", "spring.rabbitmq.username=guest\nspring.rabbitmq.pw=guest\n"),
    sec("application.properties", `spring.rabbitmq.username=guest\nspring.rabbitmq.pw=${STRONG}\n`),
  ),
  c("properties with a colon separator and passcode", cm("app.properties", "broker.passcode: admin\n"), cm("app.properties", "broker.passcode: ${BROKER_PASSCODE}\n")),
  c("properties with a pinyin key (mima)", cm("db.properties", "db.mima=root\n"), cm("db.properties", "db.mima=${DB_MIMA}\n")),
  c("properties with a German key (Kennwort)", cm("db.properties", "db.kennwort=postgres\n"), cm("db.properties", "db.kennwort=${DB_KENNWORT}\n")),
  c(
    "Spring fallback to a default inside properties",
    cm("application.properties", "spring.datasource.password=${DB_PASSWORD:postgres}\n"),
    cm("application.properties", "spring.datasource.password=${DB_PASSWORD}\n"),
  ),
  c("shell-style fallback inside a config file", cm("app.env", "ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin}\n"), cm("app.env", "ADMIN_PASSWORD=${ADMIN_PASSWORD:?required}\n")),
  c("XML element with a capitalised tag", sec("settings.xml", "<settings><Password>admin</Password></settings>"), sec("settings.xml", `<settings><Password>${STRONG}</Password></settings>`)),
  c(
    "XML property with name/value attributes",
    cm("hive-site.xml", '<configuration><property name="javax.jdo.option.ConnectionPassword" value="root"/></configuration>'),
    cm("hive-site.xml", '<configuration><property name="javax.jdo.option.ConnectionUserName" value="root"/></configuration>'),
  ),
  c("XML entry keyed by attribute", sec("app.xml", '<config><entry key="db.password">postgres</entry></config>'), sec("app.xml", `<config><entry key="db.password">${STRONG}</entry></config>`)),
  c(
    "ClickHouse users.xml with the SHA-256 of the empty password",
    sec("users.xml", "<clickhouse><users><default><password_sha256_hex>e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</password_sha256_hex></default></users></clickhouse>"),
    sec("users.xml", "<clickhouse><users><default><password_sha256_hex>c56ec01ab78970a7625a7b5d2b738b9d33fe32671c4614eb50b312023be3f6b7</password_sha256_hex></default></users></clickhouse>"),
  ),
  c(
    "ClickHouse double SHA-1 of a default",
    sec("users.xml", "<clickhouse><users><app><password_double_sha1_hex>4acfe3202a5ff5cf467898fc58aab1d615029441</password_double_sha1_hex></app></users></clickhouse>"),
    sec("users.xml", "<clickhouse><users><app><password_double_sha1_hex>da863b5b0bcb371e7bc6044a9854c592bcbb7afd</password_double_sha1_hex></app></users></clickhouse>"),
  ),
  c(
    "ClickHouse <Password/> in another case",
    cm("users.xml", "<clickhouse><users><default><Password/></default></users></clickhouse>"),
    cm("users.xml", '<clickhouse><users><default><password_sha256_hex from_env="CH_HASH"/></default></users></clickhouse>'),
  ),
  c("Redis ACL file: default user with a default password", sec("users.acl", "user default on >guest ~* &* +@all\n"), sec("users.acl", `user default on >${STRONG} ~* &* +@all\n`)),
  c("Redis ACL file: one line with nopass (no newline, no .conf)", cm("users.acl", "user admin on nopass ~* +@all"), cm("users.acl", "user admin off nopass ~* +@all")),
  c(
    "Redis ACL with the SHA-256 of a default",
    sec("users.acl", "user app on #8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918 ~app:* +@read\n"),
    sec("users.acl", "user app on #c56ec01ab78970a7625a7b5d2b738b9d33fe32671c4614eb50b312023be3f6b7 ~app:* +@read\n"),
  ),
  c(
    "redis.conf with masterauth set to a default",
    sec("redis.conf", "port 6379\nrequirepass " + STRONG + "\nmasterauth admin\n"),
    sec("redis.conf", `port 6379\nrequirepass ${STRONG}\nmasterauth ${STRONG}\n`),
  ),
  c("redis.conf with an empty quoted requirepass", cm("redis.conf", 'port 6379\nappendonly yes\nrequirepass ""\n'), cm("redis.conf", "port 6379\nappendonly yes\nrequirepass ${REDIS_PASSWORD}\n")),
  c("TOML section with a short key", sec("config.toml", "[grafana]\nadmin_pass = 'admin'\n"), sec("config.toml", `[grafana]\nadmin_pass = '${STRONG}'\n`)),
  c(".env file with CRLF line ends", sec(".env", "POSTGRES_USER=postgres\r\nPOSTGRES_PASSWORD=postgres\r\n"), sec(".env", `POSTGRES_USER=postgres\r\nPOSTGRES_PASSWORD=${STRONG}\r\n`)),
  c(
    ".env pair where the database shares the user's name (near miss must pass)",
    sec(".env", "PGUSER=postgres\nPGDATABASE=postgres\nPGPASSWORD=postgres\n"),
    sec(".env", `PGUSER=postgres\nPGDATABASE=postgres\nPGPASSWORD=${STRONG}\n`),
  ),
  c(
    "base64 data holding a JSON pair",
    secData("config.json", '{"minio":{"accessKey":"minioadmin","secretKey":"minioadmin"}}'),
    secData("config.json", `{"minio":{"accessKey":"minioadmin","secretKey":"${STRONG}"}}`),
  ),
  c(
    "Kafka JAAS line kept in a Secret with the docs' sample password",
    sec("kafka_server_jaas.conf", 'KafkaServer {\n  org.apache.kafka.common.security.plain.PlainLoginModule required\n  username="admin"\n  password="admin-secret";\n};\n'),
    sec("kafka_server_jaas.conf", `KafkaServer {\n  org.apache.kafka.common.security.plain.PlainLoginModule required\n  username="admin"\n  password="${STRONG}";\n};\n`),
  ),
  c(
    "one-line JAAS config property",
    sec("client.properties", `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin";`),
    sec("client.properties", `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${STRONG}";`),
  ),
  c(".pgpass line", sec(".pgpass", "db.storage.svc:5432:*:postgres:postgres\n"), sec(".pgpass", `db.storage.svc:5432:*:postgres:${STRONG}\n`)),
  c("my.cnf with a quoted password and a comment", sec("my.cnf", '[client]\nuser=root\npassword = "root" # default\n'), sec("my.cnf", `[client]\nuser=root\npassword = "${STRONG}" # generated\n`)),
  c("pg_hba.conf trust with a trailing comment", cm("pg_hba.conf", "host all all 0.0.0.0/0 trust # temporary\n"), cm("pg_hba.conf", "host all all 0.0.0.0/0 scram-sha-256 # trust nobody\n")),
  c("pg_hba.conf trust with tabs and hostssl", cm("pg_hba.conf", "hostssl\tall\tall\t10.0.0.0/8\ttrust\n"), cm("pg_hba.conf", "hostssl\tall\tall\t10.0.0.0/8\tscram-sha-256\n")),
  c(
    "docker config Secret logging in with Harbor's default admin",
    secData(".dockerconfigjson", `{"auths":{"harbor.example.com":{"auth":"${Buffer.from("admin:Harbor12345").toString("base64")}"}}}`, "kubernetes.io/dockerconfigjson"),
    secData(".dockerconfigjson", `{"auths":{"harbor.example.com":{"auth":"${Buffer.from(`robot$ci:${STRONG}`).toString("base64")}"}}}`, "kubernetes.io/dockerconfigjson"),
  ),
  c("value with a trailing newline", sec("RABBITMQ_DEFAULT_PASS", "guest\n"), sec("RABBITMQ_DEFAULT_PASS", `${STRONG}\n`)),
  c("value in another case", sec("MILVUS_ROOT_PASSWORD", "MILVUS"), sec("MILVUS_ROOT_PASSWORD", STRONG)),
  c("value wrapped in zero-width spaces", sec("GRAFANA_ADMIN_PASSWORD", "\u200badmin\u200b"), sec("GRAFANA_ADMIN_PASSWORD", `\u200b${STRONG}`)),
  c("base64 data with a trailing newline", secData("NACOS_PASSWORD", "nacos\n"), secData("NACOS_PASSWORD", `${STRONG}\n`)),
  c("Redis URL with an empty user", sec("REDIS_URL", "redis://:admin@redis.storage.svc:6379/0"), sec("REDIS_URL", `redis://:${STRONG}@redis.storage.svc:6379/0`)),
  c(
    "JDBC URL with the password as a query parameter",
    sec("JDBC_URL", "jdbc:postgresql://db:5432/app?user=postgres&password=postgres"),
    sec("JDBC_URL", `jdbc:postgresql://db:5432/app?user=postgres&password=${STRONG}`),
  ),
  c("ADO.NET connection string", sec("ConnectionStrings__Default", "Host=db;Username=postgres;Password=postgres"), sec("ConnectionStrings__Default", `Host=db;Username=postgres;Password=${STRONG}`)),
  c("URL-encoded default in a URL", sec("AMQP_URL", "amqp://guest:%67uest@rabbitmq:5672/"), sec("AMQP_URL", `amqp://guest:${STRONG}@rabbitmq:5672/`)),
  c("URL with a default password in a ConfigMap file", cm("app.yaml", "broker:\n  url: amqp://guest:guest@rabbitmq:5672/\n"), cm("app.yaml", "broker:\n  url: amqp://rabbitmq:5672/\n")),
  c(
    "mongod.conf with authorization disabled",
    cm("mongod.conf", "net:\n  port: 27017\nsecurity:\n  authorization: disabled\n"),
    cm("mongod.conf", "net:\n  port: 27017\nsecurity:\n  authorization: enabled\n"),
  ),
  c("Jupyter config with an empty token", cm("jupyter_server_config.json", '{"ServerApp":{"token":"","password":""}}'), cm("jupyter_server_config.json", '{"ServerApp":{"ip":"0.0.0.0"}}')),
];

/** Platform products' own file formats, and the near misses the stacks rely on (generated values, user names next to references, paths). */
export const PRODUCT_FILE_CASES: AdversarialCase[] = [
  c("RabbitMQ advanced.config letting guest in remotely", cm("advanced.config", "[{rabbit, [{loopback_users, []}]}]."), cm("advanced.config", '[{rabbit, [{loopback_users, [<<"guest">>]}]}].')),
  c(
    "RabbitMQ advanced.config with the default pair as Erlang binaries",
    sec("advanced.config", '[{rabbit, [{default_user, <<"guest">>}, {default_pass, <<"guest">>}]}].'),
    sec("advanced.config", `[{rabbit, [{default_user, <<"guest">>}, {default_pass, <<"${STRONG}">>}]}].`),
  ),
  c(
    "rabbitmq.conf default_pass with the default user beside it",
    sec("rabbitmq.conf", "default_user = guest\ndefault_pass = guest\n"),
    sec("rabbitmq.conf", `default_user = guest\ndefault_pass = ${STRONG}\n`),
  ),
  c(
    "grafana.ini with the default admin in another case",
    sec("grafana.ini", "[security]\nadmin_user = admin\nadmin_password = ADMIN\n"),
    sec("grafana.ini", "[security]\nadmin_user = admin\nadmin_password = $__file{/etc/grafana/secrets/admin}\n"),
  ),
  c("elasticsearch.yml in flow style", cm("elasticsearch.yml", "xpack: {security: {enabled: false}}\n"), cm("elasticsearch.yml", "xpack: {security: {enabled: true}}\n")),
  c(
    "Kafka server.properties with an inline JAAS default",
    sec(
      "server.properties",
      'listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret";\n',
    ),
    sec(
      "server.properties",
      `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${STRONG}" user_admin="${STRONG}";\n`,
    ),
  ),
  c(
    "Nacos properties: auth off by the plugin key's twin",
    cm("application.properties", "nacos.core.auth.enabled=false\n"),
    cm("application.properties", "nacos.core.auth.enabled=true\nnacos.core.auth.system.type=nacos\n"),
  ),
  c(
    "Milvus user.yaml with the root default under its own key",
    sec("user.yaml", "common:\n  security:\n    authorizationEnabled: true\n    defaultRootPassword: Milvus\n"),
    sec("user.yaml", `common:\n  security:\n    authorizationEnabled: true\n    defaultRootPassword: ${STRONG}\n`),
  ),
  c(
    "username beside a referenced password is fine; beside the default is not",
    cm("client.yaml", "rabbit:\n  username: guest\n  password: guest\n"),
    cm("client.yaml", "rabbit:\n  username: guest\n  password: ${RABBIT_PASSWORD}\n"),
  ),
  c("one-line YAML block scalar holding the password", sec("app.yaml", "rabbit:\n  password: |\n    guest\n"), sec("app.yaml", `rabbit:\n  password: |\n    ${STRONG}\n`)),
  c("folded block scalar in a ConfigMap", cm("app.yaml", "grafana:\n  admin_password: >-\n    admin\n"), cm("app.yaml", "grafana:\n  admin_password_file: >-\n    /run/secrets/admin\n")),
  c("a file that holds nothing but the password", cm("admin-password.txt", "admin"), cm("admin-user.txt", "admin")),
  c(
    "Nacos token default, base64 wrapped at 40 columns",
    sec("nacos.properties", "nacos.core.auth.plugin.nacos.token.secret.key=U2VjcmV0S2V5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw\n  MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5\n"),
    sec("nacos.properties", `nacos.core.auth.plugin.nacos.token.secret.key=${Buffer.from(STRONG + STRONG).toString("base64")}\n`),
  ),
  c("INI key with spaces", sec("grafana.ini", "[security]\nadmin password = admin\n"), sec("grafana.ini", `[security]\nadmin password = ${STRONG}\n`)),
  c("XML password in a CDATA section", sec("app.xml", "<app><password><![CDATA[admin]]></password></app>"), sec("app.xml", `<app><password><![CDATA[${STRONG}]]></password></app>`)),
  c("TOML inline table with the default pair", sec("db.toml", 'db = { user = "postgres", password = "postgres" }\n'), sec("db.toml", `db = { user = "postgres", password = "${STRONG}" }\n`)),
  c(
    "YAML alias pointing the password at the user's anchor",
    sec("app.yaml", "x: &pw guest\nrabbit:\n  user: guest\n  password: *pw\n"),
    sec("app.yaml", `rabbit:\n  user: guest\n  password: ${STRONG}\n`),
  ),
  c(
    "user:password in one value under a neutral key",
    sec("broker.yaml", "rabbit:\n  endpoint: rabbitmq:5672\n  creds: guest:guest\n"),
    cm("broker.yaml", "rabbit:\n  endpoint: rabbitmq:5672\n  owner: root:root\n"),
  ),
  c(
    "Nacos 3 console authentication switched off",
    cm("application.properties", "nacos.core.auth.enabled=true\nnacos.core.auth.console.enabled=false\n"),
    cm("application.properties", "nacos.core.auth.enabled=true\nnacos.core.auth.console.enabled=true\nnacos.core.auth.admin.enabled=true\n"),
  ),
  c("a default under a neutral key in a Secret (every Secret value is a secret)", sec("rabbit", "guest"), sec("rabbit_user", "guest")),
  c("a user list keyed by user (users.properties realm)", cm("users.properties", "admin=admin,admin\n"), cm("users.properties", "admin=${ADMIN_HASH},admin\n")),
  c("password file path variables are not passwords", cm("app.env", "ADMIN_PASSWORD=admin\n"), cm("app.env", "ADMIN_PASSWORD_FILE=/run/secrets/admin\nADMIN_PASSWORD_PATH=$(HOME)/admin\n")),
];
