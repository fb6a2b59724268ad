// Recognising credentials: which names hold one, which values are references rather than
// literals, and what makes a literal credential unacceptable. Nothing here ever returns a value.

import { describeDefault, isPlaceholder, knownDefaultEqual, knownDefaultsIn } from "./defaults";

/** Splits a name into lower-case words: `GF_SECURITY_ADMIN_PASSWORD__FILE`, `secretAccessKey`, `tls.key`. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((t) => t !== "")
    .map((t) => t.toLowerCase());
}

/** Last words that make a name a credential. */
const CREDENTIAL_LAST = new Set([
  "password",
  "passwd",
  "pwd",
  "pass",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "tokens",
  "key",
  "keys",
  "apikey",
  "credential",
  "credentials",
  "cookie",
  "auth",
  "salt",
  "salts",
  "requirepass",
  "masterauth",
  "privatekey",
  "secretkey",
  // Abbreviations and other languages people use for a password (mima: pinyin of 密码).
  "passcode",
  "pw",
  "pword",
  "psw",
  "pswd",
  "passwort",
  "kennwort",
  "contrasena",
  "motdepasse",
  "mima",
  "senha",
  "haslo",
  "creds",
  "cred",
]);
/** Words that make a name a credential wherever they appear (unless the last word says otherwise). */
const CREDENTIAL_ANYWHERE = new Set(["password", "passwd", "secret", "credential", "credentials", "apikey", "token", "passcode", "passwort", "kennwort", "mima"]);
/** Last words that describe something about a credential rather than the credential itself. */
const NOT_SECRET_LAST = new Set([
  "file",
  "path",
  "dir",
  "directory",
  "id",
  "name",
  "names",
  "user",
  "username",
  "enabled",
  "enable",
  "disabled",
  "disable",
  "length",
  "size",
  "ttl",
  "seconds",
  "expire",
  "expires",
  "expiry",
  "expiration",
  "algorithm",
  "alg",
  "type",
  "header",
  "prefix",
  "suffix",
  "field",
  "ref",
  "policy",
  "mode",
  "method",
  "format",
  "count",
  "version",
  "endpoint",
  "host",
  "hostname",
  "port",
  "url",
  "uri",
  "location",
  "hash",
  "mount",
  "provider",
  "store",
  "class",
  "required",
  "min",
  "max",
]);

/** Words before "key" that make it the name of a field or label, not a secret. */
const NAMING_KEY = new Set([
  "topology",
  "label",
  "labels",
  "annotation",
  "match",
  "sort",
  "partition",
  "routing",
  "shard",
  "cache",
  "lookup",
  "primary",
  "foreign",
  "group",
  "map",
  "dedup",
  "idempotency",
  "index",
  "node",
  "selector",
  "metric",
]);

/**
 * True when a name (env var, Secret/ConfigMap key, config-file key) holds a credential: password,
 * secret, token, key, credential, auth, salt, cookie... but not its file path, id, user or flags
 * (`*_FILE`, `ACCESS_KEY_ID`, `TOKEN_EXPIRE_SECONDS`, `PUBLIC_KEY`).
 */
export function isCredentialName(name: string): boolean {
  const tokens = nameTokens(name);
  if (tokens.length === 0) {
    return false;
  }
  const last = tokens[tokens.length - 1];
  const prev = tokens.length > 1 ? tokens[tokens.length - 2] : "";
  if (NOT_SECRET_LAST.has(last)) {
    return false;
  }
  if (tokens.includes("identity") && (last === "key" || last === "value")) {
    return true;
  }
  // etcd's --initial-cluster-token only tells clusters apart (etcd docs); it grants nothing.
  if (last === "token" && prev === "cluster") {
    return false;
  }
  if (last === "key" || last === "keys") {
    // Keys that name things, not secrets: topologyKey, labelKey, sortKey, partition_key, cache.key...
    if (prev === "public" || NAMING_KEY.has(prev) || (tokens.includes("access") && !tokens.includes("secret"))) {
      return false;
    }
    return true;
  }
  // Glued names (PGPASSWORD, DBPASSWD, APPSECRET) end with the word.
  const glued = ["password", "passwd", "passcode", "secret", "apikey"].some((w) => last.endsWith(w) && last !== w);
  return CREDENTIAL_LAST.has(last) || glued || tokens.some((t) => CREDENTIAL_ANYWHERE.has(t));
}

/**
 * References resolved at run time: Kubernetes `$(VAR)`, `${VAR}`, `$VAR`, Grafana `$__env{}`/`$__file{}`,
 * OpenTelemetry `${env:VAR}`, Fluentd `#{ENV['VAR']}`, templates.
 */
const REFERENCE_PATTERNS: readonly RegExp[] = [
  /\$\([A-Za-z_][A-Za-z0-9_]*\)/,
  /^\$\{[^}]+\}$/,
  /^\$[A-Za-z_][A-Za-z0-9_]*$/,
  /\$__(env|file|vault)\{[^}]*\}/,
  /^\{\{.*\}\}$/s,
  /^\$\{?(env|file):/i,
  /#\{ENV\[[^\]]+\]\}/,
];

