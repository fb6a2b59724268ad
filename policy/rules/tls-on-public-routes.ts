import { GATEWAY_GROUP, K8sObject } from "../lib/k8s";
import { Finding, StackObject, stackRule } from "../lib/rule";
import { asArray, asNumber, asObject, asString } from "../lib/values";

const ROUTE_KINDS = new Set(["HTTPRoute", "GRPCRoute"]);

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (pattern.startsWith("*.")) {
    const suffix = pattern.slice(1);
    return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes(".") && host.length > suffix.length;
  }
  return false;
}

function hostnamesIntersect(listenerHost: string | undefined, routeHosts: string[]): boolean {
  if (!listenerHost || routeHosts.length === 0) return true;
  return routeHosts.some((h) => hostMatches(listenerHost, h) || hostMatches(h, listenerHost) || h === "*");
}

/** True when `route` attaches to listener `l` of `gw` (parentRefs, sectionName/port, allowedRoutes, hostnames). */
export function attaches(route: K8sObject, gw: K8sObject, l: Record<string, any>): boolean {
  const allowedFrom = asString(asObject(asObject(l.allowedRoutes)?.namespaces)?.from) ?? "Same";
  if (allowedFrom === "Same" && route.namespace !== gw.namespace) return false;
  const routeHosts = asArray(asObject(route.props.spec)?.hostnames).map((h) => String(h));
  if (!hostnamesIntersect(asString(l.hostname), routeHosts)) return false;
  return asArray(asObject(route.props.spec)?.parentRefs).some((raw) => {
    const pr = asObject(raw) ?? {};
    if ((asString(pr.group) ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (asString(pr.kind) ?? "Gateway") !== "Gateway") return false;
    if (asString(pr.name) !== gw.name || (asString(pr.namespace) ?? route.namespace) !== gw.namespace) return false;
    if (pr.sectionName !== undefined && pr.sectionName !== l.name) return false;
    return pr.port === undefined || asNumber(pr.port) === asNumber(l.port);
  });
}

/** True when every rule of an HTTPRoute only redirects to https. */
export function isHttpsRedirectOnly(route: K8sObject): boolean {
  if (route.kind !== "HTTPRoute") return false;
  const rules = asArray(asObject(route.props.spec)?.rules);
  return (
    rules.length > 0 &&
    rules.every((raw) => {
      const rule = asObject(raw) ?? {};
      const redirects = asArray(rule.filters).some((f) => {
        const filter = asObject(f) ?? {};
        return filter.type === "RequestRedirect" && asString(asObject(filter.requestRedirect)?.scheme) === "https";
      });
      return redirects && asArray(rule.backendRefs).length === 0;
    })
  );
}

function checkGateway(gw: StackObject, routes: StackObject[]): Finding[] {
  const k = gw.k8s as K8sObject;
  const findings: Finding[] = [];
  for (const raw of asArray(asObject(k.props.spec)?.listeners)) {
    const l = asObject(raw) ?? {};
    const name = asString(l.name) ?? "?";
    const protocol = asString(l.protocol);
    const tls = asObject(l.tls) ?? {};
    const mode = asString(tls.mode) ?? "Terminate";
    const certs = asArray(tls.certificateRefs);
    if (protocol === "HTTPS" && (mode !== "Terminate" || certs.length === 0)) {
      findings.push({ message: `${k.id}: HTTPS listener "${name}" has no tls.certificateRefs (or does not terminate TLS)`, target: gw });
    } else if (protocol === "TLS" && mode === "Terminate" && certs.length === 0) {
      findings.push({ message: `${k.id}: TLS listener "${name}" terminates TLS without tls.certificateRefs`, target: gw });
    } else if (protocol === "HTTP") {
      for (const r of routes) {
        const route = r.k8s as K8sObject;
        if (attaches(route, k, l) && !isHttpsRedirectOnly(route)) {
          findings.push({
            message: `${route.id} serves plain HTTP on listener "${name}" of ${k.id}; only an https RequestRedirect may attach to an HTTP listener`,
            target: r,
          });
        }
      }
    }
  }
  return findings;
}

function checkIngress(o: StackObject): Finding[] {
  const k = o.k8s as K8sObject;
  const spec = asObject(k.props.spec) ?? {};
  const tls = asArray(spec.tls).map((t) => asObject(t) ?? {});
  const covered = tls.flatMap((t) => asArray(t.hosts).map((h) => String(h)));
  const findings: Finding[] = [];
  tls.forEach((t, i) => {
    if (!asString(t.secretName)) {
      findings.push({ message: `${k.id}: spec.tls[${i}] has no secretName`, target: o });
    }
  });
  const rules = asArray(spec.rules).map((r) => asObject(r) ?? {});
  if (rules.length === 0 && spec.defaultBackend !== undefined) {
    findings.push({ message: `${k.id}: a defaultBackend without host rules cannot be covered by TLS`, target: o });
  }
  for (const r of rules) {
    const host = asString(r.host);
    if (host === undefined) {
      findings.push({ message: `${k.id}: a rule without host cannot be covered by spec.tls`, target: o });
    } else if (!covered.some((c) => hostMatches(c, host))) {
      findings.push({ message: `${k.id}: host ${host} is not covered by spec.tls`, target: o });
    }
  }
  return findings;
}

/** Public routes use TLS: HTTPS listeners have certificates, HTTP listeners only redirect, Ingress hosts are in spec.tls. */
export const tlsOnPublicRoutes = stackRule({
  name: "tls-on-public-routes",
  description:
    "Gateway API: HTTPS listeners need tls.certificateRefs, and only HTTPRoutes that redirect to https (RequestRedirect scheme https, no backends) may attach to an HTTP listener. Ingress: spec.tls (with secretName) must cover every rule host.",
  remediationSteps:
    "Give each HTTPS listener a cert-manager certificate; attach the app routes to the HTTPS listener (sectionName) and only the redirect route to the HTTP one; list every Ingress host under spec.tls.",
  check: (objects) => {
    const gatewayApi = objects.filter((o) => o.k8s?.group === GATEWAY_GROUP);
    const routes = gatewayApi.filter((o) => ROUTE_KINDS.has(o.k8s?.kind ?? ""));
    const findings: Finding[] = [];
    for (const gw of gatewayApi.filter((o) => o.k8s?.kind === "Gateway")) {
      findings.push(...checkGateway(gw, routes));
    }
    for (const ing of objects.filter((o) => o.k8s?.kind === "Ingress" && o.k8s.group === "networking.k8s.io")) {
      findings.push(...checkIngress(ing));
    }
    return findings;
  },
});
