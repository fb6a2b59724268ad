/**
 * The application layer (seed 003 `05-application-services`): the gateway, algo-service,
 * voice-service, frontend and admin-portal, in-house images from `voicehelper:images`. Each service's
 * dependencies come from the catalog (`dependenciesOf`); their env from the typed outputs of the
 * layers below (`dependencyEnv`). HPA per seed 003 and PDBs come from sizing and the kit.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES, ServiceName } from "../../config/catalog";
import { PlatformConfig } from "../../config/schema";
import { inHouseService } from "../../kit/in-house";
import { LayerArgs, contextFor, dependenciesOf, isDeployed } from "../context";
import { Backends, dependencyEnv, isInHouse } from "../../services/wiring";
import { gateway } from "../../services/gateway/gateway";
import { AppServiceArgs, WEB_SERVICES, WebService } from "../../services/web-services/web-service";
import { voiceService } from "../../services/voice-service/voice";

export interface AppsLayerArgs extends LayerArgs {
  /** Image reference of each in-house service. */
  image: (service: string) => string;
  /** Typed outputs of the storage and messaging layers. */
  backends: Backends;
  /** How WebRTC media reaches voice-service. */
  voiceMedia: PlatformConfig["voiceMedia"];
  domain: string;
}

export class AppsLayer extends pulumi.ComponentResource {
  constructor(name: string, args: AppsLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:apps:AppsLayer", name, {}, opts);
    const ns = NAMESPACES.apps;
    const base = (service: ServiceName): AppServiceArgs => {
      const dependencies = dependenciesOf(service, args.endpoints, args.services);
      return { image: args.image(service), size: args.sizes[service], dependencies, env: dependencyEnv(service, dependencies, args.backends, ns) };
    };

    // Dependencies first: the gateway routes to algo-service and voice-service, the web apps to the gateway.
    if (isDeployed(args, "algo-service")) this.web("algo-service", base("algo-service"), args);
    if (isDeployed(args, "voice-service")) {
      args.endpoints.register("voice-service", voiceService({ ...base("voice-service"), media: args.voiceMedia, domain: args.domain }, contextFor(args, "voice-service", "app"), this));
    }
    if (isDeployed(args, "gateway")) {
      if (!args.backends.redis) throw new Error("gateway needs redis, which this stack does not deploy");
      const g = base("gateway");
      args.endpoints.register(
        "gateway",
        gateway(
          {
            image: g.image,
            size: g.size,
            dependencies: g.dependencies,
            storeEnv: dependencyEnv(
              "gateway",
              g.dependencies.filter((d) => !isInHouse(d.endpoint.service)),
              args.backends,
              ns,
            ),
          },
          contextFor(args, "gateway", "app"),
          this,
        ),
      );
    }
    for (const service of ["frontend", "admin-portal"] as const) {
      if (isDeployed(args, service)) this.web(service, base(service), args);
    }
    this.registerOutputs({});
  }

  private web(service: WebService, a: AppServiceArgs, args: AppsLayerArgs): void {
    args.endpoints.register(service, inHouseService({ name: service, component: WEB_SERVICES[service], ...a }, contextFor(args, service, "app"), this).endpoint);
  }
}
