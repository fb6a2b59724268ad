/**
 * Grafana (seed 003/004): generated admin password and secret key, no anonymous access, the
 * Prometheus (and, when deployed, Jaeger and the Elasticsearch logs) datasource and the platform dashboard provisioned from
 * ConfigMaps, so a fresh volume comes up complete and the UI cannot drift from code.
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { ServiceSize } from "../../config/schema";
import { CONFIG_HASH_ANNOTATION, configHash } from "../../kit/config-hash";
import { configFiles } from "../../kit/config-map";
import { httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint, hostPort } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { Dependency } from "../../kit/network-policy";
import { GeneratedSecret, SecretKeyRef, password } from "../../kit/secret";
import { Workload, WorkloadContext } from "../../kit/workload";
import { OBSERVABILITY_DEFAULTS } from "../prometheus/defaults";
import { ElasticsearchAuth, elasticsearchPort } from "../elasticsearch/elasticsearch-clients";
import { ServiceName } from "../../config/catalog";
import { platformDashboard } from "./dashboard";
import { layerDashboards } from "./layer-dashboards";

const PORT = 3000;
const UID = 472; // grafana, the image's user
const NAME = "grafana";
const DATA_DIR = "/var/lib/grafana";
const PROVISIONING_DIR = "/etc/grafana/provisioning";
const DASHBOARDS_DIR = "/etc/grafana/dashboards";
export const PROMETHEUS_DATASOURCE_UID = "prometheus";

export interface GrafanaArgs {
  image: string;
  size: ServiceSize;
  prometheus: ServiceEndpoint;
  /** Jaeger's query endpoint (port "query"), when the stack deploys Jaeger. */
  jaeger?: ServiceEndpoint;
  /** Where Fluentd ships the logs, when it does: Elasticsearch, the index pattern, and a read-only user. */
  logs?: GrafanaLogs;
  dependencies: Dependency[];
  /** The services the stack deploys: each layer among them gets its dashboard. */
  services: readonly ServiceName[];
}

export interface GrafanaLogs {
  elasticsearch: ServiceEndpoint;
  index: string;
  auth?: ElasticsearchAuth;
}

/** Grafana expands environment variables in provisioning files: the password never lands in the ConfigMap. */
const LOGS_PASSWORD_ENV = "ES_LOGS_PASSWORD";

export interface GrafanaOutputs {
  endpoint: ServiceEndpoint;
  adminPassword: SecretKeyRef;
}

/** Grafana's datasource provisioning file as an object. */
export function grafanaDatasources(prometheus: ServiceEndpoint, jaeger?: ServiceEndpoint, logs?: GrafanaLogs): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: "Prometheus",
        uid: PROMETHEUS_DATASOURCE_UID,
        type: "prometheus",
        access: "proxy",
        url: `http://${hostPort(prometheus, "http")}`,
        isDefault: true,
        editable: false,
        jsonData: { timeInterval: OBSERVABILITY_DEFAULTS.scrapeInterval },
      },
      ...(jaeger ? [{ name: "Jaeger", uid: "jaeger", type: "jaeger", access: "proxy", url: `http://${hostPort(jaeger, "query")}`, editable: false }] : []),
      ...(logs
        ? [
            {
              name: "Logs",
              uid: "logs",
              type: "elasticsearch",
              access: "proxy",
              url: `http://${logs.elasticsearch.host}:${elasticsearchPort(logs.elasticsearch)}`,
              editable: false,
              // Fluentd's logstash format: @timestamp, the container's line in "log", Kubernetes metadata beside it.
              jsonData: { index: logs.index, timeField: "@timestamp", logMessageField: "log", logLevelField: "level" },
              ...(logs.auth ? { basicAuth: true, basicAuthUser: logs.auth.username, secureJsonData: { basicAuthPassword: `$${LOGS_PASSWORD_ENV}` } } : {}),
            },
          ]
        : []),
    ],
  };
}

const DASHBOARD_PROVIDERS = {
  apiVersion: 1,
  providers: [{ name: "voicehelper", folder: "VoiceHelper", type: "file", disableDeletion: true, allowUiUpdates: false, options: { path: DASHBOARDS_DIR } }],
};

