import { commandProblems } from "../lib/commands";
import { allSettingsOf, hbaTrusts, isCredentialSetting, namesAThing, scanConfigFile, settingsOfObject, vendorAccountsAmong } from "../lib/configfiles";
import { credentialValueProblem, DEFAULT_LIMITS, isCredentialName, isReference, referenceFallback, StrengthLimits, urlPasswords } from "../lib/credentials";
import { combinedAccount, describeAccount, describeDefault, envAuthSwitch, isAuthSwitchName, knownDefaultEqual, knownDefaultsIn, pathAuthSwitch, vendorAccount } from "../lib/defaults";
import { EnvBinding, expandEnv, expandReferences, FROM_CONFIGMAP, literalReferences } from "../lib/envrefs";
import { CNPG_GROUP, containerLabel, ContainerRef, containersOf, imageBaseName, K8sObject, podTemplateOf } from "../lib/k8s";
import { Finding, resourceRule } from "../lib/rule";
import { asArray, asNumber, asObject, asString, isUnknown } from "../lib/values";

/** File-like keys: config files mounted from a ConfigMap or Secret. */
const FILE_KEY = /\.(ini|conf|cfg|cnf|properties|ya?ml|xml|json|toml|env|txt|hba|acl|jaas|config)$|(^|[./])pgpass$/i;

/** A file: named like one, or several lines (a trailing newline alone does not make a value a file). */
function isFile(key: string, value: string): boolean {
    return FILE_KEY.test(key) || value.trim().includes("\n");
}

function limitsFrom(config: Record<string, any>): StrengthLimits {
    return {
        minLength: asNumber(config.minLength) ?? DEFAULT_LIMITS.minLength,
        minEntropyBits: asNumber(config.minEntropyBits) ?? DEFAULT_LIMITS.minEntropyBits,
    };
}

function decodeBase64(v: string): string | undefined {
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(v)) {
        return undefined;
    }
    return Buffer.from(v, "base64").toString("utf8");
}

/** One line and no `key = value` or `key: value` in it: the whole file is one value. */
function isBareValue(value: string): boolean {
    const v = value.trim();
    return v !== "" && !v.includes("\n") && !/[=:{}<>\[\]]|\s/.test(v);
}

/** Key/value pairs of a Secret or ConfigMap: string entries plus base64-decoded ones. */
function entriesOf(plain: unknown, encoded: unknown): { key: string; value: string | undefined }[] {
    const out: { key: string; value: string | undefined }[] = [];
    for (const [key, v] of Object.entries(asObject(plain) ?? {})) {
        out.push({ key, value: isUnknown(v) ? undefined : asString(v) });
    }
    for (const [key, v] of Object.entries(asObject(encoded) ?? {})) {
        const s = asString(v);
        out.push({ key, value: s === undefined ? undefined : decodeBase64(s) });
    }
    return out;
}

/** Checks one single-line value stored under `key` (Secret/ConfigMap key or env var). */
function checkLiteral(where: string, key: string, value: string, inSecret: boolean, limits: StrengthLimits): string[] {
    const problems: string[] = [];
    const off = envAuthSwitch(key, value);
    if (off) {
        return [`${where} ${off}`];
    }
    // `root:root` is also how file ownership is written: a key that names an owner or user is not a login.
    const account = key.toUpperCase() === "NEO4J_AUTH" || namesAThing(key) ? undefined : combinedAccount(value);
    if (account) {
        return [`${where} is ${describeAccount(account)}`];
    }
    if (key.toUpperCase() === "NEO4J_AUTH" && value.includes("/")) {
        const password = value.slice(value.indexOf("/") + 1);
        const p = isReference(password) ? undefined : credentialValueProblem(password, inSecret ? limits : undefined);
        if (p) {
            problems.push(`${where} sets a Neo4j password that ${p}`);
        } else if (!inSecret && !isReference(password)) {
            problems.push(`${where} carries a literal Neo4j password; take it from a Secret`);
        }
        return problems;
    }
    if (isCredentialName(key) && !isAuthSwitchName(key)) {
        if (isReference(value)) {
            const fallback = referenceFallback(value);
            const known = fallback === undefined ? undefined : knownDefaultEqual(fallback) ?? knownDefaultsIn(fallback)[0];
            if (fallback !== undefined) {
                problems.push(`${where} falls back to ${known ? describeDefault(known) : "a literal credential"} when its variable is unset`);
            }
            return problems;
        }
        if (inSecret) {
            const p = credentialValueProblem(value, limits);
            if (p) {
                problems.push(`${where} ${p}`);
            }
        } else {
            const known = credentialValueProblem(value);
            problems.push(
                value.trim() === ""
                    ? `${where} is an empty credential (most products then run without a password)`
                    : `${where} is a literal credential${known && known !== "is empty" ? ` that ${known}` : ""}; take it from a Secret (valueFrom.secretKeyRef)`,
            );
        }
        return problems;
    }
    for (const d of knownDefaultsIn(value)) {
        problems.push(`${where} contains ${describeDefault(d)}`);
    }
    const passwords = urlPasswords(value);
    if (passwords.length > 0) {
        if (!inSecret) {
            problems.push(`${where} embeds a literal password in a URL; build the URL from $(VAR) env vars taken from a Secret`);
        } else if (passwords.some((p) => credentialValueProblem(p, limits) !== undefined)) {
            problems.push(`${where} embeds an empty, weak or default password in a URL`);
        }
    }
    return problems;
}

