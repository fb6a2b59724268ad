/**
 * prometheus-nats-exporter beside each NATS server (docs/metrics-upstream.md): it polls its own
 * server's monitoring endpoint over localhost (`/varz`: connections, messages, slow consumers) and
 * re-exports every number as `gnatsd_varz_<field>`. Port and path are passed explicitly, not left to
 * the exporter's defaults, because the scrape annotations name them.
 */
import { ContainerSpec, tcpProbe } from "../../kit/container";
import { EXPORTER_PORT_NAME, exporterSidecar } from "../exporter-sidecar";

export const NATS_EXPORTER_PORT = 7777;

export function natsExporter(args: { service: string; image: string; monitorPort: number }): ContainerSpec {
  return exporterSidecar(args.service, {
    name: "nats-exporter",
    image: args.image,
    args: [`-port=${NATS_EXPORTER_PORT}`, "-path=/metrics", "-varz", `http://127.0.0.1:${args.monitorPort}`],
    ports: [{ name: EXPORTER_PORT_NAME, containerPort: NATS_EXPORTER_PORT }],
    probes: { readiness: tcpProbe(EXPORTER_PORT_NAME), liveness: tcpProbe(EXPORTER_PORT_NAME) },
  });
}
