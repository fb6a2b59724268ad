/**
 * The offline render, the `helm template` of this program: runs the program for one stack under the
 * mock runtime (no Pulumi CLI, cluster, plugins or network) and writes every Kubernetes object it would
 * create as YAML into `<out>/<stack>/`, with a RENDERED.md that says what is in it and what is not.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, PROJECT, SECRET_KEYS, loadConfig } from "../../components/config/schema";
import { ALERT_WEBHOOK_SECRET } from "../../components/config/alert-webhook";
import { build } from "../../components/program";
import { PLACEHOLDER_VALUES, PLACEHOLDER_WORD, RANDOM_VALUES } from "./generated-values";
import { Manifest, NotRendered, manifestFiles, manifestsOf, notRenderedOf } from "./manifests";
import { runOffline } from "./offline-runtime";
import { stackFileEntries, stackNames, stackSettings } from "./stack-files";

export const SECRETS_MODES = ["placeholder", "generate"] as const;
export type SecretsMode = (typeof SECRETS_MODES)[number];

export interface RenderOptions {
  stack: string;
  /** Parent directory: the stack is written to `<out>/<stack>`. @default "rendered" */
  out: string;
  /** `placeholder`: obvious fake credentials; `generate`: fresh random ones. @default "placeholder" */
  secrets: SecretsMode;
  /**
   * Settings over the stack file's, as `pulumi config set <key> <value>` would give them (objects as
   * JSON), e.g. `externalCharts=false`. Config secrets cannot be given here. @default {}
   */
  config: Record<string, string>;
}

export interface RenderResult {
  directory: string;
  tier: string;
  deployMode: string;
  manifests: Manifest[];
  notRendered: NotRendered[];
  /** Config secrets given a placeholder value (only the CLI can decrypt the stack's own). */
  configSecrets: string[];
  seconds: number;
}

/** A bad command line, with what is allowed. */
export class UsageError extends Error {}

export const USAGE = `usage: npm run render -- --stack <stack> [--out <dir>] [--secrets ${SECRETS_MODES.join("|")}] [--config <key>=<value>]...`;

/** Reads `--stack`, `--out` and `--secrets`; every mistake names what is allowed. */
export function parseRenderArgs(argv: string[], stacks: string[] = stackNames()): RenderOptions {
  const values: Record<string, string> = {};
  const config: Record<string, string> = {};
  const allowed = ["--stack", "--out", "--secrets", "--config"];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!allowed.includes(flag)) throw new UsageError(`unknown option "${argv[i]}"; the options are ${allowed.join(", ")}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
    if (flag === "--config") Object.assign(config, configSetting(value));
    else values[flag.slice(2)] = value;
  }
  const stack = values.stack;
  if (stack === undefined) throw new UsageError(`--stack is required; the stacks are ${stacks.join(", ")}\n${USAGE}`);
  if (!stacks.includes(stack)) throw new UsageError(`--stack "${stack}" is not a stack of this project; the stacks are ${stacks.join(", ")} (one Pulumi.<stack>.yaml each)`);
  const secrets = values.secrets ?? "placeholder";
  if (!(SECRETS_MODES as readonly string[]).includes(secrets)) throw new UsageError(`--secrets "${secrets}" is not allowed; use ${SECRETS_MODES.join(" or ")}`);
  return { stack, out: values.out ?? "rendered", secrets: secrets as SecretsMode, config };
}

/** `key=value` or `voicehelper:key=value`; config secrets stay placeholders, so they are refused here. */
function configSetting(arg: string): Record<string, string> {
  const match = /^(?:voicehelper:)?([A-Za-z][A-Za-z0-9]*)=(.*)$/s.exec(arg);
  if (!match) throw new UsageError(`--config "${arg}" is not <key>=<value> (e.g. --config externalCharts=false)`);
  if ((SECRET_KEYS as readonly string[]).includes(match[1])) {
    throw new UsageError(`--config ${match[1]}: config secrets are not taken on the command line; the render uses a placeholder for them`);
  }
  return { [match[1]]: match[2] };
}

/**
 * The config secrets a render feeds the program: the LLM and PostHog keys a production stack requires,
 * and every other config secret the stack file sets (as ciphertext only the CLI can read).
 */
function configSecretPlaceholders(stack: string): Record<string, string> {
  const entries = stackFileEntries(stack);
  const inFile = Object.keys(entries).filter((k) => (SECRET_KEYS as readonly string[]).includes(k));
  // The keys of the S3 stores the stack file names (backup.target, backup.mirror) are required with them.
  const backup = (entries.backup ?? {}) as { target?: unknown; mirror?: unknown };
  const storeKeys = [...(backup.target ? ["backupTargetAccessKey", "backupTargetSecretKey"] : []), ...(backup.mirror ? ["backupMirrorAccessKey", "backupMirrorSecretKey"] : [])];
  const keys = [...new Set(["openaiApiKey", "anthropicApiKey", "posthogApiKey", ...storeKeys, ...inFile])];
  return Object.fromEntries(keys.map((k) => [k, configSecretPlaceholder(k)]));
}

/** A placeholder in the shape the program checks the secret for (a project key's prefix, a URL). */
export function configSecretPlaceholder(key: string): string {
  if (key === "posthogApiKey") return `phc_${PLACEHOLDER_WORD}_not_a_secret`;
  if (key === ALERT_WEBHOOK_SECRET) return `https://alert-webhook.invalid/${PLACEHOLDER_WORD}-not-a-secret`;
  return `${PLACEHOLDER_WORD}-not-a-secret-${key}`;
}

