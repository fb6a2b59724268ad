/**
 * Alertmanager (seed 003/004): groups alerts by alertname, cluster and service and sends them to the
 * receivers stack config names (e-mail and/or a webhook). With more than one replica the pods form a
 * gossip cluster on 9094 (TCP and UDP) so an alert is sent once and silences are shared.
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { PlatformConfig, ServiceSize } from "../../config/schema";
import { CONFIG_HASH_ANNOTATION } from "../../kit/config-hash";
import { configFiles } from "../../kit/config-map";
import { fieldEnv, httpProbe, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { EgressRule, externalEgress } from "../../kit/network-policy";
import { GeneratedSecret } from "../../kit/secret";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";
import { OBSERVABILITY_DEFAULTS } from "../prometheus/defaults";

const PORT = 9093;
const CLUSTER_PORT = 9094;
const UID = 65534; // nobody, the image's user
const NAME = "alertmanager";
const CONFIG_DIR = "/etc/alertmanager/config";
const SECRETS_DIR = "/etc/alertmanager/secrets";
const DATA_DIR = "/alertmanager";
/** Keys of the receivers' Secret, and the names of the files they are mounted as. */
const SMTP_PASSWORD_KEY = "smtp-password";
const WEBHOOK_URL_KEY = "webhook-url";

export type Alerting = PlatformConfig["alerting"];

export interface AlertmanagerArgs {
  image: string;
  size: ServiceSize;
  alerting: Alerting;
}

export interface AlertmanagerOutputs {
  endpoint: ServiceEndpoint;
  /** Every replica as "host:port": Prometheus sends each alert to all of them. */
  targets: string[];
}

/** The receiver every alert goes to; "null" (no integrations) when stack config names none. */
export const RECEIVER = "platform";
export const NULL_RECEIVER = "null";

/** Where the receivers' credentials are mounted, as files the configuration names (`*_file` options). */
export interface ReceiverFiles {
  smtpPassword?: string;
  webhookUrl?: string;
}

/**
 * The Alertmanager configuration file as an object. Credentials are read from files, never inlined:
 * the SMTP password (`smtp_auth_password_file`) and the webhook URL (`url_file`, which Alertmanager
 * reads at each notification; docs/alerting.md).
 */
export function alertmanagerConfig(alerting: Alerting, files: ReceiverFiles = {}): Record<string, unknown> {
  const g = OBSERVABILITY_DEFAULTS.alertGrouping;
  const email = alerting.email;
  const hasReceiver = email !== undefined || alerting.webhook !== undefined;
  const receiver: Record<string, unknown> = { name: RECEIVER };
  if (email) receiver.email_configs = [{ to: email.to, send_resolved: true }];
  if (alerting.webhook) {
    if (!files.webhookUrl) throw new Error("alertmanager: the webhook receiver needs the file its URL is mounted at");
    receiver.webhook_configs = [{ url_file: files.webhookUrl, send_resolved: true }];
  }
  return {
    global: email
      ? {
          smtp_smarthost: email.smarthost,
          smtp_from: email.from,
          smtp_require_tls: true,
          ...(files.smtpPassword ? { smtp_auth_username: email.from, smtp_auth_password_file: files.smtpPassword } : {}),
        }
      : {},
    route: {
      // No receiver configured: alerts are still evaluated, grouped and visible in Alertmanager's UI
      // and API, but sent nowhere (a receiver without integrations).
      receiver: hasReceiver ? RECEIVER : NULL_RECEIVER,
      group_by: [...g.by],
      group_wait: g.wait,
      group_interval: g.interval,
      repeat_interval: g.repeat,
    },
    // While a service has a critical alert firing, its warnings add nothing: hold them back.
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["cluster", "service"] }],
    receivers: hasReceiver ? [receiver] : [{ name: NULL_RECEIVER }],
  };
}

/** Egress to the configured receivers' hosts: they are outside the cluster and named only by config. */
function receiverEgress(alerting: Alerting): EgressRule[] {
  const ports: number[] = [];
  if (alerting.email) ports.push(Number(alerting.email.smarthost.slice(alerting.email.smarthost.lastIndexOf(":") + 1)));
  if (alerting.webhook) ports.push(alerting.webhook.port);
  return ports.length > 0 ? [externalEgress("receivers", ports)] : [];
}

