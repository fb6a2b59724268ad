/**
 * The stack configuration contract, validated as a whole before any resource exists.
 *
 * `loadConfig` is pure: it takes the stack's `voicehelper:*` settings as Pulumi stores them (strings;
 * objects as JSON) and returns one resolved `PlatformConfig`, or throws a `ConfigError` listing every
 * problem with the setting's name, what was wrong and what is allowed. Nothing downstream reads
 * config or knows about tiers. The settings' shapes are in settings.ts, checks across settings in
 * cross-checks.ts, resolution in resolve.ts; this module parses, runs them in order and reports.
 */
import { KNOWN_KEYS, PROJECT, SECRET_KEYS, settingsSchema } from "./settings";
import { SecretValues, deploymentProblems, settingProblems } from "./cross-checks";
import { resolveConfig, resolveSizes, selectServices } from "./resolve";
import { PlatformConfig } from "./platform-config";

export type { Resources, ServiceSize } from "../kit/size";
export type { PlatformConfig, S3Target, EdgeConfig, TlsConfig, PosthogConfig, VoiceMediaConfig } from "./platform-config";
export type { Neo4jEdition, Neo4jSettings, ServiceOverride } from "./settings";
export {
  PROJECT,
  SECRET_KEYS,
  POSTHOG_MODES,
  TLS_ISSUERS,
  EDGE_MODES,
  VOICE_MEDIA_MODES,
  KUBELET_TLS_MODES,
  LOG_LEVELS,
  NEO4J_EDITIONS,
  NEO4J_LICENSE_ANSWERS,
  RETENTION_DAYS,
  RETENTION_DEFAULTS,
  NUMBER_BOUNDS,
  QUANTITY_BOUNDS,
} from "./settings";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was deployed:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Turns Pulumi's stored strings back into the values the user wrote in YAML. */
function decode(value: string): unknown {
  const t = value.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

/** Object keys JavaScript gives a meaning of their own: refused as setting or service names, never looked up. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A copy of `value` without reserved keys; each one found is reported under its path. */
function withoutReservedKeys(value: unknown, path: string, problems: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => withoutReservedKeys(v, `${path}.${i}`, problems));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (RESERVED_KEYS.has(k)) {
      problems.push(`${PROJECT}:${path}.${k}: is a reserved name, not a setting or a service name`);
      continue;
    }
    out[k] = withoutReservedKeys(v, `${path}.${k}`, problems);
  }
  return out;
}

/**
 * Settings whose values may carry a credential (URLs hold tokens in their path or query, and a
 * kubeconfig may be pasted inline): an error says what is wrong with them without repeating them.
 */
const NEVER_ECHOED = new Set(["posthog.host", "alerting.webhookUrl", "backup.mirror.url", "kubeconfig"]);
/** Shapes of provider keys and tokens pasted where they do not belong (also never repeated). */
const KEY_SHAPED = /\b(sk-|phc_|phx_|xox[abp]-|ghp_|github_pat_|AKIA|glpat-)/;

function describe(value: unknown, path: string): string {
  if (value === undefined) return "nothing";
  // JSON has no Infinity: 1e999 parses to it and would print as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const s = JSON.stringify(value);
  if (NEVER_ECHOED.has(path) || KEY_SHAPED.test(s)) return "a value not repeated here, as it may carry a credential";
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Replaces every secret value given to the stack wherever it appears in a message. */
function scrub(problems: string[], secretValues: string[]): string[] {
  const values = secretValues.map((v) => v.trim()).filter((v) => v.length >= 4);
  return problems.map((p) => values.reduce((m, v) => m.split(v).join("[secret]"), p));
}

/**
 * Shapes of the placeholders documentation uses for a secret (`<key>`, `phc_...`, `sk-...`,
 * `your-api-key`, `YOUR_API_KEY`, `changeme`, an unexpanded `$VAR`): never a real key.
 * tests/config-secrets.test.ts feeds it every placeholder the repository's docs show.
 */
const PLACEHOLDER =
  /^(<[^<>]*>|\[[^\]]*\]|\{\{.*\}\}|.*(\.\.\.|\u2026).*|your[-_ ].*|.*YOUR_.*|.*replace[-_ ]?me.*|change[-_ ]?(me|it)|todo|tbd|fixme|placeholder|example|dummy|x+|\*+|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)$/i;

/**
 * Validates and resolves the stack's settings.
 * @param stack the Pulumi stack name (decides the dev and render conventions)
 * @param raw `voicehelper:*` settings without the prefix, as strings (Pulumi's storage form)
 * @param now the time restore settings are checked against (a restore names a past time)
 */
export function loadConfig(stack: string, raw: Record<string, string>, now: Date = new Date()): PlatformConfig {
  const problems: string[] = [];
  const key = (k: string) => `${PROJECT}:${k}`;

  for (const k of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(k)) problems.push(`${key(k)}: unknown setting; known settings are ${KNOWN_KEYS.join(", ")}`);
  }

  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    // "" is how Pulumi.yaml declares an optional setting as unset (the engine requires a default).
    if (!(SECRET_KEYS as readonly string[]).includes(k) && KNOWN_KEYS.includes(k) && v.trim() !== "") input[k] = withoutReservedKeys(decode(v), k, problems);
  }
  // Placeholders are not secrets, and scrubbing them would mangle the message that names them.
  const secretValues = SECRET_KEYS.map((k) => raw[k]).filter((v): v is string => typeof v === "string" && !PLACEHOLDER.test(v.trim()));
  const parsed = settingsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".");
      if (issue.code === "unrecognized_keys") {
        for (const k of issue.keys) problems.push(`${key(path ? `${path}.${k}` : k)}: unknown setting`);
        continue;
      }
      const got = issue.input === undefined ? "it is missing" : `got ${describe(issue.input, path)}`;
      const problem = `${key(path)}: ${issue.message} (${got})`;
      // One message per setting, even when a value misses several checks (1e300 is neither whole nor in range).
      if (!problems.includes(problem)) problems.push(problem);
    }
    throw new ConfigError(scrub(problems, secretValues));
  }
  const s = parsed.data;

  const secrets: SecretValues = {};
  for (const k of SECRET_KEYS) {
    const v = raw[k];
    if (v === undefined || v.trim() === "") continue;
    if (PLACEHOLDER.test(v.trim())) {
      problems.push(`${key(k)}: is a documentation placeholder, not a real key; set it with \`pulumi config set --secret ${k} <value>\``);
      continue;
    }
    secrets[k] = v;
  }
  if (secrets.posthogApiKey !== undefined && !secrets.posthogApiKey.startsWith("phc_")) {
    problems.push(`${key("posthogApiKey")}: must be a PostHog project API key (it starts with "phc_")`);
  }

  problems.push(...settingProblems(stack, s, secrets, key));

  const sizes = resolveSizes(s.sizing, s.overrides, { neo4jEdition: s.neo4j.edition }, problems);
  const services = selectServices(s);
  problems.push(...deploymentProblems(stack, s, secrets, services, sizes, now, key));

  if (problems.length > 0) throw new ConfigError(scrub(problems, secretValues));
  return resolveConfig(stack, s, secrets, services, sizes);
}
