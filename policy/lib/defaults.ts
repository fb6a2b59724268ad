// The known default credentials of every product the platform deploys ("Defaults that
// must never ship"), the switches that turn authentication off, and the placeholders the seeds use.
//
// Messages built from this table name the product and what the value is ("MinIO's root password"),
// never the value itself: policies see secrets in plaintext and the preview output is shared.

/** One published default value. */
export interface KnownDefault {
  product: string;
  /** What the value is, for messages ("the <what> of <product>"). Must not contain the value. */
  what: string;
  value: string;
  /**
   * `anywhere`: distinctive enough to reject wherever it appears in a literal (env value, argument,
   * config file, Secret). `credential`: a common word, rejected only where a credential is expected.
   */
  scope: "anywhere" | "credential";
}

/** Published defaults and sample values, per product. */
export const KNOWN_DEFAULTS: readonly KnownDefault[] = [
  { product: "the PostgreSQL, Elasticsearch and Fluentd samples", what: "sample password", value: "changeme", scope: "anywhere" },
  { product: "MinIO", what: "default root user and password", value: "minioadmin", scope: "credential" },
  { product: "MinIO", what: "sample root password", value: "minioadmin123", scope: "anywhere" },
  { product: "Nacos", what: "default console password", value: "nacos", scope: "credential" },
  { product: "Nacos", what: "published default token.secret.key", value: "SecretKey012345678901234567890123456789012345678901234567890123456789", scope: "anywhere" },
  { product: "Nacos", what: "published default token.secret.key (base64)", value: "U2VjcmV0S2V5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5", scope: "anywhere" },
  { product: "Nacos", what: "sample server identity key", value: "serverIdentity", scope: "credential" },
  { product: "Nacos", what: "sample server identity value", value: "security", scope: "credential" },
  { product: "Milvus", what: "default root password", value: "Milvus", scope: "credential" },
  { product: "Grafana", what: "default admin password", value: "admin", scope: "credential" },
  { product: "Grafana (seed)", what: "seed admin password", value: "VoiceHelper2025!", scope: "anywhere" },
  { product: "Grafana", what: "public default secret_key", value: "SW2YcwTIb9zpOOhoPsMm", scope: "anywhere" },
  { product: "RabbitMQ", what: "default guest password", value: "guest", scope: "credential" },
  { product: "Neo4j", what: "default initial password", value: "neo4j", scope: "credential" },
  { product: "Elasticsearch", what: "default superuser name used as password", value: "elastic", scope: "credential" },
  { product: "the MySQL and Nacos docker samples", what: "sample root password", value: "root", scope: "credential" },
  { product: "NATS", what: "image sample route password", value: "T0pS3cr3t", scope: "anywhere" },
  { product: "PostHog", what: "sample SECRET_KEY", value: "<randomly generated secret key>", scope: "anywhere" },
  { product: "PostHog", what: "sample salt", value: "0123456789abcdefghijklmnopqrstuvwxyz", scope: "anywhere" },
  { product: "PostHog", what: "sample ENCRYPTION_SALT_KEYS", value: "00beef0000beef0000beef0000beef00", scope: "anywhere" },
  { product: "PostHog (old chart)", what: "sample password", value: "root-password-change-me-please", scope: "anywhere" },
  { product: "the seed documents", what: "placeholder password", value: "your-strong-password", scope: "anywhere" },
  { product: "the seed documents", what: "placeholder database password", value: "your-db-password", scope: "anywhere" },
  { product: "PostHog (seed)", what: "placeholder project API key", value: "phc_YOUR_API_KEY", scope: "anywhere" },
  { product: "Java keystores", what: "default keystore password", value: "changeit", scope: "credential" },
  { product: "PostgreSQL", what: "superuser name used as password", value: "postgres", scope: "credential" },
  { product: "ClickHouse", what: "default user name used as password", value: "default", scope: "credential" },
  { product: "generic", what: "well-known weak password", value: "password", scope: "credential" },
  { product: "generic", what: "well-known weak password", value: "secret", scope: "credential" },
  { product: "generic", what: "well-known weak password", value: "123456", scope: "credential" },
  { product: "generic", what: "well-known weak password", value: "12345678", scope: "credential" },
  { product: "generic", what: "well-known weak password", value: "admin123", scope: "credential" },
  { product: "generic", what: "well-known weak password", value: "test", scope: "credential" },
  { product: "Kafka", what: "documented SASL/PLAIN sample password", value: "admin-secret", scope: "credential" },
  { product: "Harbor", what: "default admin password", value: "Harbor12345", scope: "anywhere" },
  { product: "Harbor", what: "sample secretKey", value: "not-a-secure-key", scope: "anywhere" },
  { product: "Airflow", what: "default web user password", value: "airflow", scope: "credential" },
  { product: "Cassandra", what: "default superuser password", value: "cassandra", scope: "credential" },
  { product: "mongo-express", what: "default basic-auth password", value: "pass", scope: "credential" },
  { product: "Zabbix", what: "default Admin password", value: "zabbix", scope: "credential" },
  { product: "Kibana and Logstash (6.x)", what: "default built-in user password", value: "kibana", scope: "credential" },
];

