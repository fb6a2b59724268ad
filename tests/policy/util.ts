// Runs the policy pack the way the Pulumi engine does, without the engine: every resource policy on
// every resource, every stack policy on the whole list, with the engine's enforcement-level
// resolution, unknown-value handling and (private) object form of reportViolation.
//
// Use it from any test, e.g. on every stack rendered under mocks:
//
//   const violations = await runPolicies(resources, { "probes-required": "advisory" });
//   assert.deepStrictEqual(mandatory(violations), []);

import { unknownCheckingProxy } from "@pulumi/policy";
import {
  allPolicies,
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "../../policy/policies";

/** A resource as handed to the policies. Only `type`, `name` and `props` are required. */
export interface TestResource {
  /** Pulumi type token, e.g. `kubernetes:apps/v1:Deployment`. */
  type: string;
  /** Pulumi resource name. */
  name: string;
  /** Defaults to `urn:pulumi:test::voicehelper::<type>::<name>`. */
  urn?: string;
  /** Resource inputs (resource policies) and outputs (stack policies); use `UNKNOWN` for preview unknowns. */
  props: Record<string, any>;
  /** URN or name of the parent resource. */
  parent?: string;
  /** URNs or names of the resources this one depends on. */
  dependencies?: string[];
  /** Per top-level property: URNs or names of the resources that property depends on. */
  propertyDependencies?: Record<string, string[]>;
}

/** One reported violation. */
export interface Violation {
  policyName: string;
  enforcementLevel: "advisory" | "mandatory";
  message: string;
  /** URN of the resource the violation is about (stack violations without a resource have none). */
  urn?: string;
}

/** Pack config as `--policy-pack-config` takes it: per policy name (or `all`) a level or an object. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, any>)>;

type Policy = ResourceValidationPolicy | StackValidationPolicy;

/**
 * The engine's sentinel for an unknown string (`unknownStringValue` in @pulumi/policy's proxy.js,
 * internal there). Pass it as a property value to simulate a value unknown during preview.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The URN the harness gives a resource that has none. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::voicehelper::${type}::${name}`;
}

const OPTS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

function levelOf(policy: Policy, config: PackConfig): EnforcementLevel {
  const own = config[policy.name];
  const all = config.all;
  const pick = (c: PackConfig[string] | undefined) => (typeof c === "string" ? c : c?.enforcementLevel);
  const level = pick(own) ?? pick(all) ?? policy.enforcementLevel ?? "mandatory"; // the pack default (policy/index.ts)
  return level === "remediate" ? "mandatory" : level;
}

function configOf(policy: Policy, config: PackConfig): Record<string, any> {
  const own = config[policy.name];
  if (own === undefined || typeof own === "string") {
    return {};
  }
  const rest: Record<string, any> = { ...own };
  delete rest.enforcementLevel;
  return rest;
}

function isUnknownValueError(e: unknown): e is Error {
  return e instanceof Error && e.constructor?.name === "UnknownValueError";
}

function collector(policy: Policy, level: EnforcementLevel, out: Violation[], fixedUrn?: string) {
  return (message: any, urn?: string) => {
    if (typeof message === "object" && message !== null) {
      out.push({
        policyName: message.name ?? policy.name,
        enforcementLevel: (message.enforcementLevel ?? level) as Violation["enforcementLevel"],
        message: message.message ?? message.description ?? policy.description,
        urn: fixedUrn ?? message.urn,
      });
    } else {
      out.push({ policyName: policy.name, enforcementLevel: level as Violation["enforcementLevel"], message: String(message ?? ""), urn: fixedUrn ?? urn });
    }
  };
}

function common(policy: Policy, config: PackConfig) {
  return {
    stackTags: new Map<string, string>() as ReadonlyMap<string, string>,
    getConfig: <T extends object>() => configOf(policy, config) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

async function guarded(policy: Policy, out: Violation[], urn: string | undefined, run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (e instanceof NotApplicable) {
      return;
    }
    if (isUnknownValueError(e)) {
      out.push({ policyName: policy.name, enforcementLevel: "advisory", message: `can't run policy '${policy.name}' during preview: ${e.message}`, urn });
      return;
    }
    throw e;
  }
}

/** Runs one resource policy on one resource. Disabled policies report nothing. */
export async function runResourcePolicy(policy: ResourceValidationPolicy, resource: TestResource, config: PackConfig = {}): Promise<Violation[]> {
  const level = levelOf(policy, config);
  const out: Violation[] = [];
  if (level === "disabled" || !policy.validateResource) {
    return out;
  }
  const urn = resource.urn ?? urnOf(resource.type, resource.name);
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  for (const validate of validations) {
    const props = unknownCheckingProxy(structuredClone(resource.props));
    const args: ResourceValidationArgs = {
      type: resource.type,
      props,
      urn,
      name: resource.name,
      opts: OPTS,
      isType: (cls: any) => cls?.__pulumiType === resource.type,
      asType: (cls: any) => (cls?.__pulumiType === resource.type ? props : undefined),
      ...common(policy, config),
    };
    await guarded(policy, out, urn, () => validate(args, collector(policy, level, out, urn)));
  }
  return out;
}

/** Builds the engine's PolicyResource graph (parent, dependencies, propertyDependencies) from test resources. */
export function policyResources(resources: TestResource[]): PolicyResource[] {
  const built = resources.map((r) => {
    const props = unknownCheckingProxy(structuredClone(r.props));
    const type = r.type;
    const pr: PolicyResource = {
      type,
      props,
      urn: r.urn ?? urnOf(r.type, r.name),
      name: r.name,
      opts: OPTS,
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: any) => cls?.__pulumiType === type,
      asType: (cls: any) => (cls?.__pulumiType === type ? props : undefined),
    };
    return pr;
  });
  const find = (ref: string) => built.find((b) => b.urn === ref) ?? built.find((b) => b.name === ref);
  const resolve = (refs: string[] | undefined) => (refs ?? []).map(find).filter((x): x is PolicyResource => x !== undefined);
  resources.forEach((r, i) => {
    const pr = built[i];
    if (r.parent) {
      pr.parent = find(r.parent);
    }
    pr.dependencies = resolve(r.dependencies);
    for (const [k, refs] of Object.entries(r.propertyDependencies ?? {})) {
      pr.propertyDependencies[k] = resolve(refs);
    }
  });
  return built;
}

