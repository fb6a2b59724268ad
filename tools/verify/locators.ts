/**
 * Where verify finds the pods of the services the program does not label itself: operators and
 * gateways installed by charts or controllers, whose pod labels the program already relies on
 * (NetworkPolicies), Istio's charts, whose workloads are all of `istio-system`, and the backup
 * CronJobs, each named for what it backs up.
 */
import { CATALOG, NAMESPACES, SERVICE_NAMES } from "../../components/config/catalog";
import { gatewayPods } from "../../components/layers/edge/gateway";
import { CNPG_OPERATOR_POD_LABELS } from "../../components/services/cnpg-operator/cnpg-operator";
import { Locator } from "./checks";

export function locators(): Record<string, Locator> {
  const out: Record<string, Locator> = {
    "cnpg-operator": { labels: { ...CNPG_OPERATOR_POD_LABELS } },
    "edge-gateway": { labels: gatewayPods(NAMESPACES[CATALOG["edge-gateway"].namespace]).selector },
    "cert-manager": { namespace: NAMESPACES.certManager },
    // One service in the catalog, several CronJobs in the cluster (one per thing backed up).
    backup: { labels: { "app.kubernetes.io/component": "backup" } },
  };
  for (const s of SERVICE_NAMES) if (CATALOG[s].layer === "mesh") out[s] = { namespace: NAMESPACES.istio };
  return out;
}