/**
 * Vendor default accounts (user and password shipped or documented together). A setting group, an
 * env list or a command line that holds both is a default login, whatever the keys are called.
 * Sources: policy/README.md, "Vendor defaults".
 */
export interface VendorAccount {
  product: string;
  user: string;
  password: string;
}

export const VENDOR_ACCOUNTS: readonly VendorAccount[] = [
  { product: "PostgreSQL (seed)", user: "postgres", password: "changeme" },
  { product: "PostgreSQL", user: "postgres", password: "postgres" },
  { product: "Nacos", user: "nacos", password: "nacos" },
  { product: "Milvus", user: "root", password: "Milvus" },
  { product: "MinIO", user: "minioadmin", password: "minioadmin" },
  { product: "MinIO (seed)", user: "minioadmin", password: "minioadmin123" },
  { product: "Grafana", user: "admin", password: "admin" },
  { product: "RabbitMQ", user: "guest", password: "guest" },
  { product: "Neo4j", user: "neo4j", password: "neo4j" },
  { product: "Elasticsearch", user: "elastic", password: "changeme" },
  { product: "Kibana", user: "kibana", password: "changeme" },
  { product: "MySQL and Nacos docker samples", user: "root", password: "root" },
  { product: "NATS image", user: "ruser", password: "T0pS3cr3t" },
  { product: "Kafka (SASL/PLAIN sample)", user: "admin", password: "admin-secret" },
  { product: "Harbor", user: "admin", password: "Harbor12345" },
  { product: "Airflow (docker-compose)", user: "airflow", password: "airflow" },
  { product: "Cassandra", user: "cassandra", password: "cassandra" },
  { product: "mongo-express", user: "admin", password: "pass" },
  { product: "Keycloak (getting started)", user: "admin", password: "admin" },
  { product: "OpenSearch (before 2.12)", user: "admin", password: "admin" },
  { product: "Zabbix", user: "Admin", password: "zabbix" },
  { product: "Nexus Repository 2", user: "admin", password: "admin123" },
];

/** Placeholder shapes (checked against a whole value, never against free text). */
const PLACEHOLDERS: readonly RegExp[] = [/^your[-_ ]/i, /YOUR_API_KEY/i, /^<[^<>]+>$/, /^(change[-_ ]?me|replace[-_ ]?me|to[-_ ]?do|tbd|x{3,}|\*{3,}|placeholder|example|dummy|fixme)$/i];

