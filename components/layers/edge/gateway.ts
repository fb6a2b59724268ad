/**
 * The Gateway API edge (ingress-nginx is retired): one Gateway implemented by Istio, an HTTPS listener
 * serving every public host with the platform certificate, an HTTP listener that only redirects to
 * HTTPS, and one HTTPRoute per public host. Istio deploys the Gateway's proxy; its size comes from the
 * sizing tables through the Gateway's parameters ConfigMap.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { NAMESPACES } from "../../config/catalog";
import { ServiceSize } from "../../config/schema";
import { disruptionBudgetSpec } from "../../kit/disruption";
import { Peer } from "../../kit/endpoint";
import { PART_OF } from "../../kit/labels";
import { admit, workloadPolicies } from "../../kit/network-policy";
import { admitEdgeToAcmeSolvers, egressToAcmeSolvers } from "./acme-solver";
import { PublicRoute } from "./routes";

export const GATEWAY_NAME = "public";
const GATEWAY_API = "gateway.networking.k8s.io/v1";
const HTTP_PORT = 80;
const HTTPS_PORT = 443;

export interface GatewayEdgeArgs {
  namespace: string;
  routes: PublicRoute[];
  tlsSecret: string;
  size: ServiceSize;
  /** Backends are in the ambient mesh: the proxy reaches them over HBONE. */
  ambient: boolean;
  /** ACME HTTP-01: the namespaces of the solver pods the proxy forwards challenges to. @default none */
  acmeSolverNamespaces?: string[];
  /** ACME HTTP-01: cert-manager's namespace, whose controller checks each challenge through the public route first. */
  certManagerNamespace?: string;
}

/** The labels Istio puts on the pods it deploys for a Gateway. */
export function gatewayPods(namespace: string): Peer {
  return { namespace, selector: { "gateway.networking.k8s.io/gateway-name": GATEWAY_NAME } };
}

