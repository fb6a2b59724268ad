/**
 * The edge layer (seed 003 `08-ingress-networking`): HTTPS entry for every public host, through the
 * Gateway API (default) or classic Ingress objects for an existing controller, with certificates
 * from cert-manager.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES, ServiceName } from "../../config/catalog";
import { PlatformConfig } from "../../config/schema";
import { LayerArgs, isDeployed } from "../context";
import { GATEWAY_NAME, gatewayEdge } from "./gateway";
import { ingressEdge } from "./ingress";
import { PublicRoute, publicRoutes } from "./routes";
import { tls } from "./tls";

export interface EdgeLayerArgs extends LayerArgs {
  domain: string;
  edge: PlatformConfig["edge"];
  tls: PlatformConfig["tls"];
}

export class EdgeLayer extends pulumi.ComponentResource {
  readonly routes: PublicRoute[];
  /** Public URLs by service. */
  readonly urls: Partial<Record<ServiceName, string>> = {};

  constructor(name: string, args: EdgeLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:edge:EdgeLayer", name, {}, opts);
    this.routes = publicRoutes(args.edge.publicServices, args.endpoints, args.domain);
    for (const r of this.routes) this.urls[r.service] = `https://${r.host}`;
    const edgeNamespace = NAMESPACES.apps;
    const edge = args.edge;
    const gatewayApi = edge.mode === "gateway-api";

    const byNamespace = new Map<string, string[]>();
    for (const r of this.routes) {
      const ns = gatewayApi ? edgeNamespace : r.rules[r.rules.length - 1].backend.namespace;
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), r.host]);
    }
    const certificates = tls(
      {
        tls: args.tls,
        certificates: [...byNamespace.entries()].map(([namespace, hosts]) => ({ namespace, hosts })),
        certManagerNamespace: NAMESPACES.certManager,
        installCertManager: args.externalCharts && isDeployed(args, "cert-manager"),
        certManagerSize: args.sizes["cert-manager"],
        solver: edge.mode === "gateway-api" ? { gateway: { name: GATEWAY_NAME, namespace: edgeNamespace } } : { ingressClassName: edge.ingressClassName },
      },
      this,
    );

    if (edge.mode === "gateway-api") {
      gatewayEdge(
        {
          namespace: edgeNamespace,
          routes: this.routes,
          tlsSecret: certificates.secretName,
          size: args.sizes["edge-gateway"],
          ambient: args.ambient ?? false,
          acmeSolverNamespaces: certificates.acmeSolverNamespaces,
          certManagerNamespace: NAMESPACES.certManager,
        },
        this,
      );
    } else {
      ingressEdge(
        {
          routes: this.routes,
          ingressClassName: edge.ingressClassName,
          controllerNamespace: edge.controllerNamespace,
          tlsSecret: certificates.secretName,
          ambient: args.ambient ?? false,
          acmeSolverNamespaces: certificates.acmeSolverNamespaces,
        },
        this,
      );
    }
    this.registerOutputs({ urls: this.urls });
  }
}
