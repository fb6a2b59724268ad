// Compliant building blocks for policy tests. Each test starts from a compliant object and breaks
// exactly one thing with `mutate`, so a violation can only come from what the test changed.

import { TestResource } from "./util";

export const NS = "apps";

/** A deep copy of `r` changed by `change` (which edits the copy's props in place). */
export function mutate(r: TestResource, change: (props: any) => void): TestResource {
  const copy = structuredClone(r);
  change(copy.props);
  return copy;
}

/** A container that satisfies every rule. */
export function container(name = "app", overrides: Record<string, any> = {}): Record<string, any> {
  return {
    name,
    image: "ghcr.io/voicehelper/app:1.4.2",
    ports: [{ name: "http", containerPort: 8080 }],
    resources: { requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" }, limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "512Mi" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
    livenessProbe: { httpGet: { path: "/health", port: "http" } },
    readinessProbe: { httpGet: { path: "/ready", port: "http" } },
    ...overrides,
  };
}

/** A pod spec that satisfies every rule. */
export function podSpec(containers: Record<string, any>[] = [container()], extra: Record<string, any> = {}): Record<string, any> {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
    containers,
    ...extra,
  };
}

interface WorkloadOptions {
  namespace?: string;
  replicas?: number;
  spec?: Record<string, any>;
  annotations?: Record<string, string>;
  templateAnnotations?: Record<string, string>;
  templateLabels?: Record<string, string>;
}

function metadata(name: string, namespace: string, annotations?: Record<string, string>) {
  return { name, namespace, labels: { "app.kubernetes.io/name": name }, ...(annotations ? { annotations } : {}) };
}

function template(name: string, o: WorkloadOptions) {
  return {
    metadata: { labels: { "app.kubernetes.io/name": name, ...(o.templateLabels ?? {}) }, ...(o.templateAnnotations ? { annotations: o.templateAnnotations } : {}) },
    spec: o.spec ?? podSpec(),
  };
}

/** A Deployment (apps/v1) with one compliant container. */
export function deployment(name = "api", o: WorkloadOptions = {}): TestResource {
  const namespace = o.namespace ?? NS;
  return {
    type: "kubernetes:apps/v1:Deployment",
    name,
    props: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: metadata(name, namespace, o.annotations),
      spec: { ...(o.replicas !== undefined ? { replicas: o.replicas } : {}), selector: { matchLabels: { "app.kubernetes.io/name": name } }, template: template(name, o) },
    },
  };
}

/** A StatefulSet with one compliant container. */
export function statefulSet(name = "db", o: WorkloadOptions = {}): TestResource {
  const d = deployment(name, o);
  return { ...d, type: "kubernetes:apps/v1:StatefulSet", props: { ...d.props, kind: "StatefulSet", spec: { ...d.props.spec, serviceName: name } } };
}

/** A DaemonSet with one compliant container. */
export function daemonSet(name = "agent", o: WorkloadOptions = {}): TestResource {
  const d = deployment(name, { ...o, replicas: undefined });
  return { ...d, type: "kubernetes:apps/v1:DaemonSet", props: { ...d.props, kind: "DaemonSet" } };
}

/** A Job whose container has no probes (Jobs need none). */
export function job(name = "migrate", o: WorkloadOptions = {}): TestResource {
  const namespace = o.namespace ?? NS;
  const c = container("migrate");
  delete c.livenessProbe;
  delete c.readinessProbe;
  return {
    type: "kubernetes:batch/v1:Job",
    name,
    props: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: metadata(name, namespace, o.annotations),
      spec: { template: { ...template(name, o), spec: o.spec ?? podSpec([c], { restartPolicy: "Never" }) } },
    },
  };
}

/** A CronJob whose container has no probes. */
export function cronJob(name = "backup", o: WorkloadOptions = {}): TestResource {
  const j = job(name, o);
  return {
    type: "kubernetes:batch/v1:CronJob",
    name,
    props: { apiVersion: "batch/v1", kind: "CronJob", metadata: j.props.metadata, spec: { schedule: "0 3 * * *", jobTemplate: { spec: j.props.spec } } },
  };
}

/** A Namespace labelled for Pod Security admission (`level` null: no label). */
export function namespace(name = NS, level: string | null = "restricted", annotations?: Record<string, string>): TestResource {
  return {
    type: "kubernetes:core/v1:Namespace",
    name,
    props: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: level ? { "pod-security.kubernetes.io/enforce": level } : {}, ...(annotations ? { annotations } : {}) } },
  };
}

/** The default-deny NetworkPolicy of a namespace. */
export function defaultDeny(ns = NS): TestResource {
  return {
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    name: `${ns}-default-deny`,
    props: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: ns }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
  };
}

