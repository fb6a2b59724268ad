/**
 * RabbitMQ task queues: a StatefulSet whose nodes use long names from their stable pod DNS names and
 * form a cluster with `rabbitmq_peer_discovery_k8s`. From RabbitMQ 4.1 that plugin derives the seed
 * node (the pod with ordinal 0) from the StatefulSet's naming instead of listing pods through the
 * Kubernetes API, so the pods need no service-account token and no RBAC.
 * No default user: the first boot creates the generated admin instead of `guest`, so `guest` never
 * exists. The admin (all vhosts, administrator) is for operators and the users Job only; each client
 * service gets its own user on the application vhost (rabbitmq-users.ts). The admin's password lives
 * in the config file, so the whole file is a Secret. The Erlang
 * cookie comes from a Secret file, copied by an init step to the node's home with mode 0400 (Erlang
 * refuses a cookie others can read).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceName } from "../../config/catalog";
import { memoryBytes as bytesOf } from "../../config/quantity";
import { ServiceSize } from "../../config/schema";
import { execProbe, fieldEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint, narrowedTo } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, password } from "../../kit/secret";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";
import { RabbitmqLogin, rabbitmqUsers } from "./rabbitmq-users";

const AMQP_PORT = 5672;
const MANAGEMENT_PORT = 15672;
const DIST_PORT = 25672;
const EPMD_PORT = 4369;
const PROMETHEUS_PORT = 15692;
/** The rabbitmq user of the official Alpine image. */
const UID = 100;
const HOME = "/var/lib/rabbitmq";
const CONFIG_DIR = "/etc/rabbitmq";
const COOKIE_DIR = "/etc/rabbitmq-cookie";
const ADMIN = "voicehelper-admin";
/** The admin's vhost (RabbitMQ's default); the applications get a vhost of their own. */
const ADMIN_VHOST = "/";
const APP_VHOST = "voicehelper";

export interface RabbitmqArgs {
  name: string;
  image: string;
  size: ServiceSize;
  /** The services that get a user of their own on the application vhost. */
  clients: readonly ServiceName[];
  /** An image with sh and curl, for the users Job. */
  jobImage: string;
  jobSize: ServiceSize;
}

export interface RabbitmqOutputs {
  /** AMQP only: the management API is not for the applications. */
  endpoint: ServiceEndpoint;
  /** AMQP port. */
  port: number;
  /** The application vhost, where every client's user has its permissions. */
  vhost: string;
  /** Each client's own user, by service. */
  users: Readonly<Partial<Record<ServiceName, RabbitmqLogin>>>;
}

/** rabbitmq.conf with the admin's password in place (it goes into a Secret). */
export function rabbitmqConfig(o: { adminPassword: string; memoryBytes: number; clustered: boolean }): string {
  return `listeners.tcp.default = ${AMQP_PORT}
management.tcp.port = ${MANAGEMENT_PORT}
prometheus.tcp.port = ${PROMETHEUS_PORT}
cluster_formation.peer_discovery_backend = k8s
${o.clustered ? "cluster_partition_handling = pause_minority\n" : ""}total_memory_available_override_value = ${o.memoryBytes}
vm_memory_high_watermark.relative = 0.6
disk_free_limit.absolute = 1GB
default_vhost = ${ADMIN_VHOST}
default_user = ${ADMIN}
default_pass = ${o.adminPassword}
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = true
log.file = false
`;
}

export const RABBITMQ_PLUGINS = "[rabbitmq_management,rabbitmq_peer_discovery_k8s,rabbitmq_prometheus].\n";

