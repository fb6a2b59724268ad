/**
 * The contract between the pods Prometheus scrapes and Prometheus' pod discovery: the annotations the
 * kit puts on a pod, and the discovery labels Prometheus derives from them. Both sides import this,
 * so an annotation cannot be renamed on one side only.
 */

export const SCRAPE_ANNOTATIONS = {
  enabled: "prometheus.io/scrape",
  port: "prometheus.io/port",
  path: "prometheus.io/path",
  /**
   * The pod exports series about other objects (kube-state-metrics: other pods' namespace, pod and
   * container). Prometheus must keep those labels instead of overwriting them with the exporter's own
   * pod, which needs `honor_labels` and therefore a scrape job of its own.
   */
  honorLabels: "voicehelper.io/scrape-honor-labels",
} as const;

export interface ScrapeTarget {
  port: number;
  path: string;
  /** See SCRAPE_ANNOTATIONS.honorLabels. @default false */
  honorLabels?: boolean;
}

export function podScrapeAnnotations(t: ScrapeTarget): Record<string, string> {
  return {
    [SCRAPE_ANNOTATIONS.enabled]: "true",
    [SCRAPE_ANNOTATIONS.port]: String(t.port),
    [SCRAPE_ANNOTATIONS.path]: t.path,
    ...(t.honorLabels ? { [SCRAPE_ANNOTATIONS.honorLabels]: "true" } : {}),
  };
}

/** The label Prometheus' pod discovery gives a pod annotation (non-alphanumerics become "_"). */
export function discoveryLabel(annotation: string): string {
  return `__meta_kubernetes_pod_annotation_${annotation.replace(/[^A-Za-z0-9_]/g, "_")}`;
}
