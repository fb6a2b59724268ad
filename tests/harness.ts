/**
 * Renders a stack under Pulumi's mock runtime and returns every resource with its inputs and options.
 * Each call sets fresh mocks and runs the program's `build` again, so tests can render many
 * configurations in one process. Stack settings come from the real Pulumi.<stack>.yaml files, in the
 * form the engine hands them to the program (strings, objects as JSON, Pulumi.yaml defaults applied).
 * The offline render (`npm run render`) runs the program the same way (`tools/render`).
 */
import { createHash } from "crypto";
import { PlatformConfig, loadConfig } from "../components/config/schema";
import { ProgramOutputs, build } from "../components/program";
import { GeneratedValues, RegisteredResource, runOffline } from "../tools/render/offline-runtime";
import { stackSettings as readStackSettings } from "../tools/render/stack-files";

export { ROOT } from "../tools/render/stack-files";

/** Obviously fake values for the config secrets a production stack requires. */
export const FAKE_SECRETS: Readonly<Record<string, string>> = {
  openaiApiKey: "sk-test-not-a-real-openai-key-000000",
  anthropicApiKey: "sk-ant-test-not-a-real-anthropic-key-0000",
  posthogApiKey: "phc_test_not_a_real_project_key_000",
  backupTargetAccessKey: "test-not-a-real-backup-access-key",
  backupTargetSecretKey: "test-not-a-real-backup-secret-key-0000",
};

export type RenderedResource = RegisteredResource;

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

/**
 * The `voicehelper:*` settings of a stack file (without the prefix), plus overrides.
 * An override of `undefined` removes the setting.
 */
export function stackSettings(stack: string, overrides: Record<string, unknown> = {}, secrets: Record<string, string> = FAKE_SECRETS): Record<string, string> {
  return readStackSettings(stack, secrets, overrides);
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

/** Generated values that look like real ones (high entropy) but are the same on every run. */
const HASHED_VALUES: GeneratedValues = {
  password: (name, inputs) => fakeRandom(name, inputs.length ?? 16, ALNUM),
  id: (name, byteLength) => createHash("sha256").update(name).digest().subarray(0, byteLength),
};

/** Renders the program for a stack file (+ overrides) and returns everything it registered. */
export async function render(stack: string, overrides: Record<string, unknown> = {}, secrets?: Record<string, string>): Promise<Rendered> {
  // The same stack and settings render the same resources: render once, hand every caller its own copy
  // (tests may mutate what they get, e.g. to break a service on purpose).
  // This is the test run's one render cache: helpers that share renders between files go through it.
  const key = JSON.stringify([stack, overrides, secrets ?? null]);
  let pending = renders.get(key);
  if (!pending) {
    pending = oneAtATime(() => renderConfig(loadConfig(stack, stackSettings(stack, overrides, secrets))));
    renders.set(key, pending);
  }
  const r = await pending;
  return rendered(r.config, structuredClone(r.resources), structuredClone(r.outputs));
}

const NODE_DEFAULT_STACK_TRACE_LIMIT = 10;

const renders = new Map<string, Promise<Rendered>>();

/** Renders share Pulumi's global runtime (its mocks and stack): one at a time, even when callers don't wait. */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Renders an already-resolved configuration: the whole program, or `program` (e.g. one layer built
 * with hand-made inputs) under the same mocks.
 */
export async function renderConfig(config: PlatformConfig, program: (cfg: PlatformConfig) => ProgramOutputs = build): Promise<Rendered> {
  // Mocha raises Error.stackTraceLimit to Infinity for its failure reports, and Pulumi's runtime records
  // a stack trace for every promise it creates: under mocha a render spent a fifth of its CPU formatting
  // whole stacks. Renders run at Node's default depth, what `pulumi up` and `npm run render` run at.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = NODE_DEFAULT_STACK_TRACE_LIMIT;
  try {
    const run = await runOffline("voicehelper", config.stack, () => program(config), HASHED_VALUES);
    return rendered(config, run.resources, run.outputs as ProgramOutputs);
  } finally {
    Error.stackTraceLimit = limit;
  }
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
