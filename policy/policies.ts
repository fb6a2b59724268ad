// Every rule of the pack, assembled for index.ts (which constructs the PolicyPack) and for tests.
// Importing this module never starts the policy server.

import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { credentialsFromGeneratedSecrets } from "./rules/credentials-from-generated-secrets";
import { dropCapabilities } from "./rules/drop-capabilities";
import { ephemeralStorage } from "./rules/ephemeral-storage";
import { hostPath } from "./rules/host-path";
import { hpaTargetExists } from "./rules/hpa-target-exists";
import { namespaceDefaultDeny } from "./rules/namespace-default-deny";
import { namespacePodSecurity } from "./rules/namespace-pod-security";
import { noDefaultCredentials } from "./rules/no-default-credentials";
import { noExternalServices } from "./rules/no-external-services";
import { noHostNamespaces } from "./rules/no-host-namespaces";
import { noPrivilegeEscalation } from "./rules/no-privilege-escalation";
import { noPrivileged } from "./rules/no-privileged";
import { noServiceAccountToken } from "./rules/no-service-account-token";
import { pdbForReplicated } from "./rules/pdb-for-replicated";
import { pinnedImages } from "./rules/pinned-images";
import { policyExceptions } from "./rules/policy-exceptions";
import { probesRequired } from "./rules/probes-required";
import { readOnlyRootFilesystem } from "./rules/read-only-root-filesystem";
import { resourceLimits } from "./rules/resource-limits";
import { runAsNonRoot } from "./rules/run-as-non-root";
import { seccompProfile } from "./rules/seccomp-profile";
import { tlsOnPublicRoutes } from "./rules/tls-on-public-routes";

export type {
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
export { CREDENTIAL_SOURCE_ANNOTATION, EDGE_LABEL, EXCEPTIONS_ANNOTATION, NOT_EXCEPTABLE_BY_ANNOTATION, RULE_NAMES } from "./lib/names";

/** Every policy of the pack, in README order. */
export const allPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  noDefaultCredentials,
  credentialsFromGeneratedSecrets,
  resourceLimits,
  ephemeralStorage,
  noPrivileged,
  noPrivilegeEscalation,
  runAsNonRoot,
  dropCapabilities,
  seccompProfile,
  readOnlyRootFilesystem,
  noHostNamespaces,
  hostPath,
  pinnedImages,
  probesRequired,
  noServiceAccountToken,
  noExternalServices,
  tlsOnPublicRoutes,
  namespaceDefaultDeny,
  namespacePodSecurity,
  pdbForReplicated,
  hpaTargetExists,
  policyExceptions,
];