export function alertmanager(args: AlertmanagerArgs, ctx: WorkloadContext, parent: pulumi.Resource): AlertmanagerOutputs {
  const id = { name: NAME, component: "alerting", version: imageVersion(args.image) };
  const labels = labelsOf(id);
  const opts = { parent };
  const clustered = args.size.replicas > 1;

  // The receivers' credentials, from config secrets, in one Secret mounted read-only.
  const supplied: Record<string, pulumi.Input<string>> = {};
  if (args.alerting.email && args.alerting.smtpPassword) supplied[SMTP_PASSWORD_KEY] = args.alerting.smtpPassword;
  if (args.alerting.webhook) supplied[WEBHOOK_URL_KEY] = args.alerting.webhook.url;
  const credentials = Object.keys(supplied).length > 0 ? new GeneratedSecret(`${NAME}-receivers`, { namespace: ctx.namespace, labels, supplied }, opts) : undefined;
  const fileOf = (key: string) => (key in supplied ? `${SECRETS_DIR}/${key}` : undefined);
  const configYaml = stringify(alertmanagerConfig(args.alerting, { smtpPassword: fileOf(SMTP_PASSWORD_KEY), webhookUrl: fileOf(WEBHOOK_URL_KEY) }), { lineWidth: 0 });
  const config = configFiles(`${NAME}-config`, ctx.namespace, labels, { "alertmanager.yml": configYaml }, parent);

  // The pods' stable names are known before the StatefulSet exists (the Workload derives the same).
  const peers = statefulNames(NAME, ctx.namespace, args.size.replicas).podHosts.map((h) => `${h}:${CLUSTER_PORT}`);
  const ready = httpProbe("/-/ready", "http");
  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      state: { mountPath: DATA_DIR, podManagementPolicy: "Parallel" },
      containers: [
        {
          name: NAME,
          image: args.image,
          args: [
            `--config.file=${CONFIG_DIR}/alertmanager.yml`,
            `--storage.path=${DATA_DIR}`,
            `--web.listen-address=:${PORT}`,
            ...(clustered
              ? [`--cluster.listen-address=0.0.0.0:${CLUSTER_PORT}`, `--cluster.advertise-address=$(POD_IP):${CLUSTER_PORT}`, ...peers.map((p) => `--cluster.peer=${p}`)]
              : // One replica: no gossip listener at all.
                ["--cluster.listen-address="]),
          ],
          env: [fieldEnv("POD_IP", "status.podIP")],
          ports: [
            { name: "http", containerPort: PORT },
            ...(clustered
              ? [
                  { name: "cluster", containerPort: CLUSTER_PORT },
                  { name: "cluster-udp", containerPort: CLUSTER_PORT, protocol: "UDP" as const },
                ]
              : []),
          ],
          volumeMounts: [
            { name: "data", mountPath: DATA_DIR },
            { name: "config", mountPath: CONFIG_DIR, readOnly: true },
            ...(credentials ? [{ name: "receivers", mountPath: SECRETS_DIR, readOnly: true }] : []),
          ],
          probes: { startup: startupAllowance(ready, 2), readiness: ready, liveness: httpProbe("/-/healthy", "http") },
        },
      ],
      volumes: [
        { name: "config", configMap: { name: config.name } },
        ...(credentials ? [{ name: "receivers", secret: { secretName: credentials.secretName, items: Object.keys(supplied).map((key) => ({ key, path: key })), defaultMode: 0o440 } }] : []),
      ],
      clientPorts: ["http"],
      peerPorts: clustered ? ["cluster", "cluster-udp"] : undefined,
      metrics: { port: "http", path: "/metrics" },
      egress: receiverEgress(args.alerting),
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: config.hash },
    },
    ctx,
    opts,
  );
  return { endpoint: workload.endpoint, targets: workload.podHosts.map((h) => `${h}:${PORT}`) };
}
