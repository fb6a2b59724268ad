/**
 * The public routes: which deployed services the edge exposes, at which host and paths. Derived from
 * the catalog's `public` entries and `edge.expose`, so nothing internal is reachable by accident.
 */
import { CATALOG, ServiceName } from "../../config/catalog";
import { ServiceEndpoint, primaryPortNumber } from "../../kit/endpoint";
import { EndpointLookup } from "../endpoint-registry";

export interface RouteRule {
  /** Path prefix; "/" for everything not matched by a longer prefix. */
  path: string;
  backend: ServiceEndpoint;
  port: number;
}

export interface PublicRoute {
  /** The service the host belongs to. */
  service: ServiceName;
  host: string;
  rules: RouteRule[];
}

/**
 * PostHog's ingestion paths go to the capture services, flags to the flags service, webhooks to the
 * plugin server; everything else to the Django web app (PostHog's own self-hosted routing).
 */
const POSTHOG_PATHS: { path: string; service: ServiceName }[] = [
  { path: "/e", service: "posthog-capture" },
  { path: "/i/v0", service: "posthog-capture" },
  { path: "/batch", service: "posthog-capture" },
  { path: "/capture", service: "posthog-capture" },
  { path: "/s", service: "posthog-replay-capture" },
  { path: "/flags", service: "posthog-feature-flags" },
  { path: "/public/webhooks", service: "posthog-plugins" },
  { path: "/public/m", service: "posthog-plugins" },
];

export function hostOf(service: ServiceName, domain: string): string {
  const h = CATALOG[service].public?.host;
  if (h === undefined) throw new Error(`${service} is never public`);
  return h === "" ? domain : `${h}.${domain}`;
}

/** Routes for the public services that this stack deploys. */
export function publicRoutes(publicServices: readonly ServiceName[], endpoints: EndpointLookup, domain: string): PublicRoute[] {
  const routes: PublicRoute[] = [];
  for (const service of publicServices) {
    const backend = endpoints.get(service);
    if (!backend) continue;
    const rules: RouteRule[] = [];
    if (service === "posthog-web") {
      for (const p of POSTHOG_PATHS) {
        const e = endpoints.get(p.service);
        if (e) rules.push({ path: p.path, backend: e, port: primaryPortNumber(e) });
      }
    }
    rules.push({ path: "/", backend, port: primaryPortNumber(backend) });
    routes.push({ service, host: hostOf(service, domain), rules });
  }
  return routes;
}