/** Runs one stack policy on a list of resources. */
export async function runStackPolicy(policy: StackValidationPolicy, resources: TestResource[], config: PackConfig = {}): Promise<Violation[]> {
  const level = levelOf(policy, config);
  const out: Violation[] = [];
  if (level === "disabled") {
    return out;
  }
  const args: StackValidationArgs = { resources: policyResources(resources), ...common(policy, config) };
  await guarded(policy, out, undefined, () => policy.validateStack(args, collector(policy, level, out)));
  return out;
}

/**
 * Runs every resource policy on each resource and every stack policy on the whole list, as
 * `pulumi preview --policy-pack policy` would, and returns every violation (advisory included).
 *
 * Under Pulumi's mock runtime the engine's dependencies are not visible. For Secrets built from a
 * RandomPassword either render in preview mode (`setMocks(mocks, project, stack, true)`, so generated
 * values stay unknown) or pass `propertyDependencies: { stringData: ["<RandomPassword name>"] }`;
 * otherwise credentials-from-generated-secrets reports their known values as literals.
 *
 * @param resources the stack's resources (for a rendered stack: every registered resource, props = inputs)
 * @param config pack config, as for `--policy-pack-config` (e.g. `{ "host-path": { exceptions: [...] } }`)
 * @param policies defaults to the whole pack
 */
export async function runPolicies(resources: TestResource[], config: PackConfig = {}, policies: Policy[] = allPolicies): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const policy of policies) {
    if ("validateStack" in policy) {
      out.push(...(await runStackPolicy(policy, resources, config)));
    } else {
      for (const r of resources) {
        out.push(...(await runResourcePolicy(policy, r, config)));
      }
    }
  }
  return out;
}

/** Only the violations that fail a preview. */
export function mandatory(violations: Violation[]): Violation[] {
  return violations.filter((v) => v.enforcementLevel === "mandatory");
}

/**
 * Runs the policy named `rule` on `subject` (one resource for a resource policy; a list for a stack
 * policy, or a single resource wrapped in a list) and returns its violations.
 */
export async function check(rule: string, subject: TestResource | TestResource[], config: PackConfig = {}): Promise<Violation[]> {
  const policy = policyNamed(rule);
  const list = Array.isArray(subject) ? subject : [subject];
  if ("validateStack" in policy) {
    return runStackPolicy(policy, list, config);
  }
  const out: Violation[] = [];
  for (const r of list) {
    out.push(...(await runResourcePolicy(policy, r, config)));
  }
  return out;
}

/** The policy named `name` (throws if the pack has none). */
export function policyNamed<T extends Policy = Policy>(name: string): T {
  const p = allPolicies.find((x) => x.name === name);
  if (!p) {
    throw new Error(`no policy named ${name}`);
  }
  return p as T;
}
