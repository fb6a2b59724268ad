/**
 * elasticsearch_exporter beside each Elasticsearch node (docs/metrics-upstream.md): it reads its own
 * node over localhost as the `metrics-exporter` user, whose role grants cluster `monitor` and no index.
 * The exporter takes every flag from the environment too (`es.uri` as ES_URI); the password enters
 * that URL by Kubernetes' `$(VAR)` expansion from a Secret, so it is never in an argument (the
 * generated passwords are letters and digits: nothing to escape in a URL).
 */
import { ContainerSpec, EnvVar, tcpProbe } from "../../kit/container";
import { EXPORTER_PORT_NAME, exporterSidecar } from "../exporter-sidecar";

/** elasticsearch_exporter's default listen port (`:9114`). */
export const ELASTICSEARCH_EXPORTER_PORT = 9114;

export function elasticsearchExporter(args: { service: string; image: string; httpPort: number; runAsUser: number; username: string; password: EnvVar }): ContainerSpec {
  return exporterSidecar(args.service, {
    name: "elasticsearch-exporter",
    image: args.image,
    runAsUser: args.runAsUser,
    env: [
      { ...args.password, name: "ES_PASSWORD" },
      { name: "ES_URI", value: `http://${args.username}:$(ES_PASSWORD)@127.0.0.1:${args.httpPort}` },
    ],
    args: [`--web.listen-address=:${ELASTICSEARCH_EXPORTER_PORT}`, "--web.telemetry-path=/metrics"],
    ports: [{ name: EXPORTER_PORT_NAME, containerPort: ELASTICSEARCH_EXPORTER_PORT }],
    probes: { readiness: tcpProbe(EXPORTER_PORT_NAME), liveness: tcpProbe(EXPORTER_PORT_NAME) },
  });
}
