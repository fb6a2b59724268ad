// Named exceptions: a resource (or one of its containers) may be excused from a rule, with a reason
// that is always reported, either by the annotation `voicehelper.io/policy-exceptions` on the
// object (and/or its pod template) or by the pack config of the stack.

import { K8sObject, podTemplateOf } from "./k8s";
import { EXCEPTIONS_ANNOTATION } from "./names";
import { asArray, asObject, asString } from "./values";

/** One exception in effect. */
export interface ExceptionEntry {
  rule: string;
  /** Limits the exception to one container; undefined means the whole resource. */
  container?: string;
  reason: string;
  /** Where it was declared, for messages. */
  source: string;
}

/** An exception as written in the pack config (`exceptions` of a rule's config). */
export interface ConfigException {
  /** Optional: the rule name; when set it must be the rule whose config holds it. */
  rule?: string;
  /** `<kind>/<namespace>/<name>` (or `<kind>/<name>` for cluster-scoped kinds); `*` matches one segment. */
  resource: string;
  /** Optional container name. */
  container?: string;
  reason: string;
}

/** The result of parsing one annotation value. */
export interface ParsedAnnotation {
  entries: ExceptionEntry[];
  /** Problems with the annotation itself (not valid JSON, not an object of strings). */
  errors: string[];
}

/** Parses the value of the exceptions annotation. Never throws. */
export function parseExceptionAnnotation(value: string, where: string): ParsedAnnotation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { entries: [], errors: [`${where}: annotation ${EXCEPTIONS_ANNOTATION} is not valid JSON`] };
  }
  const obj = asObject(parsed);
  if (!obj) {
    return { entries: [], errors: [`${where}: annotation ${EXCEPTIONS_ANNOTATION} must be a JSON object {"<rule>": "<reason>"}`] };
  }
  const entries: ExceptionEntry[] = [];
  const errors: string[] = [];
  for (const [key, reason] of Object.entries(obj)) {
    if (typeof reason !== "string") {
      errors.push(`${where}: exception "${key}" in ${EXCEPTIONS_ANNOTATION} must have a string reason`);
      continue;
    }
    const [rule, container] = splitKey(key);
    entries.push({ rule, container, reason, source: `annotation ${EXCEPTIONS_ANNOTATION} on ${where}` });
  }
  return { entries, errors };
}

function splitKey(key: string): [string, string | undefined] {
  const i = key.indexOf(":");
  return i < 0 ? [key.trim(), undefined] : [key.slice(0, i).trim(), key.slice(i + 1).trim() || undefined];
}

/** Exceptions declared by annotation on the object and on its pod template (merged). */
export function annotationExceptions(obj: K8sObject): ParsedAnnotation {
  const result: ParsedAnnotation = { entries: [], errors: [] };
  const own = obj.annotations[EXCEPTIONS_ANNOTATION];
  if (own !== undefined) {
    const p = parseExceptionAnnotation(own, obj.id);
    result.entries.push(...p.entries);
    result.errors.push(...p.errors);
  }
  const tmpl = podTemplateOf(obj, true);
  const fromTemplate = tmpl?.annotations[EXCEPTIONS_ANNOTATION];
  if (fromTemplate !== undefined && fromTemplate !== own) {
    const p = parseExceptionAnnotation(fromTemplate, `${obj.id} (pod template)`);
    result.entries.push(...p.entries);
    result.errors.push(...p.errors);
  }
  return result;
}

/** True when `pattern` (segments separated by `/`, `*` matching one segment) matches `id`. */
export function matchesResource(pattern: string, id: string): boolean {
  const p = pattern.split("/");
  const s = id.split("/");
  return p.length === s.length && p.every((seg, i) => seg === "*" || seg === s[i]);
}

/** Exceptions for `rule` listed in the rule's pack config that match `obj`. */
export function configExceptions(rule: string, obj: K8sObject, config: Record<string, any>): ExceptionEntry[] {
  const out: ExceptionEntry[] = [];
  for (const raw of asArray(config.exceptions)) {
    const e = asObject(raw);
    const resource = asString(e?.resource);
    if (!e || !resource) {
      continue;
    }
    const forRule = asString(e.rule);
    if (forRule !== undefined && forRule !== rule) {
      continue;
    }
    if (matchesResource(resource, obj.id)) {
      out.push({ rule, container: asString(e.container), reason: asString(e.reason) ?? "", source: `pack config of ${rule} (${resource})` });
    }
  }
  return out;
}

/**
 * The exception that covers a finding of `rule` on `container` (undefined = the resource as a whole),
 * preferring one scoped to that container. Returns undefined when none applies.
 */
export function findException(entries: ExceptionEntry[], rule: string, container?: string): ExceptionEntry | undefined {
  const forRule = entries.filter((e) => e.rule === rule);
  return forRule.find((e) => container !== undefined && e.container === container) ?? forRule.find((e) => e.container === undefined);
}
