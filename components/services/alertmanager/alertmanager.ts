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

/** The Alertmanager configuration file as an object. The SMTP password is read from a file, never inlined. */
export function alertmanagerConfig(alerting: Alerting, smtpPasswordFile?: string): Record<string, unknown> {
  const g = OBSERVABILITY_DEFAULTS.alertGrouping;
  const email = alerting.email;
  const hasReceiver = email !== undefined || alerting.webhookUrl !== undefined;
  const receiver: Record<string, unknown> = { name: RECEIVER };
  if (email) receiver.email_configs = [{ to: email.to, send_resolved: true }];
  if (alerting.webhookUrl) receiver.webhook_configs = [{ url: alerting.webhookUrl, send_resolved: true }];
  return {
    global: email
      ? {
          smtp_smarthost: email.smarthost,
          smtp_from: email.from,
          smtp_require_tls: true,
          ...(smtpPasswordFile ? { smtp_auth_username: email.from, smtp_auth_password_file: smtpPasswordFile } : {}),
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
  if (alerting.webhookUrl) {
    const url = new URL(alerting.webhookUrl);
    ports.push(url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80);
  }
  return ports.length > 0 ? [externalEgress("receivers", ports)] : [];
}

export function alertmanager(args: AlertmanagerArgs, ctx: WorkloadContext, parent: pulumi.Resource): AlertmanagerOutputs {
  const id = { name: NAME, component: "alerting", version: imageVersion(args.image) };
  const labels = labelsOf(id);
  const opts = { parent };
  const clustered = args.size.replicas > 1;

  const smtp =
    args.alerting.email && args.alerting.smtpPassword ? new GeneratedSecret(`${NAME}-smtp`, { namespace: ctx.namespace, labels, supplied: { password: args.alerting.smtpPassword } }, opts) : undefined;
  const configYaml = stringify(alertmanagerConfig(args.alerting, smtp ? `${SECRETS_DIR}/smtp-password` : undefined), { lineWidth: 0 });
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
          volumeMounts: [{ name: "data", mountPath: DATA_DIR }, { name: "config", mountPath: CONFIG_DIR, readOnly: true }, ...(smtp ? [{ name: "smtp", mountPath: SECRETS_DIR, readOnly: true }] : [])],
          probes: { startup: startupAllowance(ready, 2), readiness: ready, liveness: httpProbe("/-/healthy", "http") },
        },
      ],
      volumes: [
        { name: "config", configMap: { name: config.name } },
        ...(smtp ? [{ name: "smtp", secret: { secretName: smtp.secretName, items: [{ key: "password", path: "smtp-password" }], defaultMode: 0o440 } }] : []),
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
