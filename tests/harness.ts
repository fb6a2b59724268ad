/**
 * Renders a stack under Pulumi's mock runtime and returns every resource with its inputs and options.
 * Each call sets fresh mocks and runs the program's `build` again, so tests can render many
 * configurations in one process. Stack settings come from the real Pulumi.<stack>.yaml files, in the
 * form the engine hands them to the program (strings, objects as JSON, Pulumi.yaml defaults applied).
 */
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { PlatformConfig, loadConfig } from "../components/config/schema";
import { ProgramOutputs, build } from "../components/program";

export const ROOT = path.resolve(__dirname, "..");

/** Obviously fake values for the config secrets a production stack requires. */
export const FAKE_SECRETS: Readonly<Record<string, string>> = {
  openaiApiKey: "sk-test-not-a-real-openai-key-000000",
  anthropicApiKey: "sk-ant-test-not-a-real-anthropic-key-0000",
  posthogApiKey: "phc_test_not_a_real_project_key_000",
  backupTargetAccessKey: "test-not-a-real-backup-access-key",
  backupTargetSecretKey: "test-not-a-real-backup-secret-key-0000",
};

export interface RenderedResource {
  type: string;
  name: string;
  urn: string;
  inputs: any;
  protect: boolean;
  retainOnDelete: boolean;
  parent: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export interface Rendered {
  config: PlatformConfig;
  resources: RenderedResource[];
  outputs: ProgramOutputs;
  /** Resources of one type token, e.g. "kubernetes:apps/v1:Deployment". */
  ofType(type: string): RenderedResource[];
  /** Kubernetes objects (not providers, components or random values). */
  kubernetes(): RenderedResource[];
  /** The one Kubernetes object of this kind with this metadata.name (and namespace, when given). */
  object(type: string, name: string, namespace?: string): RenderedResource;
}

function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The project's declared defaults, as the engine applies them to every stack. */
function projectDefaults(): Record<string, string> {
  const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
  const out: Record<string, string> = {};
  for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
    if (decl && typeof decl === "object" && "default" in decl) out[key] = encode(decl.default);
  }
  return out;
}

/**
 * The `voicehelper:*` settings of a stack file (without the prefix), plus overrides.
 * An override of `undefined` removes the setting.
 */
export function stackSettings(stack: string, overrides: Record<string, unknown> = {}, secrets: Record<string, string> = FAKE_SECRETS): Record<string, string> {
  const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
  const doc = parse(fs.readFileSync(file, "utf8"));
  const settings: Record<string, string> = { ...projectDefaults() };
  for (const [key, value] of Object.entries<unknown>(doc.config ?? {})) {
    if (key.startsWith("voicehelper:")) settings[key.slice("voicehelper:".length)] = encode(value);
  }
  Object.assign(settings, secrets);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete settings[key];
    else settings[key] = encode(value);
  }
  return settings;
}

