/**
 * The service mesh (seed 003 `07-service-mesh`): Istio in ambient mode, STRICT mTLS in every platform
 * namespace.
 *
 * Why ambient rather than sidecars: sidecar injection adds an init container with NET_ADMIN to every
 * pod (or needs the CNI agent anyway), which breaks Pod Security `restricted` in the platform
 * namespaces, and a proxy per pod costs ~100m CPU and 128Mi each across ~80 pods. Ambient keeps
 * application pods untouched and restricted: one ztunnel per node does mTLS, and only istio-system
 * runs privileged (the CNI agent and ztunnel configure node networking), as a named exception.
 *
 * istiod is also the Gateway API implementation of the edge, so it is installed whenever the edge
 * uses the Gateway API, with the mesh or without it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES, NamespaceRole } from "../../config/catalog";
import { CHARTS } from "../../config/images";
import { ServiceSize } from "../../config/schema";
import { chartResources } from "../../kit/chart-resources";
import { PART_OF } from "../../kit/labels";

export interface MeshLayerArgs {
  /** Ambient mesh with STRICT mTLS (false: istiod only, for the Gateway API edge). */
  mesh: boolean;
  /** Install from the Istio charts (false: Istio is already installed, or charts are unreachable). */
  installCharts: boolean;
  /** Platform namespaces that get STRICT mTLS. */
  meshedNamespaces: NamespaceRole[];
  sizes: { istiod: ServiceSize; ztunnel: ServiceSize; "istio-cni": ServiceSize };
}

/** Namespace label that enrols a namespace's pods in the ambient mesh. */
export const AMBIENT_LABEL = { "istio.io/dataplane-mode": "ambient" } as const;
/** Reason recorded on istio-system's relaxed Pod Security level. */
export const ISTIO_SYSTEM_PRIVILEGED = "the Istio CNI agent and ztunnel configure each node's pod networking (ambient mode): they need host access";

export class MeshLayer extends pulumi.ComponentResource {
  constructor(name: string, args: MeshLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:mesh:MeshLayer", name, {}, opts);
    const ns = NAMESPACES.istio;
    const charts: pulumi.Resource[] = [];
    const chart = (key: keyof typeof CHARTS, values: Record<string, unknown>, dependsOn: pulumi.Resource[] = []) => {
      const c = CHARTS[key];
      const release = new k8s.helm.v4.Chart(`istio-${c.chart}`, { chart: c.chart, version: c.version, repositoryOpts: { repo: c.repo }, namespace: ns, values }, { parent: this, dependsOn });
      charts.push(release);
      return release;
    };

    if (args.installCharts) {
      const base = chart("istioBase", { defaultRevision: "default" });
      const istiod = args.sizes.istiod;
      const auto = istiod.autoscaling;
      const control = chart(
        "istiod",
        {
          ...(args.mesh ? { profile: "ambient" } : {}),
          pilot: {
            resources: chartResources(istiod),
            autoscaleEnabled: auto !== undefined,
            ...(auto ? { autoscaleMin: auto.minReplicas, autoscaleMax: auto.maxReplicas } : { replicaCount: istiod.replicas }),
          },
          global: { logAsJson: true },
        },
        [base],
      );
      if (args.mesh) {
        // The cni chart's DaemonSet reads top-level `resources` (it has no `cni:` scope; docs/images.md).
        chart("istioCni", { profile: "ambient", resources: chartResources(args.sizes["istio-cni"]) }, [control]);
        chart("ztunnel", { resources: chartResources(args.sizes.ztunnel) }, [control]);
      }
    }

    if (args.mesh) {
      for (const role of args.meshedNamespaces) {
        new k8s.apiextensions.CustomResource(
          `${role}-mtls-strict`,
          {
            apiVersion: "security.istio.io/v1",
            kind: "PeerAuthentication",
            metadata: { name: "default", namespace: NAMESPACES[role], labels: { "app.kubernetes.io/part-of": PART_OF } },
            spec: { mtls: { mode: "STRICT" } },
          },
          { parent: this, dependsOn: charts },
        );
      }
    }
    this.registerOutputs({});
  }
}
