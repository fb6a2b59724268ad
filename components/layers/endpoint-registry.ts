/**
 * The one registry of client endpoints a stack builds: each layer registers the endpoints of the
 * services it creates, and the layers built after it look theirs up here. Nothing copies or merges
 * endpoint maps, so a service registered twice (two layers claiming one name) fails the build.
 */
import { ServiceName } from "../config/catalog";
import { ServiceEndpoint, primaryAddress } from "../kit/endpoint";

/** Endpoints by catalog name. */
export type Endpoints = Partial<Record<ServiceName, ServiceEndpoint>>;

/** Read access to endpoints by catalog name: what a function that only looks endpoints up takes. */
export interface EndpointLookup {
  get(service: ServiceName): ServiceEndpoint | undefined;
}

export class EndpointRegistry implements EndpointLookup {
  private readonly byService: Endpoints = {};

  /** Records `service`'s endpoint and returns it; a second endpoint for one service is a wiring bug. */
  register(service: ServiceName, endpoint: ServiceEndpoint): ServiceEndpoint {
    if (this.byService[service]) throw new Error(`${service} was registered twice: each service's endpoint comes from the one layer that builds it`);
    this.byService[service] = endpoint;
    return endpoint;
  }

  registerAll(endpoints: Endpoints): void {
    for (const [service, endpoint] of Object.entries(endpoints) as [ServiceName, ServiceEndpoint][]) this.register(service, endpoint);
  }

  get(service: ServiceName): ServiceEndpoint | undefined {
    return this.byService[service];
  }

  /** The services registered so far, in registration order. */
  services(): ServiceName[] {
    return Object.keys(this.byService) as ServiceName[];
  }

  /** "host:port" of each registered service's primary port (the stack's `endpoints` output). */
  addresses(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.byService).map(([service, e]) => [service, primaryAddress(e!)]));
  }
}
