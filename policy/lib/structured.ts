// Settings the line scanner of configfiles.ts cannot see: whole JSON documents, flow-style objects on
// one line (`auth: {user: neo4j, password: neo4j}`, NATS `users = [{user: a, password: b}]`), XML
// elements and attributes, Redis ACL rules (`user default on >password`) and libpq's .pgpass lines.
// Each becomes a Setting like the line scanner's, so every check applies to it the same way.

import { createHash } from "crypto";
import type { Setting } from "./configfiles";
import { KNOWN_DEFAULTS, VENDOR_ACCOUNTS } from "./defaults";

/** Settings of a nested object (Helm values, parsed JSON), as dot paths; `{name, value}` entries also as `name: value`. */
export function settingsOfObject(value: unknown, prefix = ""): Setting[] {
  const out: Setting[] = [];
  const walk = (v: unknown, path: string, key: string) => {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      out.push({ path, key, value: String(v), line: 0 });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, key));
    } else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      // An env-style entry (`extraEnv: [{name: X, value: y}]`) sets X, whatever the list is called.
      if (typeof o.name === "string" && (typeof o.value === "string" || typeof o.value === "number" || typeof o.value === "boolean")) {
        out.push({ path: path ? `${path}.${o.name}` : o.name, key: o.name, value: String(o.value), line: 0 });
      }
      for (const [k, x] of Object.entries(o)) {
        walk(x, path ? `${path}.${k}` : k, k);
      }
    }
  };
  walk(value, prefix, prefix);
  return out;
}

/** The document as JSON, when it is one. */
export function parseJson(text: string): unknown {
  const t = text.trim();
  if (!/^[{[]/.test(t)) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

const FLOW_TOKEN = /(["']?)([A-Za-z_][\w.\-]*)\1\s*(?::|=)\s*(\{|\[|"[^"]*"|'[^']*'|(?:\$__\w+\{[^}]*\}|\$\{[^}]*\}|\$\([^)]*\)|#\{[^}]*\}|[^\s,;}\])$#])+|[$#])|([}\]])/g;

/** `key: value` pairs anywhere in a line, with the `{`/`[` nesting they sit in. */
export function flowSettings(line: string, lineNo: number, prefix: string[]): Setting[] {
  const out: Setting[] = [];
  const stack: string[] = [];
  for (const m of line.matchAll(FLOW_TOKEN)) {
    if (m[4]) {
      stack.pop();
      continue;
    }
    const key = m[2];
    const raw = m[3];
    if (raw === "{" || raw === "[") {
      stack.push(key);
      continue;
    }
    out.push({ path: [...prefix, ...stack, key].join("."), key, value: raw.replace(/^["']|["']$/g, ""), line: lineNo });
  }
  return out;
}

/** XML elements (`<Password>x</Password>`) and name/value attribute pairs (`<property name="db.password" value="x"/>`). */
export function xmlSettings(xml: string): Setting[] {
  const out: Setting[] = [];
  const text = withoutCdata(xml);
  const lineOf = (index: number) => text.slice(0, index).split("\n").length;
  for (const m of text.matchAll(/<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]*)<\/\1\s*>/g)) {
    const attrKey = /\b(?:key|name)\s*=\s*["']([^"']+)["']/.exec(m[2] ?? "")?.[1];
    out.push({ path: attrKey ?? m[1], key: attrKey ?? m[1], value: m[3].trim(), line: lineOf(m.index ?? 0) });
  }
  for (const m of text.matchAll(/<[A-Za-z_][\w.:-]*\s([^<>]*?)\/?>/g)) {
    const name = /\b(?:key|name)\s*=\s*["']([^"']+)["']/.exec(m[1])?.[1];
    const value = /\bvalue\s*=\s*["']([^"']*)["']/.exec(m[1])?.[1];
    if (name !== undefined && value !== undefined) {
      out.push({ path: name, key: name, value, line: lineOf(m.index ?? 0) });
    }
  }
  return out;
}

/** XML with its CDATA sections replaced by their text (`<password><![CDATA[x]]></password>` holds x). */
export function withoutCdata(xml: string): string {
  return xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, inner: string) => inner.replace(/</g, "&lt;"));
}

/** Redis ACL rules: each `>password` of a `user` line, as the password of that user. */
export function aclSettings(text: string): Setting[] {
  const out: Setting[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /(?:^|\s|["']|--)user\s+["']?(\S+)\s+(.*)$/.exec(line);
    if (!m) return;
    for (const p of m[2].matchAll(/(?:^|\s)>(\S+)/g)) {
      out.push({ path: `user.${m[1]}.password`, key: "password", value: p[1].replace(/["']$/, ""), line: i + 1 });
    }
  });
  return out;
}

/** libpq password files: `host:port:database:user:password`. */
export function pgpassSettings(text: string): Setting[] {
  const out: Setting[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^([^:#\s]+):([^:]+):([^:]+):([^:]+):(.*)$/.exec(line.trim());
    if (m) out.push({ path: `${m[4]}.password`, key: "password", value: m[5], line: i + 1 });
  });
  return out;
}

const hex = (algorithm: string, data: Buffer | string) => createHash(algorithm).update(data).digest("hex");

/**
 * Hashes of the empty password and of every known default, in the forms products store them:
 * SHA-256 (ClickHouse `password_sha256_hex`, Redis ACL `#`), double SHA-1 (ClickHouse, MySQL), SHA-1.
 */
const DEFAULT_HASHES: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  const values = ["", ...KNOWN_DEFAULTS.map((d) => d.value), ...VENDOR_ACCOUNTS.map((a) => a.password)];
  for (const v of values) {
    const what = v === "" ? "the empty password" : "a known default password";
    m.set(hex("sha256", v), what);
    m.set(hex("sha1", v), what);
    m.set(hex("sha1", createHash("sha1").update(v).digest()), what);
  }
  return m;
})();

/** What a hex hash in `text` stands for, when it is the hash of the empty password or of a known default. */
export function knownHashesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b[0-9a-fA-F]{40}\b|\b[0-9a-fA-F]{64}\b/g)) {
    const what = DEFAULT_HASHES.get(m[0].toLowerCase());
    if (what) found.add(what);
  }
  return [...found];
}
