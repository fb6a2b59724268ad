/**
 * A store's metrics exporter as a second container of the store's own pod: it reads its node over
 * localhost (so no NetworkPolicy between them), and Prometheus scrapes it through the pod's scrape
 * annotations (the Workload's `metrics`, which admits Prometheus to that port only). Every such
 * sidecar has the same fixed size; the namespace quota and the capacity check count it for the
 * services in EXPORTER_SIDECARS, which is why a service not listed there is refused.
 */
import { ServiceName } from "../config/catalog";
import { EXPORTER_SIDECARS, EXPORTER_SIDECAR_SIZE } from "../config/sizing";
import { ContainerSpec } from "../kit/container";

/** The port name a sidecar exports on; pass it as the Workload's `metrics.port`. */
export const EXPORTER_PORT_NAME = "metrics";

export function exporterSidecar(service: string, spec: Omit<ContainerSpec, "resources">): ContainerSpec {
  if (!EXPORTER_SIDECARS.includes(service as ServiceName)) {
    throw new Error(`${service}: an exporter sidecar needs the service in EXPORTER_SIDECARS (components/config/sizing.ts), or the namespace quota will not count it`);
  }
  if (!(spec.ports ?? []).some((p) => p.name === EXPORTER_PORT_NAME)) throw new Error(`${service}: the exporter sidecar must name its port "${EXPORTER_PORT_NAME}"`);
  return { ...spec, resources: { requests: { ...EXPORTER_SIDECAR_SIZE.requests }, limits: { ...EXPORTER_SIDECAR_SIZE.limits } } };
}
