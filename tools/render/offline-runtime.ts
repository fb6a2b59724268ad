/**
 * Runs a Pulumi program in-process under Pulumi's mock runtime (`pulumi.runtime.setMocks`): no CLI, no
 * engine, no provider plugins, no network. Every resource the program registers is captured with its
 * inputs (secrets unwrapped) and options. `@pulumi/random` values come from a `GeneratedValues` source,
 * so the caller decides whether they are placeholders, deterministic test values or real randomness.
 */
import * as pulumi from "@pulumi/pulumi";

/** Where the values `@pulumi/random` would generate come from. */
export interface GeneratedValues {
  /** The `result` of a RandomPassword named `name` with these inputs (length, special, min*...). */
  password(name: string, inputs: Record<string, any>): string;
  /** The bytes of a RandomId named `name` (`byteLength` of them). */
  id(name: string, byteLength: number): Buffer;
}

export interface RegisteredResource {
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

export interface OfflineRun {
  resources: RegisteredResource[];
  /** The program's return value with every Output resolved. */
  outputs: unknown;
}

function mocks(values: GeneratedValues): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type === "random:index/randomPassword:RandomPassword") {
        state.result = values.password(args.name, args.inputs);
      }
      if (args.type === "random:index/randomId:RandomId") {
        const bytes = values.id(args.name, args.inputs.byteLength ?? 8);
        state.hex = bytes.toString("hex");
        state.b64Std = bytes.toString("base64");
        state.b64Url = bytes.toString("base64url");
        state.dec = BigInt(`0x${bytes.toString("hex") || "0"}`).toString();
      }
      return { id: `${args.name}-id`, state };
    },
    call(args) {
      return args.inputs;
    },
  };
}

/** Runs `program` as stack `stack` of `project` under mocks and returns what it registered. */
export async function runOffline(project: string, stack: string, program: () => unknown, values: GeneratedValues): Promise<OfflineRun> {
  // The runtime records a stack trace for every promise it creates (to report leaks); under ts-node each
  // of those traces goes through source maps, which is half a render's CPU time. V8's own formatting
  // keeps the traces (with compiled line numbers) at a fraction of the cost.
  const errors: { prepareStackTrace?: unknown } = Error;
  const prepareStackTrace = errors.prepareStackTrace;
  errors.prepareStackTrace = undefined;
  try {
    return await runMocked(project, stack, program, values);
  } finally {
    errors.prepareStackTrace = prepareStackTrace;
  }
}

async function runMocked(project: string, stack: string, program: () => unknown, values: GeneratedValues): Promise<OfflineRun> {
  await pulumi.runtime.setMocks(mocks(values), project, stack, false);
  const resources: RegisteredResource[] = [];
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

  const outputs = program();
  await pulumi.runtime.disconnect();
  await Promise.all(pending);
  return { resources, outputs: await resolveOutputs(outputs) };
}

/** Replaces Pulumi's secret envelopes with their values. */
function unwrapSecrets(value: any): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return unwrapSecrets(value.value);
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