/** A PodDisruptionBudget selecting `app.kubernetes.io/name: <app>`. */
export function pdb(app = "api", ns = NS, spec: Record<string, any> = { maxUnavailable: 1 }): TestResource {
  return {
    type: "kubernetes:policy/v1:PodDisruptionBudget",
    name: `${app}-pdb`,
    props: { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: app, namespace: ns }, spec: { selector: { matchLabels: { "app.kubernetes.io/name": app } }, ...spec } },
  };
}

/** An autoscaling/v2 HPA for a Deployment. */
export function hpa(target = "api", ns = NS, min = 2, max = 10, kind = "Deployment"): TestResource {
  return {
    type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    name: `${target}-hpa`,
    props: {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: target, namespace: ns },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind, name: target }, minReplicas: min, maxReplicas: max },
    },
  };
}

/** A Secret (stringData). */
export function secret(name: string, stringData: Record<string, string>, o: { ns?: string; type?: string; annotations?: Record<string, string> } = {}): TestResource {
  return {
    type: "kubernetes:core/v1:Secret",
    name,
    props: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: o.ns ?? NS, ...(o.annotations ? { annotations: o.annotations } : {}) },
      ...(o.type ? { type: o.type } : {}),
      stringData,
    },
  };
}

/** A ConfigMap. */
export function configMap(name: string, data: Record<string, string>, ns = NS): TestResource {
  return { type: "kubernetes:core/v1:ConfigMap", name, props: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data } };
}

/** A Service. */
export function service(name = "api", type = "ClusterIP", labels: Record<string, string> = {}, ns = NS): TestResource {
  return {
    type: "kubernetes:core/v1:Service",
    name: `${name}-svc`,
    props: { apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns, labels }, spec: { type, selector: { "app.kubernetes.io/name": name }, ports: [{ port: 80, targetPort: "http" }] } },
  };
}

/** A RandomPassword (its result as it looks once known). */
export function randomPassword(name: string): TestResource {
  return { type: "random:index/randomPassword:RandomPassword", name, props: { length: 32, special: false, result: "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0" } };
}

/** A Gateway API Gateway (HTTPS with a certificate, and an HTTP listener for the redirect). */
export function gateway(name = "edge", ns = "edge", customResource = false): TestResource {
  const props = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name, namespace: ns },
    spec: {
      gatewayClassName: "istio",
      listeners: [
        {
          name: "https",
          protocol: "HTTPS",
          port: 443,
          hostname: "*.voicehelper.example",
          tls: { mode: "Terminate", certificateRefs: [{ name: "wildcard-tls" }] },
          allowedRoutes: { namespaces: { from: "All" } },
        },
        { name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "All" } } },
      ],
    },
  };
  return { type: customResource ? "kubernetes:apiextensions.k8s.io:CustomResource" : "kubernetes:gateway.networking.k8s.io/v1:Gateway", name: `${name}-gateway`, props };
}

/** An HTTPRoute to a backend, attached to a listener of the `edge` Gateway (`sectionName` null: every listener). */
export function httpRoute(name = "app", sectionName: string | null = "https", ns = NS): TestResource {
  return {
    type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    name: `${name}-route`,
    props: {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name, namespace: ns },
      spec: {
        parentRefs: [{ name: "edge", namespace: "edge", ...(sectionName ? { sectionName } : {}) }],
        hostnames: ["app.voicehelper.example"],
        rules: [{ backendRefs: [{ name: "frontend", port: 80 }] }],
      },
    },
  };
}

/** The HTTP-to-HTTPS redirect route attached to the HTTP listener. */
export function redirectRoute(ns = "edge"): TestResource {
  return {
    type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    name: "https-redirect",
    props: {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "https-redirect", namespace: ns },
      spec: { parentRefs: [{ name: "edge", sectionName: "http" }], rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }] },
    },
  };
}

/** A small stack that satisfies the whole pack. */
export function compliantStack(): TestResource[] {
  const pw = randomPassword("api-db-password");
  const dbSecret = secret("api-db", { username: "api", password: "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0" });
  dbSecret.propertyDependencies = { stringData: [pw.name] };
  dbSecret.dependencies = [pw.name];
  const apiContainer = container("api", {
    env: [
      { name: "DB_USER", value: "api" },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "api-db", key: "password" } } },
      { name: "DATABASE_URL", value: "postgres://api:$(DB_PASSWORD)@db-rw.apps.svc:5432/api" },
    ],
  });
  return [
    namespace(NS),
    defaultDeny(NS),
    namespace("edge"),
    defaultDeny("edge"),
    pw,
    dbSecret,
    configMap("api-config", { LOG_LEVEL: "info", "app.yaml": "server:\n  port: 8080\n" }),
    deployment("api", { spec: podSpec([apiContainer]) }),
    pdb("api"),
    hpa("api"),
    service("api"),
    gateway(),
    redirectRoute(),
    httpRoute("app"),
    service("edge-gateway", "LoadBalancer", { "voicehelper.io/edge": "true" }, "edge"),
  ];
}
