import { podTemplateOf } from "../lib/k8s";
import { resourceRule } from "../lib/rule";
import { isUnknown } from "../lib/values";

/** Pods mount no service-account token unless they call the Kubernetes API (a named exception). */
export const noServiceAccountToken = resourceRule({
  name: "no-service-account-token",
  description: "Pod specs must set automountServiceAccountToken: false unless the workload calls the Kubernetes API (named exception).",
  remediationSteps: 'Set automountServiceAccountToken: false in the pod spec (the kit does). A workload that calls the API declares the exception "no-service-account-token" with a reason.',
  check: (obj) => {
    const spec = podTemplateOf(obj)?.spec;
    if (!spec || spec.automountServiceAccountToken === false || isUnknown(spec.automountServiceAccountToken)) {
      return [];
    }
    return [{ message: `${obj.id}: the pod does not set automountServiceAccountToken: false, so it mounts a service-account token` }];
  },
});
