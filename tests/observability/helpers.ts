/** Small readers for the observability tests: config files inside ConfigMaps, secret stringData. */
import { parse } from "yaml";
import { NAMESPACES, PLATFORM_NAMESPACES } from "../../components/config/catalog";
import { ServiceEndpoint } from "../../components/kit/endpoint";
import { Rendered, render } from "../harness";

export const MONITORING = "voicehelper-monitoring";

/** The text of one key of a ConfigMap in the monitoring namespace. */
export function configText(r: Rendered, configMap: string, key: string): string {
  const data = r.object("kubernetes:core/v1:ConfigMap", configMap, MONITORING).inputs.data ?? {};
  if (typeof data[key] !== "string") throw new Error(`ConfigMap ${configMap} has no key ${key} (keys: ${Object.keys(data).join(", ")})`);
  return data[key];
}

/** One key of a ConfigMap, parsed as YAML (JSON is YAML too). */
export function configFile(r: Rendered, configMap: string, key: string): any {
  return parse(configText(r, configMap, key));
}

export function statefulSet(r: Rendered, name: string): any {
  return r.object("kubernetes:apps/v1:StatefulSet", name, MONITORING).inputs;
}

export function mainContainer(r: Rendered, name: string): any {
  return statefulSet(r, name).spec.template.spec.containers[0];
}

/** The platform namespaces a rendered stack creates (sorted): the ones it may watch and scrape. */
export function platformNamespaces(r: Rendered): string[] {
  const platform = PLATFORM_NAMESPACES.map((role) => NAMESPACES[role]) as string[];
  return r
    .ofType("kubernetes:core/v1:Namespace")
    .map((n) => n.inputs.metadata.name as string)
    .filter((n) => platform.includes(n))
    .sort();
}

/** `render` from the harness's render cache (the observability tests only read). */
export function renderOnce(stack: string, overrides: Record<string, unknown> = {}, secrets?: Record<string, string>): Promise<Rendered> {
  return render(stack, overrides, secrets);
}

/** Elasticsearch as the storage layer offers it. */
export const ELASTICSEARCH: ServiceEndpoint = {
  service: "elasticsearch",
  namespace: "voicehelper-storage",
  host: "elasticsearch.voicehelper-storage.svc.cluster.local",
  selector: { "app.kubernetes.io/name": "elasticsearch", "app.kubernetes.io/component": "search", "app.kubernetes.io/part-of": "voicehelper" },
  ports: { http: 9200 },
  primaryPort: "http",
};

/** The dev stack, whose storage layer deploys Elasticsearch (cached). */
export function renderWithElasticsearch(): Promise<Rendered> {
  return renderOnce("dev");
}
