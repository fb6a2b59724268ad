/**
 * redis_exporter beside each Redis node (docs/metrics-upstream.md): it reads its own node over
 * localhost with the server's password from the environment (REDIS_PASSWORD, never an argument), so a
 * Redis Cluster reports every primary and replica, and the memory, hit-rate and availability series
 * carry the pod they describe.
 */
import { ContainerSpec, EnvVar, httpProbe } from "../../kit/container";
import { EXPORTER_PORT_NAME, exporterSidecar } from "../exporter-sidecar";

/** redis_exporter's default listen port (`:9121`). */
export const REDIS_EXPORTER_PORT = 9121;

export function redisExporter(args: { service: string; image: string; redisPort: number; runAsUser: number; password: EnvVar }): ContainerSpec {
  return exporterSidecar(args.service, {
    name: "redis-exporter",
    image: args.image,
    runAsUser: args.runAsUser,
    env: [
      { name: "REDIS_ADDR", value: `redis://127.0.0.1:${args.redisPort}` },
      { ...args.password, name: "REDIS_PASSWORD" },
      { name: "REDIS_EXPORTER_WEB_LISTEN_ADDRESS", value: `:${REDIS_EXPORTER_PORT}` },
    ],
    ports: [{ name: EXPORTER_PORT_NAME, containerPort: REDIS_EXPORTER_PORT }],
    // The exporter's own /health answers while it runs, whether or not Redis does: redis_up says that.
    probes: { readiness: httpProbe("/health", EXPORTER_PORT_NAME), liveness: httpProbe("/health", EXPORTER_PORT_NAME) },
  });
}