export function grafana(args: GrafanaArgs, ctx: WorkloadContext, parent: pulumi.Resource): GrafanaOutputs {
  const id = { name: NAME, component: "dashboards", version: imageVersion(args.image) };
  const labels = labelsOf(id);
  const opts = { parent };

  // Grafana applies the admin password when it creates its database (first start); the secret key
  // encrypts datasource credentials stored in that database, so it must never change afterwards.
  const secret = new GeneratedSecret(`${NAME}-admin`, { namespace: ctx.namespace, labels, plain: { user: "admin" }, generate: { password: password(32), "secret-key": password(48) } }, opts);

  const datasources = stringify(grafanaDatasources(args.prometheus, args.jaeger, args.logs), { lineWidth: 0 });
  const providers = stringify(DASHBOARD_PROVIDERS);
  const dashboard = JSON.stringify(platformDashboard(PROMETHEUS_DATASOURCE_UID), null, 2);
  const provisioning = configFiles(`${NAME}-provisioning`, ctx.namespace, labels, { "datasources.yaml": datasources, "dashboards.yaml": providers }, parent);
  const perLayer = Object.fromEntries(Object.entries(layerDashboards(args.services, PROMETHEUS_DATASOURCE_UID)).map(([file, d]) => [file, JSON.stringify(d, null, 2)]));
  const dashboards = configFiles(`${NAME}-dashboards`, ctx.namespace, labels, { "platform.json": dashboard, ...perLayer }, parent);

  const health = httpProbe("/api/health", "http");
  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      state: { mountPath: DATA_DIR },
      containers: [
        {
          name: NAME,
          image: args.image,
          env: [
            { name: "GF_SERVER_HTTP_PORT", value: String(PORT) },
            { name: "GF_PATHS_DATA", value: DATA_DIR },
            { name: "GF_PATHS_PROVISIONING", value: PROVISIONING_DIR },
            { name: "GF_LOG_MODE", value: "console" },
            secretEnv("GF_SECURITY_ADMIN_USER", secret.ref("user")),
            secretEnv("GF_SECURITY_ADMIN_PASSWORD", secret.ref("password")),
            secretEnv("GF_SECURITY_SECRET_KEY", secret.ref("secret-key")),
            { name: "GF_AUTH_ANONYMOUS_ENABLED", value: "false" },
            { name: "GF_USERS_ALLOW_SIGN_UP", value: "false" },
            // Egress is closed to the Internet: do not try to phone home.
            { name: "GF_ANALYTICS_REPORTING_ENABLED", value: "false" },
            { name: "GF_ANALYTICS_CHECK_FOR_UPDATES", value: "false" },
            { name: "GF_PLUGINS_PLUGIN_ADMIN_ENABLED", value: "false" },
            ...(args.logs?.auth ? [secretEnv(LOGS_PASSWORD_ENV, args.logs.auth.password.in(ctx.namespace))] : []),
          ],
          ports: [{ name: "http", containerPort: PORT }],
          volumeMounts: [
            { name: "data", mountPath: DATA_DIR },
            { name: "provisioning", mountPath: PROVISIONING_DIR, readOnly: true },
            { name: "dashboards", mountPath: DASHBOARDS_DIR, readOnly: true },
          ],
          writablePaths: ["/tmp"],
          // Database migrations on an upgrade run before the health endpoint answers.
          probes: { startup: startupAllowance(health, 5), readiness: health, liveness: health },
        },
      ],
      volumes: [
        {
          name: "provisioning",
          configMap: {
            name: provisioning.name,
            items: [
              { key: "datasources.yaml", path: "datasources/datasources.yaml" },
              { key: "dashboards.yaml", path: "dashboards/dashboards.yaml" },
            ],
          },
        },
        { name: "dashboards", configMap: { name: dashboards.name } },
      ],
      metrics: { port: "http", path: "/metrics" },
      dependencies: args.dependencies,
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: configHash(provisioning.hash, dashboards.hash) },
    },
    ctx,
    opts,
  );
  return { endpoint: workload.endpoint, adminPassword: secret.ref("password") };
}
