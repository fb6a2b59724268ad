/**
 * The API gateway (in-house, Go): the single entry for the API. Stateless, autoscaled per seed 003.
 * It routes to the in-house services it depends on (UPSTREAM_<NAME>=host:port) and is configured for
 * the data stores among its dependencies like every other service.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { EnvVar } from "../../kit/container";
import { ServiceEndpoint, primaryAddress } from "../../kit/endpoint";
import { inHouseService } from "../../kit/in-house";
import { Dependency } from "../../kit/network-policy";
import { WorkloadContext } from "../../kit/workload";
import { envName, isInHouse } from "../wiring";

export interface GatewayArgs {
  image: string;
  size: ServiceSize;
  /** Every declared dependency (from the catalog), Redis included. */
  dependencies: Dependency[];
  /** Env for the data stores among the dependencies (`dependencyEnv`). */
  storeEnv: EnvVar[];
}

export function gateway(args: GatewayArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const upstreams: EnvVar[] = args.dependencies.filter((d) => isInHouse(d.endpoint.service)).map((d) => ({ name: `UPSTREAM_${envName(d.endpoint.service)}`, value: primaryAddress(d.endpoint) }));
  return inHouseService({ name: "gateway", component: "api-gateway", image: args.image, size: args.size, dependencies: args.dependencies, env: [...args.storeEnv, ...upstreams] }, ctx, parent)
    .endpoint;
}
