// Reading settings out of config files carried in ConfigMaps and Secrets (grafana.ini,
// application.properties, milvus.yaml, nats.conf, redis.conf, rabbitmq.conf, users.xml, pg_hba.conf)
// and checking them for default credentials, literal credentials and auth-off switches.
//
// The scanner is deliberately format-agnostic and line-based: INI sections, YAML indentation,
// `key { ... }` blocks (NATS/HOCON), `key = value`, `key: value` and `key value` lines all become
// dot-separated paths such as `security.admin_password` or `common.security.authorizationEnabled`.

import { credentialValueProblem, isCredentialName, isReference, nameTokens, referenceFallback, StrengthLimits, urlPasswords } from "./credentials";
import { describeDefault, knownDefaultEqual, knownDefaultsIn, pathAuthSwitch } from "./defaults";

/** One `key = value` setting found in a file. */
export interface Setting {
    /** Dot-separated path including enclosing sections/blocks/mappings. */
    path: string;
    key: string;
    value: string;
    line: number;
}

function cleanValue(raw: string): string {
    let v = raw.trim();
    if (/^["']/.test(v)) {
        const q = v[0];
        const end = v.indexOf(q, 1);
        return end > 0 ? v.slice(1, end) : v.slice(1);
    }
    v = v.replace(/\s+(#|;|\/\/).*$/, "");
    return v.replace(/[;,]$/, "").trim();
}

/** Extracts settings from config-file text. Never throws. */
export function settingsOf(text: string): Setting[] {
    const out: Setting[] = [];
    let section: string[] = [];
    const blocks: string[] = [];
    const yaml: { indent: number; key: string }[] = [];
    const lines = text.split(/\r?\n/);
    lines.forEach((rawLine, i) => {
        const line = rawLine.replace(/\t/g, "    ");
        const trimmed = line.trim();
        if (trimmed === "" || /^(#|;|\/\/|<!--|---|\.\.\.)/.test(trimmed)) {
            return;
        }
        const sectionMatch = /^\[\s*([^\]]+?)\s*\]$/.exec(trimmed);
        if (sectionMatch) {
            section = [sectionMatch[1].replace(/^["']|["']$/g, "")];
            yaml.length = 0;
            return;
        }
        if (/^\}[,;]?$/.test(trimmed)) {
            blocks.pop();
            return;
        }
        const blockOpen = /^["']?([A-Za-z0-9_.\-]+)["']?\s*[:=]?\s*\{$/.exec(trimmed);
        if (blockOpen) {
            blocks.push(blockOpen[1]);
            return;
        }
        const listItem = /^(\s*)-\s+/.exec(line);
        const indent = listItem ? listItem[1].length + 2 : line.length - line.trimStart().length;
        const body = listItem ? line.slice(listItem[0].length) : trimmed;
        const kv = /^["']?([A-Za-z0-9_.\-/]+)["']?\s*(?::(?=\s|$)|=)\s*(.*)$/.exec(body) ?? /^([A-Za-z][A-Za-z0-9_.\-]*)\s+(\S.*)$/.exec(body);
        if (!kv) {
            return;
        }
        const key = kv[1];
        const value = cleanValue(kv[kv.length - 1]);
        while (yaml.length > 0 && yaml[yaml.length - 1].indent >= indent) {
            yaml.pop();
        }
        const path = [...section, ...blocks, ...yaml.map((y) => y.key), key].join(".");
        if (value === "" || value === "|" || value === ">" || value === "|-" || value === ">-") {
            yaml.push({ indent, key });
        }
        out.push({ path, key, value, line: i + 1 });
    });
    return out;
}

/** Settings of a nested object (Helm values, parsed JSON), as dot paths. */
export function settingsOfObject(value: unknown, prefix = ""): Setting[] {
    const out: Setting[] = [];
    const walk = (v: unknown, path: string, key: string) => {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
            out.push({ path, key, value: String(v), line: 0 });
        } else if (Array.isArray(v)) {
            v.forEach((x, i) => walk(x, `${path}[${i}]`, key));
        } else if (v && typeof v === "object") {
            for (const [k, x] of Object.entries(v)) {
                walk(x, path ? `${path}.${k}` : k, k);
            }
        }
    };
    walk(value, prefix, prefix);
    return out;
}

/** Bare words that in config files are usually structure (`- key: app` in selectors, an `auth:` section). */
const STRUCTURAL_BARE_KEYS = new Set(["key", "keys", "auth", "cookie"]);

/** Like `isCredentialName`, minus the bare structural words of config files. */
export function isCredentialSetting(key: string): boolean {
    const tokens = nameTokens(key);
    return !(tokens.length === 1 && STRUCTURAL_BARE_KEYS.has(tokens[0])) && isCredentialName(key);
}

/** Where a file lives and how strictly to treat it. */
export interface FileContext {
    /** How to name the file in messages, e.g. `ConfigMap key "grafana.ini"`. */
    where: string;
    /** File name (the ConfigMap/Secret key), used to recognise the product. */
    fileName: string;
    /** True in a Secret: literal credentials are allowed but must be strong and not defaults. */
    inSecret: boolean;
    limits: StrengthLimits;
}

/** Problems in one config file. Messages name the file, line and setting, never a value. */
export function scanConfigFile(text: string, ctx: FileContext): string[] {
    const problems: string[] = [];
    const settings = settingsOf(text);
    const credentialSettings = settings.filter((s) => isCredentialSetting(s.key) && !isReference(s.value));
    for (const d of knownDefaultsIn(text)) {
        // A credential setting holding it is reported below, with its line.
        if (!credentialSettings.some((s) => s.value.toLowerCase().includes(d.value.toLowerCase()))) {
            problems.push(`${ctx.where} contains ${describeDefault(d)}`);
        }
    }
    const passwordsInUrls = urlPasswords(text);
    if (passwordsInUrls.length > 0 && !ctx.inSecret) {
        problems.push(`${ctx.where} embeds a literal password in a URL; keep it in a Secret`);
    } else if (passwordsInUrls.some((p) => credentialValueProblem(p, ctx.limits) !== undefined)) {
        problems.push(`${ctx.where} embeds an empty, weak or default password in a URL`);
    }
    for (const s of settings) {
        const at = `${ctx.where} line ${s.line} (${s.path})`;
        const off = pathAuthSwitch(s.path, s.value);
        if (off && !isReference(s.value)) {
            problems.push(`${at} ${off}`);
        }
        if (!isCredentialSetting(s.key)) {
            continue;
        }
        if (isReference(s.value)) {
            const fallback = referenceFallback(s.value);
            const known = fallback === undefined ? undefined : knownDefaultEqual(fallback) ?? knownDefaultsIn(fallback)[0];
            if (known) {
                problems.push(`${at} falls back to ${describeDefault(known)} when its variable is unset`);
            }
            continue;
        }
        if (s.value === "") {
            continue; // an empty key in a template usually means "set elsewhere"; empty passwords are caught per product
        }
        if (/^(true|false)$/i.test(s.value)) {
            continue; // a switch such as `basicAuth: true`, not a secret; switches that turn authentication off are caught above
        }
        const problem = credentialValueProblem(s.value, ctx.inSecret ? ctx.limits : undefined);
        if (problem) {
            problems.push(`${at} ${problem}`);
        } else if (!ctx.inSecret) {
            problems.push(`${at} is a literal credential in a ConfigMap; keep it in a Secret or reference an env var from a Secret`);
        }
    }
    problems.push(...productChecks(text, settings, ctx));
    return problems;
}

function productChecks(text: string, settings: Setting[], ctx: FileContext): string[] {
    const problems: string[] = [];
    const name = ctx.fileName.toLowerCase();
    // Inline password="..." (Kafka JAAS configs and similar).
    for (const m of text.matchAll(/password\s*=\s*"([^"]*)"/gi)) {
        if (!isReference(m[1]) && !ctx.inSecret) {
            problems.push(`${ctx.where} carries an inline password literal (e.g. a JAAS config); keep it in a Secret`);
            break;
        }
    }
    // PostgreSQL host-based authentication with trust.
    if (/(^|\n)\s*host(ssl|nossl|gssenc)?\s+\S+\s+\S+\s+\S+(\s+\S+)?\s+trust\b/.test(text)) {
        problems.push(`${ctx.where} has a pg_hba host rule with the trust method (no password)`);
    }
    // ClickHouse users.xml: empty or absent passwords.
    if (/<(password|password_sha256_hex|password_double_sha1_hex)\s*\/>|<(password)>\s*<\/password>|<no_password\s*\/>/.test(text)) {
        problems.push(`${ctx.where} gives a ClickHouse user an empty password`);
    }
    for (const m of text.matchAll(/<password>([^<]+)<\/password>/g)) {
        const problem = isReference(m[1]) ? undefined : credentialValueProblem(m[1], ctx.inSecret ? ctx.limits : undefined);
        if (problem) {
            problems.push(`${ctx.where} has a ClickHouse <password> that ${problem}`);
        } else if (!ctx.inSecret && !isReference(m[1])) {
            problems.push(`${ctx.where} has a literal ClickHouse <password> in a ConfigMap; keep it in a Secret`);
        }
    }
    // Redis: a server config must require a password.
    const isRedisConf = /redis.*\.conf$|valkey.*\.conf$/.test(name) || (/(^|\n)\s*(appendonly|maxmemory-policy|appendfsync)\s/.test(text) && /(^|\n)\s*port\s+\d+/.test(text));
    if (isRedisConf) {
        const hasAuth = settings.some((s) => s.key === "requirepass" && s.value !== "") || /(^|\n)\s*(include|aclfile)\s+\S/.test(text);
        const aclUsers = settings.filter((s) => s.key === "user");
        if (aclUsers.some((s) => /\bnopass\b/.test(s.value) && /\bon\b/.test(s.value))) {
            problems.push(`${ctx.where} defines a Redis ACL user with nopass`);
        }
        if (!hasAuth && aclUsers.length === 0) {
            problems.push(`${ctx.where} is a Redis config without requirepass (Redis without a password)`);
        }
    }
    // Milvus: the config must turn authorization on.
    const isMilvusConf = /milvus.*\.ya?ml$/.test(name) || (name === "user.yaml" && /(^|\n)(etcd|minio|common|proxy):/.test(text));
    if (isMilvusConf && !settings.some((s) => /(^|\.)common\.security\.authorizationenabled$/i.test(s.path) && s.value.toLowerCase() === "true")) {
        problems.push(`${ctx.where} is a Milvus config that does not set common.security.authorizationEnabled: true (Milvus without authentication)`);
    }
    return problems;
}
