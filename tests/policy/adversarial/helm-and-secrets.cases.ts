// Defaults in Helm values (both Helm resource types), and literal credentials slipped past the
// generated-secrets rule.

import { randomPassword, secret } from "../fixtures";
import { TestResource } from "../util";
import { AdversarialCase, helm, STRONG } from "./helpers";

const c = (trick: string, violating: AdversarialCase["violating"], nearMiss: AdversarialCase["nearMiss"]): AdversarialCase => ({ trick, rule: "no-default-credentials", violating, nearMiss });

export const HELM_CASES: AdversarialCase[] = [
  c("v3 Release: Grafana chart adminPassword", helm({ adminPassword: "admin" }), helm({ admin: { existingSecret: "grafana-admin" } })),
  c("v4 Chart: the same value", helm({ adminPassword: "admin" }, "v4:Chart"), helm({ admin: { existingSecret: "grafana-admin" } }, "v4:Chart")),
  c("v3 Chart: MinIO root pair", helm({ rootUser: "minioadmin", rootPassword: "minioadmin" }, "v3:Chart"), helm({ rootUser: "minio-root", existingSecret: "minio-root" }, "v3:Chart")),
  c(
    "extraEnv list entry carrying the password",
    helm({ extraEnv: [{ name: "GF_SECURITY_ADMIN_PASSWORD", value: "admin" }] }),
    helm({ extraEnv: [{ name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: "grafana-admin", key: "password" } } }] }),
  ),
  c(
    "extraEnvVars list with an auth-off switch",
    helm({ extraEnvVars: [{ name: "NACOS_AUTH_ENABLE", value: "false" }] }, "v4:Chart"),
    helm({ extraEnvVars: [{ name: "NACOS_AUTH_ENABLE", value: "true" }] }, "v4:Chart"),
  ),
  c("extraEnvVars as a YAML string", helm({ extraEnvVars: '- name: NACOS_AUTH_ENABLE\n  value: "false"\n' }), helm({ extraEnvVars: '- name: NACOS_AUTH_ENABLE\n  value: "true"\n' })),
  c("env map in values", helm({ env: { MINIO_ROOT_PASSWORD: "minioadmin" } }), helm({ env: { MINIO_ROOT_USER: "minioadmin" } })),
  c("Bitnami auth.enabled false", helm({ auth: { enabled: false } }), helm({ auth: { enabled: true, existingSecret: "redis-auth" } })),
  c("legacy usePassword false", helm({ usePassword: false }), helm({ usePassword: true, existingSecret: "redis-auth" })),
  c("pair under keys nobody expects", helm({ broker: { login: "guest", code: "guest" } }), helm({ broker: { login: "guest", codeSecret: "broker-code" } })),
  c("Harbor's default admin password", helm({ harborAdminPassword: "Harbor12345" }), helm({ existingSecretAdminPassword: "harbor-admin" })),
  c("grafana.ini section turning anonymous access on", helm({ "grafana.ini": { "auth.anonymous": { enabled: true } } }), helm({ "grafana.ini": { "auth.anonymous": { enabled: false } } })),
  c("config file as a string value", helm({ configuration: "[security]\nadmin_password = admin\n" }), helm({ configuration: "[security]\nadmin_password = $__file{/etc/secrets/admin}\n" })),
  c("a JSON document as a string value", helm({ config: '{"grafana":{"admin_password":"admin"}}' }), helm({ config: '{"grafana":{"admin_password_file":"/etc/secrets/admin"}}' })),
  c("a one-line config string value", helm({ config: "admin_password = admin" }), helm({ config: "admin_user = admin" })),
  c("extraArgs list with a literal flag", helm({ master: { extraArgs: ["--requirepass", "admin"] } }), helm({ master: { extraArgs: ["--requirepass", "$(REDIS_PASSWORD)"] } })),
  c(
    "sidecar in values with a client login",
    helm({ extraContainers: [{ name: "init-db", image: "mysql:8.4.7", command: ["sh", "-c", "mysql -uroot -proot < /schema.sql"] }] }),
    helm({ extraContainers: [{ name: "init-db", image: "mysql:8.4.7", command: ["sh", "-c", 'mysql -uroot -p"$MYSQL_ROOT_PASSWORD" < /schema.sql'] }] }),
  ),
  c("Spring fallback in a chart value", helm({ application: { datasourcePassword: "${DB_PASSWORD:root}" } }), helm({ application: { datasourcePassword: "${DB_PASSWORD}" } })),
  c(
    "OpenSearch plugins.security.disabled in values",
    helm({ config: { "opensearch.yml": "plugins.security.disabled: true\n" } }),
    helm({ config: { "opensearch.yml": "plugins.security.ssl.http.enabled: true\n" } }),
  ),
  c("PostgreSQL superuser password in a subchart", helm({ postgresql: { auth: { postgresPassword: "Postgres" } } }), helm({ postgresql: { auth: { existingSecret: "pg-auth" } } })),
];

const GENERATED = "credentials-from-generated-secrets";
const g = (trick: string, violating: TestResource[], nearMiss: TestResource[]): AdversarialCase => ({ trick, rule: GENERATED, violating, nearMiss });

/** A Secret whose stringData depends on a RandomPassword (as the engine reports it). */
function generated(s: TestResource, via = "stringData"): TestResource[] {
  const rp = randomPassword("rp");
  const urn = "urn:pulumi:test::voicehelper::random:index/randomPassword:RandomPassword::rp";
  return [rp, { ...s, dependencies: [urn], propertyDependencies: { [via]: [urn] } }];
}

export const GENERATED_CASES: AdversarialCase[] = [
  g("literal under an unfamiliar credential word (passcode)", [secret("broker", { BROKER_PASSCODE: STRONG })], generated(secret("broker", { BROKER_PASSCODE: STRONG }))),
  g("literal beside a dependency on a RandomPassword used only in metadata", generated(secret("app", { password: STRONG }), "metadata"), generated(secret("app", { password: STRONG }))),
  g(
    "literal hidden in a service-account-token Secret",
    [secret("sa", { password: STRONG }, { type: "kubernetes.io/service-account-token" })],
    [secret("sa", {}, { type: "kubernetes.io/service-account-token" })],
  ),
  g(
    "literal beside a docker config in a dockerconfigjson Secret",
    [secret("pull", { ".dockerconfigjson": "{}", token: STRONG }, { type: "kubernetes.io/dockerconfigjson" })],
    [secret("pull", { ".dockerconfigjson": "{}" }, { type: "kubernetes.io/dockerconfigjson" })],
  ),
  g("literal under a pinyin key (mima)", [secret("db", { DB_MIMA: STRONG })], generated(secret("db", { DB_MIMA: STRONG }))),
];
