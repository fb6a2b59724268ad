/**
 * The classic Ingress edge, for clusters that already run an Ingress controller: one Ingress per
 * public host on the configured class, TLS from the platform certificate. Only the controller's
 * namespace is admitted to the routed services.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PART_OF } from "../../kit/labels";
import { admit } from "../../kit/network-policy";
import { admitEdgeToAcmeSolvers } from "./acme-solver";
import { uniqueBackends } from "./gateway";
import { PublicRoute } from "./routes";

export interface IngressEdgeArgs {
  routes: PublicRoute[];
  ingressClassName: string;
  controllerNamespace: string;
  /** Name of the TLS Secret, present in every namespace that holds a routed service. */
  tlsSecret: string;
  ambient: boolean;
  /** ACME HTTP-01: namespaces where cert-manager starts solver pods the controller must reach. @default none */
  acmeSolverNamespaces?: string[];
}

export function ingressEdge(args: IngressEdgeArgs, parent: pulumi.Resource): void {
  const labels = { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/component": "edge" };
  for (const route of args.routes) {
    const ns = route.rules[route.rules.length - 1].backend.namespace;
    if (route.rules.some((r) => r.backend.namespace !== ns)) {
      throw new Error(`${route.host}: an Ingress can only route to Services in its own namespace`);
    }
    new k8s.networking.v1.Ingress(
      `${route.service}-ingress`,
      {
        metadata: { name: route.service, namespace: ns, labels },
        spec: {
          ingressClassName: args.ingressClassName,
          tls: [{ hosts: [route.host], secretName: args.tlsSecret }],
          rules: [
            {
              host: route.host,
              http: {
                paths: route.rules.map((rule) => ({
                  path: rule.path,
                  pathType: "Prefix",
                  backend: { service: { name: rule.backend.service, port: { number: rule.port } } },
                })),
              },
            },
          ],
        },
      },
      { parent },
    );
  }
  const controller = { namespace: args.controllerNamespace, selector: {} };
  admitEdgeToAcmeSolvers(args.acmeSolverNamespaces ?? [], controller, args.ambient, labels, parent);
  for (const b of uniqueBackends(args.routes)) {
    admit(
      { name: b.endpoint.service, namespace: b.endpoint.namespace, selector: b.endpoint.selector },
      "edge",
      [controller],
      b.portNames.map((n) => b.endpoint.ports[n]),
      labels,
      parent,
      args.ambient,
    );
  }
}
