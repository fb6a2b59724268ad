/**
 * Named exceptions: the only way a workload may step off a secure default. Each names the policy rule
 * it relaxes and why; the kit applies the relaxation to the container that asked for it and records
 * every exception in the `voicehelper.io/policy-exceptions` annotation, which the policy pack reads and
 * reports (so an exception is always visible, never silent).
 */
import { EXCEPTIONS_ANNOTATION, ExceptableRule } from "../../policy/lib/names";

export { EXCEPTIONS_ANNOTATION };

/** Policy rules a workload may name in an exception (the policy pack's rule names). */
export const EXCEPTION_RULES = [
  "no-privileged",
  "no-privilege-escalation",
  "run-as-non-root",
  "drop-capabilities",
  "read-only-root-filesystem",
  "host-path",
  "no-service-account-token",
  "namespace-pod-security",
  "namespace-default-deny",
] as const satisfies readonly ExceptableRule[];
export type ExceptionRule = (typeof EXCEPTION_RULES)[number];

export interface NamedException {
  rule: ExceptionRule;
  /** Why the workload cannot comply: shown by the policy pack next to the finding. */
  reason: string;
}

/** The annotation value for a set of exceptions, or undefined when there are none. */
export function exceptionsAnnotation(exceptions: readonly NamedException[]): Record<string, string> {
  if (exceptions.length === 0) return {};
  const byRule: Record<string, string> = {};
  for (const e of exceptions) {
    if (e.reason.trim().length < 10) {
      throw new Error(`exception "${e.rule}" needs a reason a reviewer can judge (got "${e.reason}")`);
    }
    byRule[e.rule] = byRule[e.rule] ? `${byRule[e.rule]}; ${e.reason}` : e.reason;
  }
  return { [EXCEPTIONS_ANNOTATION]: JSON.stringify(byRule) };
}

export function hasException(exceptions: readonly NamedException[] | undefined, rule: ExceptionRule): boolean {
  return (exceptions ?? []).some((e) => e.rule === rule);
}
