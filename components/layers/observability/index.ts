/**
 * The observability layer (seed 003 `06-monitoring-stack`): Prometheus with seed 003's alert rules,
 * Alertmanager, Grafana, and Jaeger and Fluentd on Elasticsearch. A service whose store is not
 * deployed yet (Jaeger or Fluentd without Elasticsearch) is skipped and reported in `skipped`.
 */
import * as pulumi from "@pulumi/pulumi";
import { CATALOG, NAMESPACES, PLATFORM_NAMESPACES, ServiceName } from "../../config/catalog";
import { IMAGES } from "../../config/images";
import { PlatformConfig } from "../../config/schema";
import { Endpoints, LayerArgs, contextFor, dependenciesOf, isDeployed } from "../context";
import { ElasticsearchIndices } from "../storage/elasticsearch-indices";
import { alertmanager } from "./alertmanager";
import { AlertThresholds, OBSERVABILITY_DEFAULTS } from "./defaults";
import { grafana } from "./grafana";
import { ElasticsearchAuth } from "./elasticsearch";
import { fluentd } from "./fluentd";
import { jaeger } from "./jaeger";
import { kubeStateMetrics } from "./kube-state-metrics";
import { prometheus } from "./prometheus";
import { alertRules } from "./rules";

export { prometheusScrapers } from "./prometheus";
export { samplingRateOf, tracingCollector } from "./jaeger";

export interface ObservabilityLayerArgs extends LayerArgs {
  /** The `cluster` label on alerts (the stack name): Alertmanager groups by it. */
  clusterName: string;
  alerting: PlatformConfig["alerting"];
  metrics: PlatformConfig["metrics"];
  /** Endpoints of the layers below. */
  endpoints: Endpoints;
  /** Alert thresholds. @default OBSERVABILITY_DEFAULTS.thresholds (seed 003) */
  thresholds?: AlertThresholds;
  /** Fluentd's (`logs`) and Jaeger's (`traces`) own Elasticsearch users, when its security is on. @default no authentication */
  elasticsearchAuth?: { logs: ElasticsearchAuth; traces: ElasticsearchAuth; logsReader: ElasticsearchAuth };
  /** The indices Jaeger and Fluentd write (named, and expired, by the storage layer); required with Elasticsearch. */
  elasticsearchIndices?: ElasticsearchIndices;
}

export class ObservabilityLayer extends pulumi.ComponentResource {
  readonly endpoints: Endpoints = {};
  /** Selected services not created because a store they need is not deployed (yet). */
  readonly skipped: ServiceName[] = [];

  constructor(name: string, args: ObservabilityLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:observability:ObservabilityLayer", name, {}, opts);
    const deployed = [...args.services];
    const endpoints = (): Endpoints => ({ ...args.endpoints, ...this.endpoints });
    const indices = (): ElasticsearchIndices => {
      if (!args.elasticsearchIndices) throw new Error("Elasticsearch is deployed but the platform passed no elasticsearchIndices: wire the storage layer's outputs");
      return args.elasticsearchIndices;
    };

    // The platform namespaces this stack creates: the only ones watched and scraped.
    const watched = PLATFORM_NAMESPACES.filter((role) => deployed.some((s) => CATALOG[s].namespace === role)).map((role) => NAMESPACES[role]);

    if (isDeployed(args, "kube-state-metrics")) {
      this.endpoints["kube-state-metrics"] = kubeStateMetrics(
        { image: IMAGES.kubeStateMetrics, size: args.sizes["kube-state-metrics"], namespaces: watched },
        contextFor(args, "kube-state-metrics", "platform"),
        this,
      );
    }

    let alertmanagerTargets: string[] = [];
    if (isDeployed(args, "alertmanager")) {
      const am = alertmanager({ image: IMAGES.alertmanager, size: args.sizes.alertmanager, alerting: args.alerting }, contextFor(args, "alertmanager", "platform"), this);
      this.endpoints.alertmanager = am.endpoint;
      alertmanagerTargets = am.targets;
    }

    if (isDeployed(args, "prometheus")) {
      this.endpoints.prometheus = prometheus(
        {
          image: IMAGES.prometheus,
          size: args.sizes.prometheus,
          clusterName: args.clusterName,
          namespaces: watched,
          // cert-manager's controller exports every certificate's expiry (CertificateExpiringSoon).
          operatorNamespaces: deployed.includes("cert-manager") ? [NAMESPACES.certManager] : [],
          kubeletTls: args.metrics.kubeletTls,
          alertmanagers: alertmanagerTargets,
          rules: alertRules(args.thresholds ?? OBSERVABILITY_DEFAULTS.thresholds),
          dependencies: dependenciesOf("prometheus", endpoints(), deployed),
        },
        contextFor(args, "prometheus", "platform"),
        this,
      ).endpoint;
    }

    if (isDeployed(args, "jaeger")) {
      const es = args.endpoints.elasticsearch;
      if (!es) this.skipped.push("jaeger");
      else {
        this.endpoints.jaeger = jaeger(
          {
            image: IMAGES.jaeger,
            size: args.sizes.jaeger,
            elasticsearch: es,
            elasticsearchAuth: args.elasticsearchAuth?.traces,
            indexPrefix: indices().traces,
            indexReplicas: args.sizes.elasticsearch.replicas > 1 ? 1 : 0,
            // The in-house services reach Jaeger as a dependency (kit/tracing.ts): each is admitted by name.
            dependencies: dependenciesOf("jaeger", endpoints(), deployed),
          },
          contextFor(args, "jaeger", "platform"),
          this,
        );
      }
    }

    if (isDeployed(args, "fluentd")) {
      const es = args.endpoints.elasticsearch;
      if (!es) this.skipped.push("fluentd");
      else {
        const ctx = contextFor(args, "fluentd", "platform");
        fluentd(
          {
            image: IMAGES.fluentd,
            size: args.sizes.fluentd,
            namespace: ctx.namespace,
            elasticsearch: es,
            elasticsearchAuth: args.elasticsearchAuth?.logs,
            indexPrefix: indices().logs,
            dependencies: dependenciesOf("fluentd", endpoints(), deployed),
          },
          ctx,
          this,
        );
      }
    }

    if (isDeployed(args, "grafana")) {
      const all = endpoints();
      if (!all.prometheus) throw new Error("grafana needs prometheus, which this stack does not deploy");
      this.endpoints.grafana = grafana(
        {
          image: IMAGES.grafana,
          size: args.sizes.grafana,
          prometheus: all.prometheus,
          jaeger: all.jaeger,
          // Fluentd's logs, where Fluentd ships them.
          logs: all.elasticsearch && deployed.includes("fluentd") ? { elasticsearch: all.elasticsearch, index: `${indices().logs}-*`, auth: args.elasticsearchAuth?.logsReader } : undefined,
          dependencies: dependenciesOf("grafana", all, deployed),
        },
        contextFor(args, "grafana", "platform"),
        this,
      ).endpoint;
    }
    this.registerOutputs({ endpoints: this.endpoints });
  }
}
