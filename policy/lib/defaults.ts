// The known default credentials of every product the platform deploys (SERVICES.md, "Defaults that
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
];

/** Placeholder shapes (checked against a whole value, never against free text). */
const PLACEHOLDERS: readonly RegExp[] = [
    /^your[-_ ]/i,
    /YOUR_API_KEY/i,
    /^<[^<>]+>$/,
    /^(change[-_ ]?me|replace[-_ ]?me|to[-_ ]?do|tbd|x{3,}|\*{3,}|placeholder|example|dummy|fixme)$/i,
];

const norm = (s: string) => s.trim().replace(/^["']|["']$/g, "").trim().toLowerCase();

/** The known default that equals `value` (case-insensitive), if any. */
export function knownDefaultEqual(value: string): KnownDefault | undefined {
    const v = norm(value);
    return KNOWN_DEFAULTS.find((d) => d.value.toLowerCase() === v);
}

/** Distinctive known defaults contained anywhere in `text` (case-insensitive). */
export function knownDefaultsIn(text: string): KnownDefault[] {
    const t = text.toLowerCase();
    return KNOWN_DEFAULTS.filter((d) => d.scope === "anywhere" && t.includes(d.value.toLowerCase()));
}

/** True when `value` is a placeholder rather than a real credential. */
export function isPlaceholder(value: string): boolean {
    const v = value.trim();
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
    { env: ["MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_PASSWORD"], paths: [], isOff: (v) => v !== "", message: "allows an empty MySQL root password (any non-empty value enables it)" },
    { env: ["NACOS_AUTH_ENABLE"], paths: ["nacos.core.auth.enabled"], isOff: (v) => !truthy(v), message: "turns Nacos authentication off (it must be true)" },
    { env: ["NACOS_AUTH_USER_AGENT_AUTH_WHITE_ENABLE"], paths: ["nacos.core.auth.enable.useragentauthwhite"], isOff: truthy, message: "enables Nacos's user-agent white-list, which bypasses authentication" },
    { env: ["GF_AUTH_ANONYMOUS_ENABLED"], paths: ["auth.anonymous.enabled"], isOff: truthy, message: "enables anonymous access to Grafana" },
    { env: ["AUTH_TYPE"], paths: ["auth.type"], isOff: (v) => v === "disabled", message: "turns kafka-ui authentication off" },
    { env: ["xpack.security.enabled", "XPACK_SECURITY_ENABLED"], paths: ["xpack.security.enabled"], isOff: falsy, message: "turns Elasticsearch security off" },
    { env: ["COMMON_SECURITY_AUTHORIZATIONENABLED"], paths: ["common.security.authorizationenabled"], isOff: falsy, message: "turns Milvus authentication off" },
    { env: ["DISABLE_SECURITY_PLUGIN"], paths: [], isOff: truthy, message: "turns the OpenSearch security plugin off" },
    { env: [], paths: ["loopback_users.guest"], isOff: falsy, message: "lets RabbitMQ's guest user log in remotely" },
    { env: [], paths: ["loopback_users"], isOff: (v) => v === "none", message: "lets RabbitMQ's guest user log in remotely" },
    { env: [], paths: ["no_auth_user"], isOff: (v) => v !== "", message: "lets NATS clients connect without credentials (no_auth_user)" },
];

/** The auth-off message for an env var setting, if it turns authentication off. */
export function envAuthSwitch(name: string, value: string): string | undefined {
    const v = norm(value);
    const n = name.toLowerCase();
    return AUTH_SWITCHES.find((s) => s.env.some((e) => e.toLowerCase() === n) && s.isOff(v))?.message;
}

/** True when `name` is an env var that switches authentication on or off (not a credential itself). */
export function isAuthSwitchName(name: string): boolean {
    const n = name.toLowerCase();
    return AUTH_SWITCHES.some((s) => s.env.some((e) => e.toLowerCase() === n));
}

/** The auth-off message for a config-file setting (dot path), if it turns authentication off. */
export function pathAuthSwitch(path: string, value: string): string | undefined {
    const v = norm(value);
    const p = path.toLowerCase();
    return AUTH_SWITCHES.find((s) => s.paths.some((suffix) => p === suffix || p.endsWith(`.${suffix}`)) && s.isOff(v))?.message;
}