/** Registry logins of a docker config Secret: only a vendor's default account is wrong there (the registry decides the rest). */
function registryLoginProblems(where: string, value: string): string[] {
    const logins = [...value.matchAll(/"auth"\s*:\s*"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], "base64").toString("utf8"));
    return logins.flatMap((login) => {
        const i = login.indexOf(":");
        const account = i > 0 ? vendorAccount(login.slice(0, i), login.slice(i + 1)) : undefined;
        return account ? [`${where} logs in to a registry with ${describeAccount(account)}`] : [];
    });
}

function checkStore(obj: K8sObject, kindLabel: string, inSecret: boolean, limits: StrengthLimits): Finding[] {
    const props = obj.props;
    const type = asString(props.type) ?? "";
    const skipValues = type === "kubernetes.io/dockerconfigjson" || type === "kubernetes.io/dockercfg";
    const problems: string[] = [];
    for (const { key, value } of entriesOf(inSecret ? props.stringData : props.data, inSecret ? props.data : props.binaryData)) {
        if (value === undefined) {
            continue; // unknown during preview (generated in this update): checked again when known
        }
        if (skipValues) {
            problems.push(...registryLoginProblems(`${kindLabel} key "${key}"`, value));
            continue;
        }
        const where = `${kindLabel} key "${key}"`;
        if (isFile(key, value) && isBareValue(value)) {
            // A file holding just the value (`admin-password.txt`, `pw`): its name says what it is.
            problems.push(...checkLiteral(where, key.replace(/\.[A-Za-z0-9]+$/, ""), value.trim(), inSecret, limits));
        } else if (isFile(key, value)) {
            problems.push(...scanConfigFile(value, { where, fileName: key, inSecret, limits }));
        } else if (inSecret && type === "kubernetes.io/basic-auth" && key === "password") {
            const p = credentialValueProblem(value, limits);
            if (p) {
                problems.push(`${where} ${p}`);
            }
        } else {
            problems.push(...checkLiteral(where, key, value, inSecret, limits));
        }
    }
    return problems.map((p) => ({ message: `${obj.id}: ${p}` }));
}

function stringTokens(c: ContainerRef): string[] {
    return [...asArray(c.container.command), ...asArray(c.container.args)].map((t) => asString(t)).filter((t): t is string => t !== undefined);
}

/** Commands the kubelet runs in the container besides its own: exec probes and lifecycle hooks. */
function hookCommands(c: ContainerRef): { where: string; tokens: string[] }[] {
    const out: { where: string; tokens: string[] }[] = [];
    for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
        out.push({ where: `${containerLabel(c)} ${probe}`, tokens: asArray(asObject(asObject(c.container[probe])?.exec)?.command).map((t) => asString(t) ?? "") });
    }
    for (const hook of ["postStart", "preStop"]) {
        out.push({ where: `${containerLabel(c)} ${hook} hook`, tokens: asArray(asObject(asObject(asObject(c.container.lifecycle)?.[hook])?.exec)?.command).map((t) => asString(t) ?? "") });
    }
    return out.filter((h) => h.tokens.length > 0);
}

const SCRIPT_FLAG = /--(requirepass|masterauth|password|pass|token|api-key|secret)[= ]+("[^"]*"|'[^']*'|\S+)/g;
const SCRIPT_CLI_AUTH = /\b(redis-cli|valkey-cli)\b[^\n;|&]*?\s-a\s+("[^"]*"|'[^']*'|\S+)/g;
const SCRIPT_ASSIGN = /(?:^|[\s;])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;]+)/g;