/** A deterministic, high-entropy stand-in for a generated value. */
function fakeRandom(name: string, length: number, alphabet: string): string {
  let out = "";
  let block = 0;
  while (out.length < length) {
    const digest = createHash("sha256").update(`${name}:${block++}`).digest();
    for (const byte of digest) {
      if (out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const state: Record<string, unknown> = { ...args.inputs };
    if (args.type === "random:index/randomPassword:RandomPassword") {
      state.result = fakeRandom(args.name, args.inputs.length ?? 16, ALNUM);
    }
    if (args.type === "random:index/randomId:RandomId") {
      const bytes = createHash("sha256").update(args.name).digest().subarray(0, args.inputs.byteLength ?? 8);
      state.hex = bytes.toString("hex");
      state.b64Std = bytes.toString("base64");
      state.b64Url = bytes.toString("base64url");
      state.dec = BigInt(`0x${bytes.toString("hex")}`).toString();
    }
    return { id: `${args.name}-id`, state };
  },
  call(args) {
    return args.inputs;
  },
};

/** Renders the program for a stack file (+ overrides) and returns everything it registered. */
export async function render(stack: string, overrides: Record<string, unknown> = {}, secrets?: Record<string, string>): Promise<Rendered> {
  // The same stack and settings render the same resources: render once, hand every caller its own copy
  // (tests may mutate what they get, e.g. to break a service on purpose).
  const key = JSON.stringify([stack, overrides, secrets ?? null]);
  let pending = renders.get(key);
  if (!pending) {
    pending = (async () => renderConfig(loadConfig(stack, stackSettings(stack, overrides, secrets))))();
    renders.set(key, pending);
  }
  const r = await pending;
  return rendered(r.config, structuredClone(r.resources), structuredClone(r.outputs));
}

const renders = new Map<string, Promise<Rendered>>();

/**
 * Renders an already-resolved configuration: the whole program, or `program` (e.g. one layer built
 * with hand-made inputs) under the same mocks.
 */
export async function renderConfig(config: PlatformConfig, program: (cfg: PlatformConfig) => ProgramOutputs = build): Promise<Rendered> {
  await pulumi.runtime.setMocks(mocks, "voicehelper", config.stack, false);
  const resources: RenderedResource[] = [];
  const monitor: any = pulumi.runtime.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  const pending: Promise<void>[] = [];
  monitor.registerResource = (req: any, callback: (err: any, res: any) => void) => {
    pending.push(
      new Promise<void>((resolve) => {
        register(req, (err: any, res: any) => {
          if (!err) {
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((v: any, k: string) => {
              propertyDependencies[k] = v.getUrnsList();
            });
            resources.push({
              type: req.getType(),
              name: req.getName(),
              urn: res.getUrn(),
              inputs: unwrapSecrets(pulumi.runtime.deserializeProperties(req.getObject())),
              protect: req.getProtect() === true,
              retainOnDelete: req.getRetainondelete() === true,
              parent: req.getParent(),
              dependencies: req.getDependenciesList(),
              propertyDependencies,
            });
          }
          callback(err, res);
          resolve();
        });
      }),
    );
  };

  const outputs = program(config);
  await pulumi.runtime.disconnect();
  await Promise.all(pending);
  const resolved = (await resolveOutputs(outputs)) as ProgramOutputs;

  return rendered(config, resources, resolved);
}

function rendered(config: PlatformConfig, resources: RenderedResource[], outputs: ProgramOutputs): Rendered {
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    config,
    resources,
    outputs,
    ofType,
    kubernetes: () => resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm")),
    object(type: string, name: string, namespace?: string) {
      const found = ofType(type).filter((r) => r.inputs?.metadata?.name === name && (namespace === undefined || r.inputs?.metadata?.namespace === namespace));
      if (found.length !== 1) throw new Error(`expected one ${type} named ${name}${namespace ? ` in ${namespace}` : ""}, found ${found.length}`);
      return found[0];
    },
  };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Replaces Pulumi's secret envelopes with their values (tests read secrets in plain text). */
function unwrapSecrets(value: any): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    if (value[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

async function resolveOutputs(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return resolveOutputs(await new Promise((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v))));
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveOutputs));
  if (value && typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveOutputs(v)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

/** Every container (init containers too) of a workload-like object, with the pod spec it sits in. */
export function podSpecOf(r: RenderedResource): any | undefined {
  const i = r.inputs;
  switch (r.type) {
    case "kubernetes:apps/v1:Deployment":
    case "kubernetes:apps/v1:StatefulSet":
    case "kubernetes:apps/v1:DaemonSet":
    case "kubernetes:batch/v1:Job":
      return i.spec?.template?.spec;
    case "kubernetes:batch/v1:CronJob":
      return i.spec?.jobTemplate?.spec?.template?.spec;
    case "kubernetes:core/v1:Pod":
      return i.spec;
    default:
      return undefined;
  }
}

export function containersOf(r: RenderedResource): any[] {
  const spec = podSpecOf(r);
  return spec ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [];
}

export const STACKS = ["dev", "staging", "prod"] as const;