/** True when `value` is (or embeds) a reference to a value held elsewhere, not a literal. */
export function isReference(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, "");
  // An absolute path names the file that holds the credential (e.g. `xpack.security.transport.ssl.key`).
  if (/^\/[A-Za-z0-9._/-]+$/.test(v)) {
    return true;
  }
  return REFERENCE_PATTERNS.some((re) => re.test(v));
}

/** `${VAR:fallback}` (Spring, Nacos) and the shell's `${VAR:-fallback}`, `${VAR-fallback}`, `${VAR:=fallback}`. */
const FALLBACK = /\$\{([A-Za-z_][A-Za-z0-9_.]*)(?::[-=]?|[-=])([^}]*)\}/g;

/** The fallback of a `${VAR:fallback}` reference (Spring/Nacos style, or the shell's `:-`), if it has one. */
export function referenceFallback(value: string): string | undefined {
  const v = value.trim().replace(/^["']|["']$/g, "");
  const m = new RegExp(`^${FALLBACK.source}$`).exec(v);
  return m && m[2] !== "" ? m[2] : undefined;
}

/** Every `${VAR...fallback}` in a text with a non-empty fallback: the variable and what is used when it is unset. */
export function fallbacksIn(text: string): { variable: string; fallback: string }[] {
  return [...text.matchAll(FALLBACK)].filter((m) => m[2] !== "" && !m[2].startsWith("$") && !m[2].startsWith("?")).map((m) => ({ variable: m[1], fallback: m[2].replace(/^["']|["']$/g, "") }));
}

/** Limits for weak-value detection. */
export interface StrengthLimits {
  /** @default 16 */
  minLength: number;
  /** Estimated bits (length x log2 of the character classes used). @default 64 */
  minEntropyBits: number;
}

export const DEFAULT_LIMITS: StrengthLimits = { minLength: 16, minEntropyBits: 64 };

function hasSequence(value: string, run: number): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < value.length; i++) {
    const d = value.charCodeAt(i) - value.charCodeAt(i - 1);
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (up >= run || down >= run) {
      return true;
    }
  }
  return false;
}

/** Why a credential value is weak (short, low entropy, repetitive), or undefined. Never echoes it. */
export function weakness(value: string, limits: StrengthLimits = DEFAULT_LIMITS): string | undefined {
  const v = value.trim();
  if (v.startsWith("-----BEGIN") || v.startsWith("{")) {
    return undefined; // PEM keys and JSON credential files are not passwords.
  }
  if (v.length < limits.minLength) {
    return `is shorter than ${limits.minLength} characters`;
  }
  let pool = 0;
  if (/[a-z]/.test(v)) pool += 26;
  if (/[A-Z]/.test(v)) pool += 26;
  if (/[0-9]/.test(v)) pool += 10;
  if (/[^A-Za-z0-9]/.test(v)) pool += 33;
  const bits = v.length * Math.log2(Math.max(pool, 2));
  if (bits < limits.minEntropyBits) {
    return `has too little entropy (about ${Math.round(bits)} bits, at least ${limits.minEntropyBits} required)`;
  }
  if (new Set(v).size < 8) {
    return "repeats too few distinct characters";
  }
  if (hasSequence(v, 8)) {
    return "contains a long run of consecutive characters";
  }
  return undefined;
}

/**
 * What is wrong with a literal credential value, or undefined when it is acceptable. Known defaults
 * and placeholders are always wrong; weakness is checked when `limits` is given.
 */
export function credentialValueProblem(value: string, limits?: StrengthLimits): string | undefined {
  if (value.trim() === "") {
    return "is empty";
  }
  const known = knownDefaultEqual(value) ?? knownDefaultsIn(value)[0];
  if (known) {
    return `is ${describeDefault(known)}`;
  }
  if (isPlaceholder(value)) {
    return "is a placeholder, not a credential";
  }
  return limits ? weakness(value, limits) : undefined;
}

/** Passwords embedded in URLs (`scheme://user:password@host`): literal ones, never their text. */
export function urlPasswords(text: string): string[] {
  const out: string[] = [];
  // The user may be empty (`redis://:password@host`, Redis' own form).
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/'"]*:([^\s@/'"]*)@/g)) {
    const password = decodeURIComponentSafe(m[1]);
    if (!isReference(password)) {
      out.push(password);
    }
  }
  // Passwords passed as URL query parameters (JDBC) or connection-string fields (ADO.NET, libpq).
  for (const m of text.matchAll(/[?&;](?:password|pwd|passwd|pass)\s*=\s*('[^']*'|"[^"]*"|[^&;\s'"]*)/gi)) {
    const password = decodeURIComponentSafe(m[1].replace(/^["']|["']$/g, ""));
    if (!isReference(password) && !password.includes("$")) {
      out.push(password);
    }
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