/** Zero-width characters, BOM and no-break spaces a copied value may carry around (or inside) it. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00A0]/g;

/** How a value is compared with the defaults: invisible characters, whitespace and quotes around it gone, lower case. */
export function normalizeValue(s: string): string {
  return s
    .replace(INVISIBLE, "")
    .trim()
    .replace(/^["']|["']$/g, "")
    .trim()
    .toLowerCase();
}
const norm = normalizeValue;

/** The known default that equals `value` (case-insensitive), if any. */
export function knownDefaultEqual(value: string): KnownDefault | undefined {
  const v = norm(value);
  return KNOWN_DEFAULTS.find((d) => d.value.toLowerCase() === v);
}

/** Distinctive known defaults contained anywhere in `text` (case-insensitive). */
export function knownDefaultsIn(text: string): KnownDefault[] {
  const t = text.replace(INVISIBLE, "").toLowerCase();
  // Long keys are often wrapped (base64 at 76 columns): compare them without the line breaks.
  const unwrapped = t.replace(/\s+/g, "");
  return KNOWN_DEFAULTS.filter((d) => d.scope === "anywhere" && (t.includes(d.value.toLowerCase()) || (d.value.length >= 20 && unwrapped.includes(d.value.toLowerCase()))));
}

/** True when `value` is a placeholder rather than a real credential. */
export function isPlaceholder(value: string): boolean {
  const v = value.replace(INVISIBLE, "").trim();
  return PLACEHOLDERS.some((re) => re.test(v));
}

/** How a default is named in messages. */
export function describeDefault(d: KnownDefault): string {
  return `the ${d.what} of ${d.product}`;
}

/** A setting that, with some value, turns authentication off. */
interface AuthSwitch {
  /** Env var names (exact, case-insensitive) that carry the switch. */
  env: string[];
  /** Config-file key paths (dot-separated, matched as a suffix, case-insensitive). */
  paths: string[];
  isOff: (value: string) => boolean;
  message: string;
}

const truthy = (v: string) => ["true", "yes", "1", "on"].includes(v);
const falsy = (v: string) => ["false", "no", "0", "off"].includes(v);

const AUTH_SWITCHES: readonly AuthSwitch[] = [
  { env: ["POSTGRES_HOST_AUTH_METHOD"], paths: [], isOff: (v) => v === "trust", message: "lets PostgreSQL accept connections without a password (trust)" },
  { env: ["NEO4J_AUTH"], paths: [], isOff: (v) => v === "none", message: "turns Neo4j authentication off" },
  { env: ["NEO4J_dbms_security_auth__enabled"], paths: ["dbms.security.auth_enabled"], isOff: falsy, message: "turns Neo4j authentication off" },
  { env: ["CLICKHOUSE_SKIP_USER_SETUP"], paths: [], isOff: truthy, message: "leaves ClickHouse's default user without a password" },
  { env: ["ALLOW_EMPTY_PASSWORD"], paths: [], isOff: truthy, message: "allows an empty password" },
  {
    env: ["MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_PASSWORD"],
    paths: [],
    isOff: (v) => v !== "",
    message: "allows an empty MySQL root password (any non-empty value enables it)",
  },
  { env: ["NACOS_AUTH_ENABLE"], paths: ["nacos.core.auth.enabled"], isOff: (v) => !truthy(v), message: "turns Nacos authentication off (it must be true)" },
  { env: [], paths: ["nacos.core.auth.admin.enabled", "nacos.core.auth.console.enabled"], isOff: falsy, message: "turns Nacos 3 admin or console authentication off" },
  {
    env: ["NACOS_AUTH_USER_AGENT_AUTH_WHITE_ENABLE"],
    paths: ["nacos.core.auth.enable.useragentauthwhite"],
    isOff: truthy,
    message: "enables Nacos's user-agent white-list, which bypasses authentication",
  },
  { env: ["GF_AUTH_ANONYMOUS_ENABLED"], paths: ["auth.anonymous.enabled"], isOff: truthy, message: "enables anonymous access to Grafana" },
  { env: ["AUTH_TYPE"], paths: ["auth.type"], isOff: (v) => v === "disabled", message: "turns kafka-ui authentication off" },
  { env: ["xpack.security.enabled", "XPACK_SECURITY_ENABLED"], paths: ["xpack.security.enabled"], isOff: falsy, message: "turns Elasticsearch security off" },
  { env: ["COMMON_SECURITY_AUTHORIZATIONENABLED"], paths: ["common.security.authorizationenabled"], isOff: falsy, message: "turns Milvus authentication off" },
  { env: ["DISABLE_SECURITY_PLUGIN"], paths: [], isOff: truthy, message: "turns the OpenSearch security plugin off" },
  { env: [], paths: ["loopback_users.guest"], isOff: falsy, message: "lets RabbitMQ's guest user log in remotely" },
  { env: [], paths: ["loopback_users"], isOff: (v) => v === "none", message: "lets RabbitMQ's guest user log in remotely" },
  { env: [], paths: ["no_auth_user"], isOff: (v) => v !== "", message: "lets NATS clients connect without credentials (no_auth_user)" },
  { env: [], paths: ["auth.enabled", "authentication.enabled"], isOff: falsy, message: "turns the chart's authentication off (auth.enabled)" },
  { env: [], paths: ["usepassword"], isOff: falsy, message: "turns the chart's password off (usePassword)" },
  { env: [], paths: ["plugins.security.disabled"], isOff: truthy, message: "turns the OpenSearch security plugin off" },
  { env: [], paths: ["security.authorization"], isOff: (v) => v === "disabled", message: "turns MongoDB authorization off" },
  {
    env: [],
    paths: ["serverapp.token", "notebookapp.token", "serverapp.password", "notebookapp.password"],
    isOff: (v) => v === "",
    message: "turns Jupyter authentication off (an empty token and password)",
  },
  // Ask the image to generate the password: switches, not credentials, and never off.
  { env: ["MYSQL_RANDOM_ROOT_PASSWORD", "MARIADB_RANDOM_ROOT_PASSWORD"], paths: [], isOff: () => false, message: "" },
  { env: ["GF_AUTH_PROXY_ENABLED"], paths: ["auth.proxy.enabled"], isOff: truthy, message: "makes Grafana trust a login header anyone inside the cluster can send (auth.proxy)" },
  { env: ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"], paths: [], isOff: (v) => /loopback_users\s*\[\s*\]/.test(v), message: "lets RabbitMQ's guest user log in remotely" },
];

/** A name reduced to its letters and digits, upper case: `NACOS_CORE_AUTH_ENABLED` and `nacos.core.auth.enabled` meet. */
const squash = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "");

/**
 * The env forms products derive from a config key: Spring's relaxed binding (`NACOS_CORE_AUTH_ENABLED`),
 * Neo4j's (`NEO4J_dbms_security_auth__enabled`), Elasticsearch's `ES_SETTING_`, Milvus' upper case. All
 * of them squash to a name that ends with the squashed key.
 */
function envFormOf(name: string, s: AuthSwitch): boolean {
  const n = squash(name);
  // Two-word keys (`auth.enabled`) are too generic to recognise inside a longer name.
  return s.paths.some((p) => p.split(".").length >= 3 && n.endsWith(squash(p)));
}

/** The auth-off message for an env var setting, if it turns authentication off. */
export function envAuthSwitch(name: string, value: string): string | undefined {
  const v = norm(value);
  const n = name.toLowerCase();
  return AUTH_SWITCHES.find((s) => (s.env.some((e) => e.toLowerCase() === n) || envFormOf(name, s)) && s.isOff(v))?.message;
}

/** True when `name` is an env var that switches authentication on or off (not a credential itself). */
export function isAuthSwitchName(name: string): boolean {
  const n = name.toLowerCase();
  return AUTH_SWITCHES.some((s) => s.env.some((e) => e.toLowerCase() === n) || envFormOf(name, s));
}

/** The auth-off message for a config-file setting (dot path), if it turns authentication off. */
export function pathAuthSwitch(path: string, value: string): string | undefined {
  const v = norm(value);
  const p = path.toLowerCase().replace(/\[\d+\]/g, "");
  return AUTH_SWITCHES.find((s) => s.paths.some((suffix) => p === suffix || p.endsWith(`.${suffix}`)) && s.isOff(v))?.message;
}

/** The vendor account whose user and password both appear among `values` (each as a separate value). */
export function vendorAccountIn(values: string[]): VendorAccount | undefined {
  const normalized = values.map(norm);
  return VENDOR_ACCOUNTS.find((a) => {
    const u = normalized.indexOf(a.user.toLowerCase());
    if (u < 0) return false;
    return normalized.some((v, i) => i !== u && v === a.password.toLowerCase());
  });
}

/** The vendor account with this user and password (case-insensitive), if any. */
export function vendorAccount(user: string, password: string): VendorAccount | undefined {
  const u = norm(user);
  const p = norm(password);
  return VENDOR_ACCOUNTS.find((a) => a.user.toLowerCase() === u && a.password.toLowerCase() === p);
}

/** How a vendor account is named in messages (the user only: user names are not secrets). */
export function describeAccount(a: VendorAccount): string {
  return `the default account of ${a.product} (user "${a.user}" with its default password)`;
}

/** A vendor account written as one value: `user:password` (basic-auth style) or `user/password` (NEO4J_AUTH style). */
export function combinedAccount(value: string): VendorAccount | undefined {
  const m = /^([^:/\s]+)[:/]([^:/\s]+)$/.exec(
    value
      .replace(INVISIBLE, "")
      .trim()
      .replace(/^["']|["']$/g, ""),
  );
  return m ? vendorAccount(m[1], m[2]) : undefined;
}
