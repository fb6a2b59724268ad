/**
 * The observability layer (seed 003 `06-monitoring-stack`): Prometheus with seed 003's alert rules,
 * Alertmanager, Grafana, and Jaeger and Fluentd on Elasticsearch (the catalog's closure deploys
 * Elasticsearch with either of them).
 */
import * as pulumi from "@pulumi/pulumi";
import { CATALOG, NAMESPACES, PLATFORM_NAMESPACES } from "../../config/catalog";
import { IMAGES } from "../../config/images";
import { PlatformConfig } from "../../config/schema";
import { LayerArgs, contextFor, dependenciesOf, isDeployed } from "../context";
import { ElasticsearchIndices } from "../../services/elasticsearch/elasticsearch-indices";
import { alertmanager } from "../../services/alertmanager/alertmanager";
import { grafana } from "../../services/grafana/grafana";
import { ElasticsearchAuth } from "../../services/elasticsearch/elasticsearch-clients";
import { fluentd } from "../../services/fluentd/fluentd";
import { jaeger } from "../../services/jaeger/jaeger";
import { kubeStateMetrics } from "../../services/kube-state-metrics/kube-state-metrics";
import { prometheus } from "../../services/prometheus/prometheus";
import { alertRules } from "../../services/prometheus/rules";

export { prometheusScrapers } from "../../services/prometheus/prometheus";
export { samplingRateOf, tracingCollector } from "../../services/jaeger/jaeger";

export interface ObservabilityLayerArgs extends LayerArgs {
  /** The `cluster` label on alerts (the stack name): Alertmanager groups by it. */
  clusterName: string;
  alerting: PlatformConfig["alerting"];
  metrics: PlatformConfig["metrics"];
  /** Fluentd's (`logs`) and Jaeger's (`traces`) own Elasticsearch users, when its security is on. @default no authentication */
  elasticsearchAuth?: { logs: ElasticsearchAuth; traces: ElasticsearchAuth; logsReader: ElasticsearchAuth };
  /** The indices Jaeger and Fluentd write (named, and expired, by the storage layer); required with Elasticsearch. */
  elasticsearchIndices?: ElasticsearchIndices;
}

export class ObservabilityLayer extends pulumi.ComponentResource {
  constructor(name: string, args: ObservabilityLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:observability:ObservabilityLayer", name, {}, opts);
    const deployed = [...args.services];
    const elasticsearch = () => {
      const e = args.endpoints.get("elasticsearch");
      if (!e) throw new Error("Jaeger and Fluentd need Elasticsearch, but the platform passed no endpoint for it: wire the storage layer's outputs");
      return e;
    };
    const indices = (): ElasticsearchIndices => {
      if (!args.elasticsearchIndices) throw new Error("Elasticsearch is deployed but the platform passed no elasticsearchIndices: wire the storage layer's outputs");
      return args.elasticsearchIndices;
    };

    // The platform namespaces this stack creates: the only ones watched and scraped.
    const watched = PLATFORM_NAMESPACES.filter((role) => deployed.some((s) => CATALOG[s].namespace === role)).map((role) => NAMESPACES[role]);

    if (isDeployed(args, "kube-state-metrics")) {
      args.endpoints.register(
        "kube-state-metrics",
        kubeStateMetrics({ image: IMAGES.kubeStateMetrics, size: args.sizes["kube-state-metrics"], namespaces: watched }, contextFor(args, "kube-state-metrics", "platform"), this),
      );
    }

    let alertmanagerTargets: string[] = [];
    if (isDeployed(args, "alertmanager")) {
      const am = alertmanager({ image: IMAGES.alertmanager, size: args.sizes.alertmanager, alerting: args.alerting }, contextFor(args, "alertmanager", "platform"), this);
      args.endpoints.register("alertmanager", am.endpoint);
      alertmanagerTargets = am.targets;
    }

    if (isDeployed(args, "prometheus")) {
      args.endpoints.register(
        "prometheus",
        prometheus(
          {
            image: IMAGES.prometheus,
            size: args.sizes.prometheus,
            clusterName: args.clusterName,
            namespaces: watched,
            // cert-manager's controller exports every certificate's expiry (CertificateExpiringSoon).
            operatorNamespaces: deployed.includes("cert-manager") ? [NAMESPACES.certManager] : [],
            kubeletTls: args.metrics.kubeletTls,
            alertmanagers: alertmanagerTargets,
            rules: alertRules(),
            dependencies: dependenciesOf("prometheus", args.endpoints, deployed),
          },
          contextFor(args, "prometheus", "platform"),
          this,
        ).endpoint,
      );
    }

    if (isDeployed(args, "jaeger")) {
      args.endpoints.register(
        "jaeger",
        jaeger(
          {
            image: IMAGES.jaeger,
            size: args.sizes.jaeger,
            elasticsearch: elasticsearch(),
            elasticsearchAuth: args.elasticsearchAuth?.traces,
            indexPrefix: indices().traces,
            indexReplicas: args.sizes.elasticsearch.replicas > 1 ? 1 : 0,
            // The in-house services reach Jaeger as a dependency (kit/tracing.ts): each is admitted by name.
            dependencies: dependenciesOf("jaeger", args.endpoints, deployed),
          },
          contextFor(args, "jaeger", "platform"),
          this,
        ),
      );
    }

    if (isDeployed(args, "fluentd")) {
      const ctx = contextFor(args, "fluentd", "platform");
      fluentd(
        {
          image: IMAGES.fluentd,
          size: args.sizes.fluentd,
          namespace: ctx.namespace,
          elasticsearch: elasticsearch(),
          elasticsearchAuth: args.elasticsearchAuth?.logs,
          indexPrefix: indices().logs,
          dependencies: dependenciesOf("fluentd", args.endpoints, deployed),
        },
        ctx,
        this,
      );
    }

    if (isDeployed(args, "grafana")) {
      const prometheusEndpoint = args.endpoints.get("prometheus");
      if (!prometheusEndpoint) throw new Error("grafana needs prometheus, which this stack does not deploy");
      const logsStore = args.endpoints.get("elasticsearch");
      args.endpoints.register(
        "grafana",
        grafana(
          {
            image: IMAGES.grafana,
            size: args.sizes.grafana,
            prometheus: prometheusEndpoint,
            jaeger: args.endpoints.get("jaeger"),
            // Fluentd's logs, where Fluentd ships them.
            logs: logsStore && deployed.includes("fluentd") ? { elasticsearch: logsStore, index: `${indices().logs}-*`, auth: args.elasticsearchAuth?.logsReader } : undefined,
            dependencies: dependenciesOf("grafana", args.endpoints, deployed),
            services: args.services,
          },
          contextFor(args, "grafana", "platform"),
          this,
        ).endpoint,
      );
    }
    this.registerOutputs({});
  }
}
