// The names of the pack's rules: the vocabulary of exceptions and pack config.

/** Every rule of the pack, in README order. */
export const RULE_NAMES = [
    "no-default-credentials",
    "credentials-from-generated-secrets",
    "resource-limits",
    "ephemeral-storage",
    "no-privileged",
    "no-privilege-escalation",
    "run-as-non-root",
    "drop-capabilities",
    "seccomp-profile",
    "read-only-root-filesystem",
    "no-host-namespaces",
    "host-path",
    "pinned-images",
    "probes-required",
    "no-service-account-token",
    "no-external-services",
    "tls-on-public-routes",
    "namespace-default-deny",
    "namespace-pod-security",
    "pdb-for-replicated",
    "hpa-target-exists",
    "policy-exceptions",
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

/**
 * Rules the annotation `voicehelper.io/policy-exceptions` cannot excuse: they carry the product's
 * guarantees, so only the stack's pack config (which the program does not control) can relax them.
 */
export const NOT_EXCEPTABLE_BY_ANNOTATION: ReadonlySet<string> = new Set<RuleName>([
    "no-default-credentials",
    "credentials-from-generated-secrets",
    "resource-limits",
    "policy-exceptions",
]);

export function isRuleName(name: string): name is RuleName {
    return (RULE_NAMES as readonly string[]).includes(name);
}
