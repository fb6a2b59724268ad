// Reading settings out of config files carried in ConfigMaps and Secrets (grafana.ini,
// application.properties, milvus.yaml, nats.conf, redis.conf, rabbitmq.conf, users.xml, pg_hba.conf)
// and checking them for default credentials, literal credentials and auth-off switches.
//
// The scanner is deliberately format-agnostic and line-based: INI sections, YAML indentation,
// `key { ... }` blocks (NATS/HOCON), `key = value`, `key: value` and `key value` lines all become
// dot-separated paths such as `security.admin_password` or `common.security.authorizationEnabled`.

import { credentialValueProblem, isCredentialName, isReference, nameTokens, referenceFallback, StrengthLimits, urlPasswords } from "./credentials";
import { combinedAccount, describeAccount, describeDefault, knownDefaultEqual, knownDefaultsIn, pathAuthSwitch, VendorAccount, vendorAccount } from "./defaults";
import { productFileProblems } from "./product-files";
import { aclSettings, flowSettings, knownHashesIn, parseJson, pgpassSettings, settingsOfObject, xmlSettings } from "./structured";

export { settingsOfObject };

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

/** The non-empty lines of a YAML block scalar that starts after line `i` (more indented than `indent`). */
function blockScalarLines(lines: string[], i: number, indent: number): string[] {
  const out: string[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j].replace(/\t/g, "    ");
    if (l.trim() === "") continue;
    if (l.length - l.trimStart().length <= indent) break;
    out.push(l.trim());
  }
  return out;
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
    const kv =
      /^["']?([A-Za-z0-9_.\-/]+)["']?\s*(?::(?=\s|$)|=)\s*(.*)$/.exec(body) ??
      // INI keys may contain spaces (`admin password = x`).
      /^([A-Za-z][A-Za-z0-9_.]*(?: [A-Za-z][A-Za-z0-9_.]*){1,2})\s*=\s*(.*)$/.exec(body) ??
      /^([A-Za-z][A-Za-z0-9_.\-]*)\s+(\S.*)$/.exec(body);
    if (!kv) {
      return;
    }
    const key = kv[1];
    const value = cleanValue(kv[kv.length - 1]);
    while (yaml.length > 0 && yaml[yaml.length - 1].indent >= indent) {
      yaml.pop();
    }
    const path = [...section, ...blocks, ...yaml.map((y) => y.key), key].join(".");
    const blockScalar = /^[|>][-+]?[0-9]?$/.test(value);
    if (value === "" || blockScalar) {
      yaml.push({ indent, key });
    }
    // A one-line YAML block scalar (`password: |` then the value on the next line) is that value.
    const block = blockScalar ? blockScalarLines(lines, i, indent) : [];
    out.push({ path, key, value: block.length === 1 ? block[0] : value, line: i + 1 });
  });
  return out;
}

/**
 * Every setting of a config file, whatever its format: a JSON document as a whole; otherwise the
 * line scanner's settings plus what sits inline on a line (flow-style objects), in XML, in Redis ACL
 * rules and in .pgpass lines. A setting found twice (same key and value) is kept once.
 */
