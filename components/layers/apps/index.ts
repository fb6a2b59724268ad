/**
 * The application layer (seed 003 `05-application-services`).
 */
import * as pulumi from "@pulumi/pulumi";
import { Endpoints, LayerArgs, contextFor, dependenciesOf, isDeployed } from "../context";
import { RedisOutputs } from "../storage/redis";
import { gateway } from "./gateway";

export interface AppsLayerArgs extends LayerArgs {
  /** Image reference of each in-house service. */
  image: (service: string) => string;
  /** Endpoints of the layers below. */
  endpoints: Endpoints;
  redis?: RedisOutputs;
}

export class AppsLayer extends pulumi.ComponentResource {
  readonly endpoints: Endpoints = {};

  constructor(name: string, args: AppsLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:apps:AppsLayer", name, {}, opts);
    if (isDeployed(args, "gateway")) {
      if (!args.redis) throw new Error("gateway needs redis, which this stack does not deploy");
      this.endpoints.gateway = gateway(
        {
          image: args.image("gateway"),
          size: args.sizes.gateway,
          redis: args.redis,
          dependencies: dependenciesOf("gateway", args.endpoints, args.services),
        },
        contextFor(args, "gateway", "app"),
        this,
      );
    }
    this.registerOutputs({ endpoints: this.endpoints });
  }
}
