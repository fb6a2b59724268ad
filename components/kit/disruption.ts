/**
 * The one PodDisruptionBudget spec every replicated workload gets: at most one pod voluntarily
 * disrupted at a time. `AlwaysAllow` lets a drain evict a pod that is running but not ready: such a pod
 * serves nothing, and with the default (`IfHealthyBudget`) a crash-looping pod would block every node
 * drain until someone deletes it by hand. Healthy pods stay protected by `maxUnavailable` either way.
 */
import { Labels } from "./labels";

export const UNHEALTHY_POD_EVICTION_POLICY = "AlwaysAllow";

export function disruptionBudgetSpec(selector?: Labels) {
  return { maxUnavailable: 1, unhealthyPodEvictionPolicy: UNHEALTHY_POD_EVICTION_POLICY, ...(selector ? { selector: { matchLabels: selector } } : {}) };
}
