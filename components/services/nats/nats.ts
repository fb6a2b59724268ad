/**
 * NATS with JetStream: a cluster of the StatefulSet's own pods (routes derived from their stable
 * names) when replicated, one server otherwise. Clients and routes authenticate with generated
 * passwords; the config embeds them, so the whole file lives in a Secret, never a ConfigMap.
 */
import * as pulumi from "@pulumi/pulumi";
import { mebibytesOf, parseQuantity } from "../../config/quantity";
import { ServiceSize } from "../../config/schema";
import { httpProbe, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";
import { EXPORTER_PORT_NAME } from "../exporter-sidecar";
import { natsExporter } from "./nats-exporter";

const CLIENT_PORT = 4222;
const CLUSTER_PORT = 6222;
const MONITOR_PORT = 8222;
const UID = 1000;
const DATA = "/data";

export interface NatsArgs {
  name: string;
  image: string;
  /** The prometheus-nats-exporter image of the sidecar every server gets (IMAGES.natsExporter). */
  exporterImage: string;
  size: ServiceSize;
}

export interface NatsOutputs {
  endpoint: ServiceEndpoint;
  /** nats://host:4222 */
  url: string;
  username: string;
  password: SharedCredential;
}

/** The server config for `replicas` servers, with secrets in place (it goes into a Secret). */
export function natsConfig(o: { routeHosts: string[]; clientPassword: string; routePassword: string; maxMemMb: number; maxFileMb: number }): string {
  const cluster =
    o.routeHosts.length > 1
      ? `cluster {
  name: voicehelper
  listen: 0.0.0.0:${CLUSTER_PORT}
  authorization { user: route, password: "${o.routePassword}" }
  routes: [
${o.routeHosts.map((h) => `    nats://route:${o.routePassword}@${h}:${CLUSTER_PORT}`).join("\n")}
  ]
}
`
      : "";
  return `server_name: $POD_NAME
listen: 0.0.0.0:${CLIENT_PORT}
http: 0.0.0.0:${MONITOR_PORT}
pid_file: /var/run/nats/nats.pid
lame_duck_duration: 30s
lame_duck_grace_period: 10s
jetstream {
  store_dir: ${DATA}/jetstream
  max_memory_store: ${o.maxMemMb}MB
  max_file_store: ${o.maxFileMb}MB
}
authorization {
  user: voicehelper
  password: "${o.clientPassword}"
}
${cluster}`;
}

export function nats(args: NatsArgs, ctx: WorkloadContext, parent: pulumi.Resource): NatsOutputs {
  const { name, size } = args;
  const id = { name, component: "messaging", version: imageVersion(args.image) };
  const names = statefulNames(name, ctx.namespace, size.replicas);
  // JetStream may use a quarter of the memory limit and 90% of the volume.
  const maxMemMb = mebibytesOf(size.resources.limits.memory, 0.25);
  const maxFileMb = Math.floor(((parseQuantity(size.storage ?? "0") ?? 0) * 0.9) / 2 ** 20);

  const auth = new GeneratedSecret(
    `${name}-auth`,
    {
      namespace: ctx.namespace,
      labels: labelsOf(id),
      generate: { password: password(32), "route-password": password(32) },
      plain: { username: "voicehelper" },
      derive: (v) => ({
        "nats.conf": pulumi
          .all([v.password, v["route-password"]])
          .apply(([clientPassword, routePassword]) => natsConfig({ routeHosts: size.replicas > 1 ? names.podHosts : [], clientPassword, routePassword, maxMemMb, maxFileMb })),
      }),
    },
    { parent },
  );

  const health = httpProbe("/healthz?js-enabled-only=true", "monitor");
  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      state: { mountPath: DATA, podManagementPolicy: "Parallel" },
      containers: [
        {
          name: "nats",
          image: args.image,
          command: ["nats-server", "--config", "/etc/nats/nats.conf"],
          env: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
          ports: [
            { name: "client", containerPort: CLIENT_PORT },
            { name: "cluster", containerPort: CLUSTER_PORT },
            { name: "monitor", containerPort: MONITOR_PORT },
          ],
          volumeMounts: [
            { name: "data", mountPath: DATA },
            { name: "config", mountPath: "/etc/nats", readOnly: true },
          ],
          writablePaths: ["/var/run/nats"],
          probes: {
            startup: startupAllowance(httpProbe("/healthz", "monitor"), 5),
            readiness: health,
            liveness: httpProbe("/healthz?js-enabled-only=true", "monitor", { failureThreshold: 5 }),
          },
          // Lame-duck mode hands clients to the other servers before this one stops.
          lifecycle: { preStop: { exec: { command: ["nats-server", "--signal", "ldm=/var/run/nats/nats.pid"] } } },
        },
        natsExporter({ service: name, image: args.exporterImage, monitorPort: MONITOR_PORT }),
      ],
      metrics: { port: EXPORTER_PORT_NAME, path: "/metrics" },
      volumes: [{ name: "config", secret: { secretName: auth.secretName, items: [{ key: "nats.conf", path: "nats.conf" }] } }],
      clientPorts: ["client"],
      peerPorts: ["cluster"],
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    { parent },
  );

  return { endpoint: workload.endpoint, url: `nats://${workload.endpoint.host}:${CLIENT_PORT}`, username: "voicehelper", password: auth.credential("password") };
}
