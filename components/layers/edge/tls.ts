/**
 * Certificates for the public hosts: cert-manager (from its chart) with a ClusterIssuer per config,
 * and one Certificate covering every public host, stored in the Secret the edge serves.
 *   acme         Let's Encrypt, HTTP-01 answered through the edge itself
 *   self-signed  a self-signed root CA and a CA issuer signing the hosts (dev and test clusters)
 *   none         bring your own: create the Secret `public-tls` yourself (e.g. from your own CA)
 */
import * as k8s from "@pulumi/kubernetes";
import * as certmanager from "@pulumi/kubernetes-cert-manager";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../config/images";
import { ServiceSize, TlsConfig } from "../../config/schema";
import { chartResources, ephemeralStorageOnly } from "../../kit/chart-resources";
import { PART_OF } from "../../kit/labels";
import { SCRAPE_ANNOTATIONS } from "../../kit/scrape";

export const TLS_SECRET = "public-tls";
const LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

export interface TlsArgs {
  /** The issuer, and for ACME the account's e-mail. */
  tls: TlsConfig;
  /** The hosts to certify, by the namespace whose edge objects serve them (a TLS Secret is used in its own namespace only). */
  certificates: { namespace: string; hosts: string[] }[];
  certManagerNamespace: string;
  /** Install cert-manager from its chart (false: it is already installed, or charts are unreachable). */
  installCertManager: boolean;
  certManagerSize: ServiceSize;
  /** How ACME's HTTP-01 challenge reaches the solver: through our Gateway, or an Ingress class. */
  solver: { gateway: { name: string; namespace: string } } | { ingressClassName: string };
}

/**
 * cert-manager's HTTP-01 solver pods (docs/edge-tls.md): the labels cert-manager gives every solver
 * pod and the port its acmesolver listens on. They run in the namespace of the Certificate they
 * answer for, so those namespaces must admit the edge to them.
 */
export const ACME_SOLVER = { selector: { "acme.cert-manager.io/http01-solver": "true" }, port: 8089 } as const;

/** The controller flag that turns on cert-manager's Gateway API support (off by default). */
export const CERT_MANAGER_GATEWAY_API_FLAG = "--enable-gateway-api";

export interface TlsOutputs {
  secretName: string;
  /** The issuer, when this program manages certificates. */
  issuerName?: string;
  /** Namespaces where ACME HTTP-01 solver pods will run (those of the Certificates), when the issuer is ACME. */
  acmeSolverNamespaces: string[];
}

export function tls(args: TlsArgs, parent: pulumi.Resource): TlsOutputs {
  if (args.tls.issuer === "none" || args.certificates.length === 0) return { secretName: TLS_SECRET, acmeSolverNamespaces: [] };
  const gatewaySolver = args.tls.issuer === "acme" && "gateway" in args.solver;
  const labels = { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": "pulumi" };
  const resources = chartResources(args.certManagerSize);
  const secure = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
  const deps: pulumi.Resource[] = [];
  if (args.installCertManager) {
    deps.push(
      new certmanager.CertManager(
        "cert-manager",
        {
          installCRDs: true,
          helmOptions: { namespace: args.certManagerNamespace, version: CHARTS.certManager.version, repositoryOpts: { repo: CHARTS.certManager.repo } },
          // HTTP-01 through a Gateway needs cert-manager's Gateway API support (nothing else here does); without the Gateway API
          // CRDs the flag would stop the controller, so Ingress mode leaves it off.
          extraArgs: gatewaySolver ? [CERT_MANAGER_GATEWAY_API_FLAG] : [],
          resources,
          containerSecurityContext: secure,
          cainjector: { resources, containerSecurityContext: secure },
          webhook: { resources, containerSecurityContext: secure },
          // Pulumi already waits for the webhook to be ready; the chart's check job would only repeat that.
          startupapicheck: { enabled: false },
          // The chart annotates the controller's pods for scraping (port 9402); its certificate metrics
          // carry each certificate's own namespace, which Prometheus keeps only in its exporters job.
          prometheus: { enabled: true },
          podAnnotations: { [SCRAPE_ANNOTATIONS.honorLabels]: "true" },
        },
        { parent },
      ),
    );
  }
  const opts = { parent, dependsOn: deps };
  const cr = (name: string, kind: string, metadata: Record<string, unknown>, spec: Record<string, unknown>) =>
    new k8s.apiextensions.CustomResource(name, { apiVersion: "cert-manager.io/v1", kind, metadata: { ...metadata, labels }, spec }, opts);

  let issuerName: string;
  if (args.tls.issuer === "acme") {
    issuerName = "letsencrypt";
    // ClusterIP: cert-manager's default solver Service is a NodePort, which the namespaces' quota refuses.
    // The solver pods' CPU and memory come from the controller's flags; the pod template adds bounded
    // ephemeral storage, merged key by key over those (docs/edge-tls.md).
    const podTemplate = { spec: { resources: ephemeralStorageOnly() } };
    const http01 =
      "gateway" in args.solver
        ? {
            gatewayHTTPRoute: {
              serviceType: "ClusterIP",
              parentRefs: [{ name: args.solver.gateway.name, namespace: args.solver.gateway.namespace, sectionName: "http", kind: "Gateway" }],
              podTemplate,
            },
          }
        : { ingress: { serviceType: "ClusterIP", ingressClassName: args.solver.ingressClassName, podTemplate } };
    cr(
      "letsencrypt-issuer",
      "ClusterIssuer",
      { name: issuerName },
      {
        acme: { server: LETS_ENCRYPT, email: args.tls.email, privateKeySecretRef: { name: "letsencrypt-account-key" }, solvers: [{ http01 }] },
      },
    );
  } else {
    // A self-signed root, then a CA issuer that signs the hosts: clients can trust one root.
    cr("selfsigned-issuer", "ClusterIssuer", { name: "voicehelper-selfsigned" }, { selfSigned: {} });
    cr(
      "root-ca",
      "Certificate",
      { name: "voicehelper-root-ca", namespace: args.certManagerNamespace },
      {
        isCA: true,
        commonName: "VoiceHelper root CA",
        secretName: "voicehelper-root-ca",
        duration: "87600h",
        privateKey: { algorithm: "ECDSA", size: 256 },
        issuerRef: { name: "voicehelper-selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" },
      },
    );
    issuerName = "voicehelper-ca";
    cr("ca-issuer", "ClusterIssuer", { name: issuerName }, { ca: { secretName: "voicehelper-root-ca" } });
  }
  for (const c of args.certificates) {
    cr(
      `public-certificate-${c.namespace}`,
      "Certificate",
      { name: "public", namespace: c.namespace },
      {
        secretName: TLS_SECRET,
        dnsNames: c.hosts,
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        issuerRef: { name: issuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
      },
    );
  }
  return { secretName: TLS_SECRET, issuerName, acmeSolverNamespaces: args.tls.issuer === "acme" ? args.certificates.map((c) => c.namespace) : [] };
}
