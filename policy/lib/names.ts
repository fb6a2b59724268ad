// The contract between the program and the pack: the names of the pack's rules (the vocabulary of
// exceptions and pack config) and the annotations and labels the program writes for the pack to read.
// Both sides import this file, so it imports nothing: the program reaches it without the pack's
// dependencies.

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
const NOT_EXCEPTABLE = ["no-default-credentials", "credentials-from-generated-secrets", "resource-limits", "policy-exceptions"] as const satisfies readonly RuleName[];
export const NOT_EXCEPTABLE_BY_ANNOTATION: ReadonlySet<string> = new Set<RuleName>(NOT_EXCEPTABLE);

/** The rules a workload's annotation may name. */
export type ExceptableRule = Exclude<RuleName, (typeof NOT_EXCEPTABLE)[number]>;

export function isRuleName(name: string): name is RuleName {
  return (RULE_NAMES as readonly string[]).includes(name);
}

/** Annotation holding a JSON object `{"<rule>": "<reason>", "<rule>:<container>": "<reason>"}`: the named exceptions. */
export const EXCEPTIONS_ANNOTATION = "voicehelper.io/policy-exceptions";

/** Annotation on a Secret whose credentials come from somewhere other than a generator. */
export const CREDENTIAL_SOURCE_ANNOTATION = "voicehelper.io/credential-source";
/** `CREDENTIAL_SOURCE_ANNOTATION`'s value for credentials taken from Pulumi config secrets. */
export const CREDENTIALS_FROM_CONFIG = "config";

/** The label (value `"true"`) that marks a Service or pod template as part of the edge: the only objects allowed to be reached from outside. */
export const EDGE_LABEL = "voicehelper.io/edge";