const unquote = (s: string) => s.replace(/^["']|["']$/g, "");

function checkArgs(where: string, tokens: string[]): string[] {
    const problems: string[] = [];
    const text = tokens.join(" ");
    problems.push(...commandProblems(text).map((p) => `${where} ${p}`));
    for (const d of knownDefaultsIn(text)) {
        problems.push(`${where} contains ${describeDefault(d)}`);
    }
    if (urlPasswords(text).length > 0) {
        problems.push(`${where} embeds a literal password in a URL`);
    }
    const literalFlags = new Set<string>();
    tokens.forEach((t, i) => {
        const flag = /^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/.exec(t);
        if (!flag || !isCredentialName(flag[1])) {
            return;
        }
        const value = flag[2] ?? (i + 1 < tokens.length && !tokens[i + 1].startsWith("-") ? tokens[i + 1] : undefined);
        if (value !== undefined && !isReference(value)) {
            literalFlags.add(`--${flag[1]}`);
        }
    });
    for (const script of tokens.filter((t) => /\s/.test(t))) {
        for (const m of [...script.matchAll(SCRIPT_FLAG), ...script.matchAll(SCRIPT_CLI_AUTH)]) {
            if (!isReference(unquote(m[2]))) {
                literalFlags.add(m[1] === "redis-cli" || m[1] === "valkey-cli" ? `${m[1]} -a` : `--${m[1]}`);
            }
        }
        for (const m of script.matchAll(SCRIPT_ASSIGN)) {
            // Any shell expansion ($VAR, \$VAR inside eval, ${...}) takes the value from elsewhere.
            // Shell assignments only: `password=os.environ[...]` in inline code is an expression, not a literal.
            if (isCredentialName(m[1]) && !isReference(unquote(m[2])) && !/[$([]/.test(unquote(m[2])) && unquote(m[2]) !== "") {
                literalFlags.add(m[1]);
            }
        }
    }
    for (const f of literalFlags) {
        problems.push(`${where} passes ${f} as a literal; use $(VAR) with VAR taken from a Secret`);
    }
    if (tokens.some((t) => /\bnopass\b/.test(t)) && tokens.some((t) => /--user\b|\buser\b/.test(t))) {
        problems.push(`${where} defines a Redis ACL user with nopass`);
    }
    return problems;
}

interface EnvVar {
    name: string;
    value?: string;
    unknown: boolean;
    fromSecret: boolean;
    fromConfigMap: boolean;
}

function envOf(c: ContainerRef): EnvVar[] {
    return asArray(c.container.env)
        .map((e) => asObject(e))
        .filter((e): e is Record<string, any> => e !== undefined && typeof e.name === "string")
        .map((e) => {
            const from = asObject(e.valueFrom);
            return {
                name: e.name as string,
                value: asString(e.value),
                unknown: isUnknown(e.value) || isUnknown(e.valueFrom),
                fromSecret: asObject(from?.secretKeyRef) !== undefined,
                fromConfigMap: asObject(from?.configMapKeyRef) !== undefined,
            };
        });
}

/** Product images whose defaults apply when the credential is simply not set. */
function checkProductDefaults(c: ContainerRef, env: EnvVar[]): string[] {
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
            return authByEnv || mountsFile("/milvus/configs", "/milvus/configs/user.yaml", "/milvus/configs/milvus.yaml") ? [] : [`${who} runs Milvus on its built-in config (authorization off, default root password)`];
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

const hasEnvFrom = (c: ContainerRef) => asArray(c.container.envFrom).length > 0;

function bindingsOf(env: EnvVar[]): EnvBinding[] {
    return env.map((e) => ({ name: e.name, value: e.unknown ? undefined : e.value, fromConfigMap: e.fromConfigMap }));
}

function checkEnv(c: ContainerRef, env: EnvVar[]): string[] {
    const problems: string[] = [];
    const expanded = expandEnv(bindingsOf(env), hasEnvFrom(c));
    for (const e of env) {
        const where = `${containerLabel(c)} env ${e.name}`;
        if (e.value === undefined) {
            if (e.fromConfigMap && isCredentialName(e.name)) {
                problems.push(`${where} reads a credential from a ConfigMap; use valueFrom.secretKeyRef`);
            }
            continue;
        }
        const seen = expanded.get(e.name) ?? e.value;
        // Option strings (JAVA_OPTS, ES_JAVA_OPTS, *_ARGS) are command lines the product appends.
        if (/(^|\s)-/.test(seen)) {
            problems.push(...commandProblems(seen).map((p) => `${where} ${p}`));
        }
        if (seen === e.value) {
            problems.push(...checkLiteral(where, e.name, e.value, false, DEFAULT_LIMITS));
            continue;
        }
        // $(VAR) inside the value: check what the container gets, naming the indirection.
        if (seen.includes(FROM_CONFIGMAP) && isCredentialName(e.name) && !isAuthSwitchName(e.name)) {
            problems.push(`${where} takes a credential from a ConfigMap through $(VAR); use valueFrom.secretKeyRef`);
            continue;
        }
        const unresolved = literalReferences(seen);
        if (unresolved.length > 0 && ((isCredentialName(e.name) && !isAuthSwitchName(e.name)) || unresolved.some(isCredentialName))) {
            problems.push(`${where} refers to $(${unresolved.join("), $(")}), not defined before it (or escaped with $$), so the container gets the reference text itself as the credential`);
            continue;
        }
        problems.push(...checkLiteral(`${where} (after $(VAR) expansion)`, e.name, seen, false, DEFAULT_LIMITS));
    }
    return problems;
}

function checkWorkload(obj: K8sObject): Finding[] {
    const tmpl = podTemplateOf(obj, true);
    if (!tmpl) {
        return [];
    }
    const findings: Finding[] = [];
    for (const c of containersOf(tmpl.spec)) {
        const env = envOf(c);
        const problems = checkEnv(c, env);
        // Command, args, probes and hooks see every env var of the container, in any order.
        const vars = expandEnv(bindingsOf(env), hasEnvFrom(c));
        const expand = (tokens: string[]) => tokens.map((t) => expandReferences(t, vars, hasEnvFrom(c)));
        problems.push(...checkArgs(`${containerLabel(c)} command line`, expand(stringTokens(c))));
        for (const h of hookCommands(c)) {
            problems.push(...checkArgs(h.where, expand(h.tokens)));
        }
        problems.push(...checkProductDefaults(c, env));
        findings.push(...[...new Set(problems)].map((p) => ({ message: `${obj.id}: ${p}`, container: c.name })));
    }
    return findings;
}

function checkCnpgCluster(obj: K8sObject): Finding[] {
    const pgHba = asArray(asObject(asObject(obj.props.spec)?.postgresql)?.pg_hba).map((l) => asString(l) ?? "");
    return hbaTrusts(pgHba)
        ? [{ message: `${obj.id}: spec.postgresql.pg_hba has a host rule with the trust method (no password)` }]
        : [];
}

/**
 * Helm values (third-party charts) may legitimately carry generated credentials, empty values that
 * ask the chart to generate one, and names of existing Secrets; only defaults, placeholders and
 * auth-off switches are rejected there.
 */
function checkHelmValues(obj: K8sObject): Finding[] {
    const problems: string[] = [];
    const settings = settingsOfObject(obj.props.values);
    for (const a of vendorAccountsAmong(settings)) {
        problems.push(`Helm values hold ${describeAccount(a)}`);
    }
    for (const s of settings) {
        problems.push(...helmSettingProblems(`Helm value ${s.path}`, s.path, s.key, s.value));
        // A string that is itself a config file or an env list (`extraEnvVars: |`, `config: |`).
        if (s.value.includes("\n") || /^\s*[{[]/.test(s.value) || /^[A-Za-z][\w. -]*\s*[=:]\s*\S/.test(s.value)) {
            const inner = allSettingsOf(s.value);
            for (const a of vendorAccountsAmong(inner)) {
                problems.push(`Helm value ${s.path} holds ${describeAccount(a)}`);
            }
            for (const i of inner) {
                problems.push(...helmSettingProblems(`Helm value ${s.path} (${i.path})`, `${s.path}.${i.path}`, i.key, i.value));
            }
        }
    }
    // Lists of arguments (`args`, `extraArgs`, `command`) are command lines.
    for (const [path, tokens] of stringLists(obj.props.values)) {
        problems.push(...checkArgs(`Helm value ${path}`, tokens));
    }
    return [...new Set(problems)].map((p) => ({ message: `${obj.id}: ${p}` }));
}

function helmSettingProblems(where: string, path: string, key: string, value: string): string[] {
    const off = pathAuthSwitch(path, value) ?? envAuthSwitch(key, value);
    if (off) {
        return [`${where} ${off}`];
    }
    const account = namesAThing(key) ? undefined : combinedAccount(value);
    if (account) {
        return [`${where} is ${describeAccount(account)}`];
    }
    if (isCredentialSetting(key) && !/existing/i.test(path) && value !== "" && !isReference(value)) {
        const p = credentialValueProblem(value);
        return p ? [`${where} ${p}`] : [];
    }
    if (isCredentialSetting(key) && isReference(value)) {
        const fallback = referenceFallback(value);
        const known = fallback === undefined ? undefined : knownDefaultEqual(fallback) ?? knownDefaultsIn(fallback)[0];
        return known ? [`${where} falls back to ${describeDefault(known)} when its variable is unset`] : [];
    }
    return knownDefaultsIn(value).map((d) => `${where} contains ${describeDefault(d)}`);
}

/** Arrays of strings under keys that hold a command line, with their paths. */
function stringLists(values: unknown, path = ""): [string, string[]][] {
    const out: [string, string[]][] = [];
    const o = asObject(values);
    for (const [k, v] of Object.entries(o ?? {})) {
        const here = path ? `${path}.${k}` : k;
        if (Array.isArray(v) && /^(args|command|extraArgs|extraCommand|cmd|extraFlags)$/i.test(k) && v.every((x) => typeof x === "string")) {
            out.push([here, v as string[]]);
        } else if (Array.isArray(v)) {
            v.forEach((x, i) => out.push(...stringLists(x, `${here}[${i}]`)));
        } else if (asObject(v)) {
            out.push(...stringLists(v, here));
        }
    }
    return out;
}

/** Rejects vendor default credentials, placeholders, weak or literal credentials, and auth-off switches. */
export const noDefaultCredentials = resourceRule({
    name: "no-default-credentials",
    description:
        "No default, placeholder, weak or literal credential and no switch that turns authentication off, in Secrets, ConfigMaps (including config files), env vars, container arguments, Helm values and CloudNativePG clusters.",
    remediationSteps:
        "Generate every credential with the kit's generated-secret builder (RandomPassword into a Secret) and reference it with valueFrom.secretKeyRef or $(VAR); take external keys from Pulumi config secrets; keep authentication switched on.",
    config: {
        minLength: { type: "integer", default: DEFAULT_LIMITS.minLength, description: "Shortest acceptable credential in a Secret." },
        minEntropyBits: { type: "integer", default: DEFAULT_LIMITS.minEntropyBits, description: "Least estimated entropy of a credential in a Secret." },
    },
    check: (obj, { config }) => {
        const limits = limitsFrom(config);
        if (obj.group === "" && obj.kind === "Secret") {
            return checkStore(obj, "Secret", true, limits);
        }
        if (obj.group === "" && obj.kind === "ConfigMap") {
            return checkStore(obj, "ConfigMap", false, limits);
        }
        if (obj.group === CNPG_GROUP && obj.kind === "Cluster") {
            return checkCnpgCluster(obj);
        }
        if (obj.group === "helm.sh") {
            return checkHelmValues(obj);
        }
        return checkWorkload(obj);
    },
});
