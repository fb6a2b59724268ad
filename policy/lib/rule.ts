// Building blocks shared by every rule: findings, named exceptions, advisory reports, config schema.
//
// A rule's check returns findings (plain messages that never contain a credential value). The
// wrappers here turn findings into violations, except where a named exception applies: then the
// finding is reported at ADVISORY level together with the exception's reason, so every exception
// stays visible in the preview output without failing it.

import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { annotationExceptions, configExceptions, ExceptionEntry, findException } from "./exceptions";
import { describe, K8sObject } from "./k8s";
import { isRuleName, NOT_EXCEPTABLE_BY_ANNOTATION } from "./names";
import { snapshot } from "./values";

/** One problem found by a rule. `message` must never contain a credential value. */
export interface Finding {
  message: string;
  /** The container the finding is about (lets a container-scoped exception cover it). */
  container?: string;
  /** Stack rules: the object the finding is about (its URN is reported, its exceptions apply). */
  target?: StackObject;
  /** Always reported at ADVISORY level (a warning, not a violation). */
  advisory?: boolean;
}

/** Static description shared by resource and stack rules. */
export interface RuleInfo {
  /** Rule name as used in exceptions and pack config. */
  name: string;
  description: string;
  remediationSteps: string;
  /** Rule-specific config properties (besides `exceptions`, which every rule accepts). */
  config?: Record<string, PolicyConfigJSONSchema>;
  /** @default "mandatory" */
  enforcementLevel?: EnforcementLevel;
}

const exceptionsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description: "Named exceptions for this rule in this stack; each is reported as an advisory with its reason.",
  items: {
    type: "object",
    properties: {
      rule: { type: "string", description: "Optional; must be this rule's name." },
      resource: { type: "string", description: "<kind>/<namespace>/<name> or <kind>/<name>; '*' matches one segment." },
      container: { type: "string", description: "Optional container name." },
      reason: { type: "string", minLength: 1, description: "Why the exception is acceptable (reported)." },
    },
    required: ["resource", "reason"],
  },
};

function schemaFor(info: RuleInfo): PolicyConfigSchema {
  return { properties: { exceptions: exceptionsSchema, ...(info.config ?? {}) } };
}

function register(info: RuleInfo): void {
  if (!isRuleName(info.name)) {
    throw new Error(`rule "${info.name}" is not listed in policy/lib/names.ts (RULE_NAMES)`);
  }
}

/**
 * Reports at ADVISORY level from a policy of any level. Uses the object overload of
 * `reportViolation` that @pulumi/policy 1.21 implements but keeps private (pulumi-policy PR 424):
 * the engine then records the diagnostic with the given level. The pack pins @pulumi/policy 1.21.0;
 * tests/policy/engine-fidelity.test.ts runs the SDK's own analyzer to prove the behaviour.
 */
export function reportAdvisory(report: ReportViolation, message: string, urn?: string): void {
  const reportObject = report as unknown as (v: { message: string; urn?: string; enforcementLevel: EnforcementLevel }) => void;
  reportObject({ message, urn, enforcementLevel: "advisory" });
}

function exceptionsFor(info: RuleInfo, obj: K8sObject, config: Record<string, any>): ExceptionEntry[] {
  // Rules that carry the product's guarantees accept exceptions only from the stack's pack config.
  const fromAnnotation = NOT_EXCEPTABLE_BY_ANNOTATION.has(info.name) ? [] : annotationExceptions(obj).entries;
  return [...fromAnnotation, ...configExceptions(info.name, obj, config)];
}

function emit(info: RuleInfo, obj: K8sObject | undefined, finding: Finding, config: Record<string, any>, report: ReportViolation, urn?: string): void {
  if (finding.advisory) {
    reportAdvisory(report, finding.message, urn);
    return;
  }
  const exception = obj ? findException(exceptionsFor(info, obj, config), info.name, finding.container) : undefined;
  if (!exception) {
    report(finding.message, urn);
    return;
  }
  const scope = exception.container ? ` (container "${exception.container}")` : "";
  if (exception.reason.trim() === "") {
    report(`${finding.message} [the exception for ${info.name}${scope} in ${exception.source} has an empty reason, so it does not apply]`, urn);
    return;
  }
  reportAdvisory(report, `excepted by ${exception.source}${scope}: "${exception.reason.trim()}". Finding: ${finding.message}`, urn);
}

/** Context handed to a resource rule's check. */
export interface ResourceContext {
  config: Record<string, any>;
  args: ResourceValidationArgs;
}

/** What every rule tells the engine about itself (registered once, so names stay unique). */
function declared(info: RuleInfo) {
  register(info);
  return {
    name: info.name,
    description: info.description,
    remediationSteps: info.remediationSteps,
    enforcementLevel: info.enforcementLevel ?? "mandatory",
    configSchema: schemaFor(info),
  };
}

/** Defines a rule that checks Kubernetes objects one at a time. */
export function resourceRule(info: RuleInfo & { check: (obj: K8sObject, ctx: ResourceContext) => Finding[] }): ResourceValidationPolicy {
  return {
    ...declared(info),
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      const props = snapshot(args.props) as Record<string, any>;
      const obj = describe(args.type, args.name, props);
      if (!obj) {
        return;
      }
      const config = args.getConfig<Record<string, any>>() ?? {};
      for (const finding of info.check(obj, { config, args })) {
        emit(info, obj, finding, config, report);
      }
    },
  };
}

/** A stack resource with its snapshot and, when it is a Kubernetes object, its description. */
export interface StackObject {
  resource: PolicyResource;
  props: Record<string, any>;
  k8s?: K8sObject;
}

/** Context handed to a stack rule's check. */
export interface StackContext {
  config: Record<string, any>;
  args: StackValidationArgs;
}

/** Defines a rule that checks the whole stack at once. */
export function stackRule(info: RuleInfo & { check: (objects: StackObject[], ctx: StackContext) => Finding[] }): StackValidationPolicy {
  return {
    ...declared(info),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const objects = stackObjects(args.resources);
      const config = args.getConfig<Record<string, any>>() ?? {};
      for (const finding of info.check(objects, { config, args })) {
        emit(info, finding.target?.k8s, finding, config, report, finding.target?.resource.urn);
      }
    },
  };
}

/** Snapshots every stack resource once. */
export function stackObjects(resources: PolicyResource[]): StackObject[] {
  return resources.map((resource) => {
    const props = snapshot(resource.props) as Record<string, any>;
    return { resource, props, k8s: describe(resource.type, resource.name, props) };
  });
}