/** The file that marks a directory as this tool's output (and so safe to replace). */
export const SUMMARY_FILE = "RENDERED.md";

/** Renders one stack into `<out>/<stack>`, replacing an earlier render there. */
export async function renderStack(options: RenderOptions): Promise<RenderResult> {
  const started = process.hrtime.bigint();
  const directory = path.resolve(options.out, options.stack);
  assertReplaceable(directory);
  const secrets = configSecretPlaceholders(options.stack);
  const config = loadConfig(options.stack, stackSettings(options.stack, secrets, options.config));
  const values = options.secrets === "generate" ? RANDOM_VALUES : PLACEHOLDER_VALUES;
  const run = await runOffline(PROJECT, options.stack, () => build(config), values);
  const manifests = manifestsOf(run.resources);
  const notRendered = notRenderedOf(run.resources);
  const files = manifestFiles(manifests);
  const result: RenderResult = {
    directory,
    tier: config.tier,
    deployMode: config.deployMode,
    manifests,
    notRendered,
    configSecrets: Object.keys(secrets),
    seconds: 0,
  };
  files.set(SUMMARY_FILE, summary(options, result));
  replaceDirectory(directory, files, options.secrets === "generate");
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return result;
}

/** Only an earlier render (or an empty directory) may be replaced. */
function assertReplaceable(directory: string): void {
  if (!fs.existsSync(directory)) return;
  const entries = fs.readdirSync(directory);
  if (entries.length > 0 && !entries.includes(SUMMARY_FILE)) {
    throw new UsageError(`${directory} exists and is not an offline render (no ${SUMMARY_FILE}); choose another --out or remove it`);
  }
}

/**
 * Writes the files into a fresh sibling directory, then swaps it in: a failed render leaves the old one.
 * Live credentials (`secret`) are readable by their owner only.
 */
function replaceDirectory(directory: string, files: Map<string, string>, secret: boolean): void {
  assertReplaceable(directory);
  fs.mkdirSync(path.dirname(directory), { recursive: true });
  const staging = fs.mkdtempSync(`${directory}.rendering-`);
  try {
    fs.chmodSync(staging, secret ? 0o700 : 0o755);
    for (const [file, text] of files) {
      fs.mkdirSync(path.join(staging, path.dirname(file)), { recursive: true, mode: secret ? 0o700 : 0o755 });
      fs.writeFileSync(path.join(staging, file), text, { mode: secret ? 0o600 : 0o644 });
    }
    fs.rmSync(directory, { recursive: true, force: true });
    fs.renameSync(staging, directory);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function summary(options: RenderOptions, r: RenderResult): string {
  const kinds = new Map<string, number>();
  for (const m of r.manifests) kinds.set(`${m.apiVersion} ${m.kind}`, (kinds.get(`${m.apiVersion} ${m.kind}`) ?? 0) + 1);
  const lines = [
    `# Offline render of stack \`${options.stack}\``,
    "",
    `Written by \`npm run render -- --stack ${options.stack}\` without the Pulumi CLI, a cluster or the network:`,
    `tier \`${r.tier}\`, deploy mode \`${r.deployMode}\`, ${r.manifests.length} objects, one file each (\`<namespace>/<kind>-<name>.yaml\`; cluster-scoped objects in \`_cluster/\`).`,
    ...(Object.keys(options.config).length === 0
      ? []
      : [
          `Settings over the stack file: ${Object.entries(options.config)
            .map(([k, v]) => `\`${k}=${v}\``)
            .join(", ")}.`,
        ]),
    "",
    "## Secrets",
    options.secrets === "generate"
      ? "Generated credentials are **real random values written in plain text**: treat this directory as a secret, never commit it."
      : `Generated credentials are placeholders: passwords read \`${PLACEHOLDER_WORD}-not-a-secret-<name>\`, random keys are all zero bytes. Nothing here is a real secret.`,
    `Config secrets (only the Pulumi CLI can decrypt a stack's own) are placeholders containing \`${PLACEHOLDER_WORD}\`: ${r.configSecrets.map((k) => `\`${k}\``).join(", ")}.`,
    "",
    "## Not rendered offline",
    r.notRendered.length === 0
      ? "Nothing: every object of this stack is above."
      : "These come from Helm charts that only `pulumi up` (or `helm`) fetches and expands; objects above that use their custom resources need them installed first.",
    "",
    ...(r.notRendered.length === 0
      ? []
      : [
          "| resource | chart | version | repository | namespace |",
          "|---|---|---|---|---|",
          ...r.notRendered.map(
            (n) =>
              `| ${n.type} \`${n.name}\` | ${n.chart ?? "(set by the component)"} | ${n.version ?? "(set by the component)"} | ${n.repository ?? "(set by the component)"} | ${n.namespace ?? ""} |`,
          ),
          "",
        ]),
    "## Objects",
    "| apiVersion kind | count |",
    "|---|---|",
    ...[...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `| ${k} | ${n} |`),
    "",
  ];
  return lines.join("\n");
}

export { ConfigError };
