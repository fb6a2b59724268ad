/**
 * The API gateway (in-house, Go): the single entry for the API. Stateless, autoscaled per seed 003.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { EnvVar, httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint, hostPort } from "../../kit/endpoint";
import { imageVersion } from "../../kit/labels";
import { Dependency } from "../../kit/network-policy";
import { Workload, WorkloadContext } from "../../kit/workload";
import { RedisOutputs } from "../storage/redis";

const HTTP = 8080;
const METRICS = 9090;
const UID = 65532; // distroless "nonroot"

export interface GatewayArgs {
  image: string;
  size: ServiceSize;
  redis: RedisOutputs;
  /** Every declared dependency (from the catalog), Redis included. */
  dependencies: Dependency[];
}

export function gateway(args: GatewayArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const health = httpProbe("/health", "http");
  const upstreams: EnvVar[] = args.dependencies
    .filter((d) => d.endpoint.service !== "redis")
    .map((d) => ({ name: `UPSTREAM_${d.endpoint.service.toUpperCase().replace(/-/g, "_")}`, value: hostPort(d.endpoint, Object.keys(d.endpoint.ports)[0]) }));
  const workload = new Workload(
    {
      id: { name: "gateway", component: "api-gateway", version: imageVersion(args.image) },
      size: args.size,
      runAsUser: UID,
      containers: [
        {
          name: "gateway",
          image: args.image,
          ports: [
            { name: "http", containerPort: HTTP },
            { name: "metrics", containerPort: METRICS },
          ],
          env: [
            { name: "HTTP_PORT", value: String(HTTP) },
            { name: "METRICS_PORT", value: String(METRICS) },
            { name: "REDIS_MODE", value: args.redis.mode },
            { name: "REDIS_ADDRS", value: args.redis.nodes.join(",") },
            secretEnv("REDIS_PASSWORD", args.redis.password.in(ctx.namespace)),
            ...upstreams,
          ],
          writablePaths: ["/tmp"],
          probes: { startup: startupAllowance(health, 2), readiness: httpProbe("/health", "http", { periodSeconds: 5 }), liveness: health },
          // Let the endpoints controller and proxies stop sending traffic before the process exits.
          lifecycle: { preStop: { sleep: { seconds: 10 } } },
        },
      ],
      clientPorts: ["http"],
      metrics: { port: "metrics", path: "/metrics" },
      dependencies: args.dependencies,
      terminationGracePeriodSeconds: 40,
    },
    ctx,
    { parent },
  );
  return workload.endpoint;
}