export function gatewayEdge(args: GatewayEdgeArgs, parent: pulumi.Resource): void {
  const labels = { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/component": "edge" };
  const ns = args.namespace;
  const opts = { parent };
  const a = args.size.autoscaling;

  // Istio reads these overlays when it deploys the Gateway's proxy: resources, spreading, HPA and PDB.
  const parameters = new k8s.core.v1.ConfigMap(
    "edge-gateway-parameters",
    {
      metadata: { name: "edge-gateway-parameters", namespace: ns, labels },
      data: {
        deployment: stringify({
          spec: {
            ...(a ? {} : { replicas: args.size.replicas }),
            template: {
              spec: {
                containers: [{ name: "istio-proxy", resources: { requests: args.size.resources.requests, limits: args.size.resources.limits } }],
                topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: gatewayPods(ns).selector } }],
              },
            },
          },
        }),
        ...(a
          ? {
              horizontalPodAutoscaler: stringify({
                spec: {
                  minReplicas: a.minReplicas,
                  maxReplicas: a.maxReplicas,
                  metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: a.cpuUtilization } } }],
                },
              }),
            }
          : {}),
        ...((a?.minReplicas ?? args.size.replicas) > 1 ? { podDisruptionBudget: stringify({ spec: disruptionBudgetSpec() }) } : {}),
      },
    },
    opts,
  );

  const gateway = new k8s.apiextensions.CustomResource(
    "public-gateway",
    {
      apiVersion: GATEWAY_API,
      kind: "Gateway",
      metadata: { name: GATEWAY_NAME, namespace: ns, labels },
      spec: {
        gatewayClassName: "istio",
        infrastructure: { labels: { "app.kubernetes.io/part-of": PART_OF }, parametersRef: { group: "", kind: "ConfigMap", name: parameters.metadata.name } },
        listeners: [
          { name: "http", protocol: "HTTP", port: HTTP_PORT, allowedRoutes: { namespaces: { from: "Same" } } },
          {
            name: "https",
            protocol: "HTTPS",
            port: HTTPS_PORT,
            tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: args.tlsSecret }] },
            // Routes live next to the Gateway; backends in other namespaces are granted by ReferenceGrants.
            allowedRoutes: { namespaces: { from: "Same" } },
          },
        ],
      },
    },
    opts,
  );
  const routeOpts = { parent, dependsOn: [gateway] };

  new k8s.apiextensions.CustomResource(
    "https-redirect",
    {
      apiVersion: GATEWAY_API,
      kind: "HTTPRoute",
      metadata: { name: "https-redirect", namespace: ns, labels },
      spec: {
        parentRefs: [{ name: GATEWAY_NAME, sectionName: "http" }],
        hostnames: args.routes.map((r) => r.host),
        rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
      },
    },
    routeOpts,
  );

  const grantedNamespaces = new Set<string>();
  for (const route of args.routes) {
    new k8s.apiextensions.CustomResource(
      `${route.service}-route`,
      {
        apiVersion: GATEWAY_API,
        kind: "HTTPRoute",
        metadata: { name: route.service, namespace: ns, labels },
        spec: {
          parentRefs: [{ name: GATEWAY_NAME, sectionName: "https" }],
          hostnames: [route.host],
          rules: route.rules.map((rule) => ({
            matches: [{ path: { type: "PathPrefix", value: rule.path } }],
            backendRefs: [{ name: rule.backend.service, namespace: rule.backend.namespace, port: rule.port }],
          })),
        },
      },
      routeOpts,
    );
    for (const rule of route.rules) if (rule.backend.namespace !== ns) grantedNamespaces.add(rule.backend.namespace);
  }

  // A route may only send traffic to another namespace's Services where that namespace allows it.
  for (const target of grantedNamespaces) {
    new k8s.apiextensions.CustomResource(
      `edge-grant-${target}`,
      {
        apiVersion: "gateway.networking.k8s.io/v1beta1",
        kind: "ReferenceGrant",
        metadata: { name: "from-public-routes", namespace: target, labels },
        spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: ns }], to: [{ group: "", kind: "Service" }] },
      },
      opts,
    );
  }

  // The proxy takes traffic from anywhere on its listeners, reaches only the routed backends and istiod.
  const pods = gatewayPods(ns);
  const backends = uniqueBackends(args.routes);
  workloadPolicies(
    {
      name: "edge-gateway",
      namespace: ns,
      selector: pods.selector,
      labels,
      dependencies: backends.map((b) => ({ endpoint: b.endpoint, ports: b.portNames })),
      admissions: [],
      ambient: args.ambient,
      egress: [
        {
          role: "istiod",
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": NAMESPACES.istio } }, podSelector: { matchLabels: { app: "istiod" } } }],
          ports: [{ protocol: "TCP", port: 15012 }],
        },
        ...egressToAcmeSolvers(args.acmeSolverNamespaces ?? [], args.ambient),
      ],
    },
    parent,
  );
  admit({ name: "edge-gateway", ...pods }, "internet", "anywhere", [HTTP_PORT, HTTPS_PORT], labels, parent);
  const solverNamespaces = args.acmeSolverNamespaces ?? [];
  if (solverNamespaces.length > 0) {
    admitEdgeToAcmeSolvers(solverNamespaces, pods, args.ambient, labels, parent);
    // Many CNIs do not match in-cluster sources against an ipBlock, so the "internet" rule does not
    // cover cert-manager's self-check when it reaches the public address from inside the cluster.
    if (args.certManagerNamespace) admit({ name: "edge-gateway", ...pods }, "acme-self-check", [{ namespace: args.certManagerNamespace, selector: {} }], [HTTP_PORT], labels, parent);
  }
}

/** Each routed backend once, with the names of the ports the routes use. */
export function uniqueBackends(routes: PublicRoute[]) {
  const byService = new Map<string, { endpoint: PublicRoute["rules"][number]["backend"]; portNames: string[] }>();
  for (const rule of routes.flatMap((r) => r.rules)) {
    const portName = Object.entries(rule.backend.ports).find(([, p]) => p === rule.port)![0];
    const entry = byService.get(rule.backend.service) ?? { endpoint: rule.backend, portNames: [] };
    if (!entry.portNames.includes(portName)) entry.portNames.push(portName);
    byService.set(rule.backend.service, entry);
  }
  return [...byService.values()];
}
