/**
 * Stack settings read from the project's own files, in the form the engine hands them to the program
 * (strings, objects as JSON, Pulumi.yaml defaults applied), for running the program without the CLI.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT } from "../../components/config/schema";

/** The project root: the nearest directory above this file with a Pulumi.yaml (also when run compiled from bin/). */
export const ROOT = projectRoot(__dirname);

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml in ${from} or any directory above it`);
  }
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the project, sorted. */
export function stackNames(root = ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The project's declared defaults, as the engine applies them to every stack. */
function projectDefaults(root: string): Record<string, string> {
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
  const out: Record<string, string> = {};
  for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
    if (decl && typeof decl === "object" && "default" in decl) out[key] = encode(decl.default);
  }
  return out;
}

/** The `voicehelper:*` entries of a stack file, raw (a config secret is `{ secure: <ciphertext> }`). */
export function stackFileEntries(stack: string, root = ROOT): Record<string, unknown> {
  const doc = parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8"));
  const prefix = `${PROJECT}:`;
  return Object.fromEntries(
    Object.entries<unknown>(doc?.config ?? {})
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

/**
 * The `voicehelper:*` settings of a stack (without the prefix): Pulumi.yaml defaults, the stack file,
 * then `secrets`, then `overrides`. An override of `undefined` removes the setting.
 */
export function stackSettings(stack: string, secrets: Record<string, string>, overrides: Record<string, unknown> = {}, root = ROOT): Record<string, string> {
  const settings: Record<string, string> = { ...projectDefaults(root) };
  for (const [key, value] of Object.entries(stackFileEntries(stack, root))) settings[key] = encode(value);
  Object.assign(settings, secrets);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete settings[key];
    else settings[key] = encode(value);
  }
  return settings;
}