export function allSettingsOf(text: string, fileName = ""): Setting[] {
  const json = parseJson(text);
  if (json !== undefined) {
    return settingsOfObject(json);
  }
  const lines = withNamedValues(settingsOf(text));
  const prefixOf = (lineNo: number) => {
    const first = lines.find((s) => s.line === lineNo);
    return first ? first.path.split(".").slice(0, -1) : [];
  };
  const inline = text.split(/\r?\n/).flatMap((line, i) => (/[{[]/.test(withoutReferences(line)) ? flowSettings(line, i + 1, prefixOf(i + 1)) : []));
  const extra = [...inline, ...xmlSettings(text), ...aclSettings(text), ...(/pgpass/i.test(fileName) ? pgpassSettings(text) : [])];
  const seen = new Set(lines.map((s) => `${s.key}\u0000${s.value}`));
  const out = [...lines];
  for (const s of extra) {
    const id = `${s.key}\u0000${s.value}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(s);
    }
  }
  return out;
}

/** A line without its `${VAR}`, `$__file{...}` and `#{ENV[...]}` references (their braces are not structure). */
const withoutReferences = (line: string) => line.replace(/\$__\w+\{[^}]*\}|\$\{[^}]*\}|#\{[^}]*\}/g, "");

/** Env-style list entries written as YAML text (`- name: X` then `value: y`) also as `X: y`. */
function withNamedValues(settings: Setting[]): Setting[] {
  const out = [...settings];
  settings.forEach((s, i) => {
    const next = settings[i + 1];
    const parent = (x: Setting) => x.path.slice(0, x.path.length - x.key.length);
    if (s.key === "name" && next?.key === "value" && parent(s) === parent(next) && /^[A-Za-z_][\w.-]*$/.test(s.value)) {
      out.push({ path: `${parent(s)}${s.value}`, key: s.value, value: next.value, line: next.line });
    }
  });
  return out;
}

/** Keys that name a thing (a database, a user, a host): their value is never the password half of a pair. */
const NAMING_WORDS = new Set([
  "owner",
  "chown",
  "ownership",
  "db",
  "database",
  "dbname",
  "name",
  "user",
  "username",
  "login",
  "host",
  "hostname",
  "schema",
  "bucket",
  "path",
  "dir",
  "role",
  "group",
  "realm",
  "org",
  "tenant",
  "namespace",
  "service",
  "id",
  "email",
  "uid",
  "owner",
  "catalog",
  "keyspace",
  "vhost",
  "topic",
  "queue",
  "exchange",
  "index",
  "cluster",
  "mode",
]);

export function namesAThing(key: string): boolean {
  const tokens = nameTokens(key);
  // Glued names such as PGUSER and PGDATABASE end with the word.
  const glued = tokens.join("");
  return tokens.some((t) => NAMING_WORDS.has(t)) || ["database", "dbname", "user", "username", "host", "schema", "login", "bucket"].some((w) => glued.endsWith(w));
}

/**
 * Vendor default accounts whose user and password sit side by side (same section, object or line):
 * one setting holds the user, another (whose key does not name a database, host or the like) the
 * password, whatever the keys are called.
 */
export function vendorAccountsAmong(settings: Setting[]): VendorAccount[] {
  const groups = new Map<string, Setting[]>();
  for (const s of settings) {
    const parent = s.path.includes(".") ? s.path.slice(0, s.path.lastIndexOf(".")) : "";
    for (const g of [`p:${parent}`, `l:${s.line}`]) {
      if (g === "l:0") continue;
      groups.set(g, [...(groups.get(g) ?? []), s]);
    }
  }
  const found = new Map<string, VendorAccount>();
  // A user list keyed by user (`guest: guest`, `admin=admin,admin`, JAAS `user_admin="admin-secret"`).
  for (const s of settings) {
    const a = vendorAccount(s.key.replace(/^user_/, ""), s.value.split(",")[0]);
    if (a) found.set(`${a.user}/${a.password}`, a);
  }
  for (const members of groups.values()) {
    for (const u of members) {
      for (const p of members) {
        const a = p !== u && !namesAThing(p.key) ? vendorAccount(u.value, p.value) : undefined;
        if (a) found.set(`${a.user}/${a.password}`, a);
      }
    }
  }
  return [...found.values()];
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
  const settings = allSettingsOf(text, ctx.fileName);
  for (const a of vendorAccountsAmong(settings)) {
    problems.push(`${ctx.where} holds ${describeAccount(a)}`);
  }
  for (const what of knownHashesIn(text)) {
    problems.push(`${ctx.where} holds the hash of ${what}`);
  }
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
    const account = namesAThing(s.key) ? undefined : combinedAccount(s.value);
    if (account) {
      problems.push(`${at} is ${describeAccount(account)}`);
      continue;
    }
    if (!isCredentialSetting(s.key)) {
      continue;
    }
    if (isReference(s.value)) {
      const fallback = referenceFallback(s.value);
      const known = fallback === undefined ? undefined : (knownDefaultEqual(fallback) ?? knownDefaultsIn(fallback)[0]);
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
  problems.push(...productFileProblems(text, settings, ctx));
  return problems;
}