export function rabbitmq(args: RabbitmqArgs, ctx: WorkloadContext, parent: pulumi.Resource): RabbitmqOutputs {
  const { name, size } = args;
  const id = { name, component: "task-queue", version: imageVersion(args.image) };
  const names = statefulNames(name, ctx.namespace, size.replicas);
  const memoryBytes = bytesOf(size.resources.limits.memory);

  const auth = new GeneratedSecret(
    `${name}-auth`,
    {
      namespace: ctx.namespace,
      labels: labelsOf(id),
      generate: { password: password(32), "erlang-cookie": password(48) },
      plain: { username: ADMIN, enabled_plugins: RABBITMQ_PLUGINS },
      derive: (v) => ({ "rabbitmq.conf": v.password.apply((adminPassword) => rabbitmqConfig({ adminPassword, memoryBytes, clustered: size.replicas > 1 })) }),
    },
    { parent },
  );

  const env = [
    fieldEnv("POD_NAME", "metadata.name"),
    { name: "HOME", value: HOME },
    { name: "RABBITMQ_USE_LONGNAME", value: "true" },
    { name: "RABBITMQ_NODENAME", value: `rabbit@$(POD_NAME).${names.headlessHost}` },
    { name: "RABBITMQ_CONFIG_FILE", value: `${CONFIG_DIR}/rabbitmq.conf` },
    { name: "RABBITMQ_ENABLED_PLUGINS_FILE", value: `${CONFIG_DIR}/enabled_plugins` },
  ];
  const diagnostics = (check: string) => execProbe(["rabbitmq-diagnostics", "-q", check], { timeoutSeconds: 20, periodSeconds: 30 });
  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      state: { mountPath: HOME, podManagementPolicy: "Parallel" },
      initContainers: [
        {
          name: "erlang-cookie",
          image: args.image,
          command: ["sh", "-c", `cp ${COOKIE_DIR}/erlang-cookie ${HOME}/.erlang.cookie && chmod 0400 ${HOME}/.erlang.cookie`],
          volumeMounts: [
            { name: "data", mountPath: HOME },
            { name: "cookie", mountPath: COOKIE_DIR, readOnly: true },
          ],
        },
      ],
      containers: [
        {
          name: "rabbitmq",
          image: args.image,
          command: ["rabbitmq-server"],
          env,
          ports: [
            { name: "amqp", containerPort: AMQP_PORT },
            { name: "management", containerPort: MANAGEMENT_PORT },
            { name: "dist", containerPort: DIST_PORT },
            { name: "epmd", containerPort: EPMD_PORT },
            { name: "prometheus", containerPort: PROMETHEUS_PORT },
          ],
          volumeMounts: [
            { name: "data", mountPath: HOME },
            { name: "config", mountPath: CONFIG_DIR, readOnly: true },
          ],
          writablePaths: ["/tmp"],
          probes: {
            startup: startupAllowance(diagnostics("ping"), 10),
            readiness: diagnostics("check_running"),
            liveness: diagnostics("ping"),
          },
        },
      ],
      volumes: [
        {
          name: "config",
          secret: {
            secretName: auth.secretName,
            items: [
              { key: "rabbitmq.conf", path: "rabbitmq.conf" },
              { key: "enabled_plugins", path: "enabled_plugins" },
            ],
          },
        },
        // Group-readable (fsGroup) so the init step, running as the rabbitmq user, can copy it.
        { name: "cookie", secret: { secretName: auth.secretName, defaultMode: 0o440, items: [{ key: "erlang-cookie", path: "erlang-cookie" }] } },
      ],
      // The users Job reaches the management API through the Service; clients get only AMQP (below).
      clientPorts: ["amqp", "management"],
      primaryPort: "amqp",
      peerPorts: ["epmd", "dist"],
      metrics: { port: "prometheus", path: "/metrics" },
      terminationGracePeriodSeconds: 120,
    },
    ctx,
    { parent },
  );

  const users = rabbitmqUsers(
    {
      image: args.jobImage,
      jobSize: args.jobSize,
      management: workload.endpoint,
      admin: { username: ADMIN, password: auth.ref("password") },
      vhost: APP_VHOST,
      clients: args.clients,
      labels: labelsOf(id),
    },
    ctx,
    parent,
  );
  return { endpoint: narrowedTo(workload.endpoint, "amqp"), port: AMQP_PORT, vhost: APP_VHOST, users };
}
