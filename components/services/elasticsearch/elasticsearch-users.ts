/**
 * Least privilege in Elasticsearch: every client (Fluentd, Jaeger, the applications, the retention
 * Jobs) logs in as its own native user whose role reaches only its own indices and the cluster APIs it
 * calls. The `elastic` superuser stays with the Job that creates those users.
 *
 * The Job PUTs each role and user through the security API, which creates or overwrites them, so every
 * run is idempotent. The roles and the users' bodies travel in the pod template: a changed role is a
 * new template, which Pulumi applies by replacing the Job, and the new Job runs. A PUT with a password
 * sets it on an existing user, so a rotated Secret takes effect on the next run.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { EnvVar, secretEnv } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { BatchJob } from "../../kit/job";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SecretKeyRef, SharedCredential, password } from "../../kit/secret";
import { WorkloadContext } from "../../kit/workload";
import { ES_API_PRELUDE } from "./elasticsearch-api";
import { ElasticsearchIndices, indexPatterns } from "./elasticsearch-indices";

const UID = 1000; // the image's elasticsearch user
const JOB = "elasticsearch-users";
const MANAGED = { managed_by: "voicehelper-infra" };

export const ELASTICSEARCH_CLIENTS = ["logs", "traces", "app", "retention", "logsReader", "metrics"] as const;
export type ElasticsearchClient = (typeof ELASTICSEARCH_CLIENTS)[number];

/** One client's login: a user of its own, the password in a Secret it can copy into its namespace. */
export interface ElasticsearchCredentials {
  username: string;
  password: SharedCredential;
}
export type ElasticsearchClients = Readonly<Record<ElasticsearchClient, ElasticsearchCredentials>>;

/** A role as the security API takes it (`PUT _security/role/<name>`). */
export interface ElasticsearchRole {
  cluster: string[];
  indices: { names: string[]; privileges: string[] }[];
}

/** Each client's user and role name. */
export const ACCOUNTS: Readonly<Record<ElasticsearchClient, { user: string; role: string }>> = {
  logs: { user: "fluentd", role: "fluentd-writer" },
  traces: { user: "jaeger", role: "jaeger" },
  app: { user: "voicehelper-app", role: "voicehelper-app" },
  retention: { user: "index-retention", role: "index-retention" },
  logsReader: { user: "grafana", role: "logs-reader" },
  metrics: { user: "metrics-exporter", role: "metrics-reader" },
};

/** What each client may do, on which indices (patterns derived from the storage layer's index names). */
export function clientRoles(indices: ElasticsearchIndices): Record<ElasticsearchClient, ElasticsearchRole> {
  const p = indexPatterns(indices);
  return {
    // fluent-plugin-elasticsearch reads the cluster's version at startup (monitor); its bulk requests use
    // op_type "index" (create_doc would refuse them) and create each day's index on its first write.
    logs: { cluster: ["monitor"], indices: [{ names: [p.logs], privileges: ["create_index", "index", "auto_configure"] }] },
    // Jaeger installs its own index templates at startup, then creates, writes and searches its daily indices.
    traces: {
      cluster: ["monitor", "manage_index_templates"],
      indices: [{ names: [p.traces], privileges: ["create_index", "write", "read", "view_index_metadata", "manage"] }],
    },
    // Client libraries read the cluster's version and health (GET /, ping) before their first request.
    app: { cluster: ["monitor"], indices: [{ names: [p.app], privileges: ["read", "write", "create_index", "view_index_metadata", "manage"] }] },
    // ILM runs a policy's actions with the privileges of whoever last PUT it: `manage` on the retained
    // indices is what lets it delete them. `monitor` is for the health check every Job script starts with.
    retention: { cluster: ["monitor", "manage_ilm", "manage_index_templates"], indices: [{ names: [p.logs, p.traces], privileges: ["manage"] }] },
    // Grafana's log explorer: searches and reads the logs' mappings, writes nothing.
    logsReader: { cluster: ["monitor"], indices: [{ names: [p.logs], privileges: ["read", "view_index_metadata"] }] },
    // The exporter sidecar: cluster health and the node's own stats (cluster `monitor`), no index at all.
    metrics: { cluster: ["monitor"], indices: [] },
  };
}

export interface ElasticsearchUsersArgs {
  /** An image with bash and curl: Elasticsearch's own. */
  image: string;
  jobSize: ServiceSize;
  /** "http://host:9200" */
  url: string;
  endpoint: ServiceEndpoint;
  indices: ElasticsearchIndices;
  /** The superuser that creates the others (a Secret in the Job's namespace). */
  admin: { username: string; password: SecretKeyRef };
  /** Every client's password (elasticsearchUserSecrets), generated before the nodes that one of them runs beside. */
  secrets: ElasticsearchUserSecrets;
}

export type ElasticsearchUserSecrets = Readonly<Record<ElasticsearchClient, GeneratedSecret>>;

/** Generates every client's password, each in a Secret of its own (`elasticsearch-<user>`). */
export function elasticsearchUserSecrets(args: { image: string }, ctx: WorkloadContext, parent: pulumi.Resource): ElasticsearchUserSecrets {
  const id = { name: JOB, component: "bootstrap", version: imageVersion(args.image) };
  return Object.fromEntries(
    ELASTICSEARCH_CLIENTS.map((c) => [
      c,
      new GeneratedSecret(
        `elasticsearch-${ACCOUNTS[c].user}`,
        { namespace: ctx.namespace, labels: labelsOf(id), generate: { password: password(32) }, plain: { username: ACCOUNTS[c].user } },
        { parent },
      ),
    ]),
  ) as Record<ElasticsearchClient, GeneratedSecret>;
}

/** Runs the Job that creates the roles and users with the passwords of `args.secrets`. */
export function elasticsearchUsers(args: ElasticsearchUsersArgs, ctx: WorkloadContext, parent: pulumi.Resource): ElasticsearchClients {
  const id = { name: JOB, component: "bootstrap", version: imageVersion(args.image) };
  const roles = clientRoles(args.indices);
  const secrets = args.secrets;

  const env: EnvVar[] = [
    { name: "ES_URL", value: args.url },
    { name: "ES_USER", value: args.admin.username },
    secretEnv("ES_PASSWORD", args.admin.password),
    { name: "CLIENTS", value: ELASTICSEARCH_CLIENTS.map((c) => c.toUpperCase()).join(" ") },
    ...ELASTICSEARCH_CLIENTS.flatMap((c): EnvVar[] => {
      const C = c.toUpperCase();
      const { user, role } = ACCOUNTS[c];
      return [
        { name: `ROLE_NAME_${C}`, value: role },
        { name: `ROLE_${C}`, value: JSON.stringify({ ...roles[c], metadata: MANAGED }) },
        { name: `USER_NAME_${C}`, value: user },
        { name: `USER_${C}`, value: JSON.stringify({ roles: [role], metadata: MANAGED }) },
        secretEnv(`PASSWORD_${C}`, secrets[c].ref("password")),
      ];
    }),
  ];
  new BatchJob(
    {
      id,
      size: args.jobSize,
      runAsUser: UID,
      containers: [{ name: "users", image: args.image, command: ["bash", "-c", USERS_SCRIPT], env, writablePaths: ["/tmp"] }],
      dependencies: [{ endpoint: args.endpoint, ports: ["http"] }],
    },
    ctx,
    { parent },
  );
  const credentials = (c: ElasticsearchClient): ElasticsearchCredentials => ({ username: ACCOUNTS[c].user, password: secrets[c].credential("password") });
  return Object.fromEntries(ELASTICSEARCH_CLIENTS.map((c) => [c, credentials(c)])) as Record<ElasticsearchClient, ElasticsearchCredentials>;
}

/**
 * For each client, PUTs its role, then its user with the password spliced into the user's body in a
 * 0600 file (the generated passwords are letters and digits: nothing to escape in JSON).
 */
const USERS_SCRIPT = `${ES_API_PRELUDE}for c in $CLIENTS; do
  role="ROLE_NAME_$c" body="ROLE_$c"
  put "_security/role/\${!role}" "\${!body}"
  user="USER_NAME_$c" body="USER_$c" secret="PASSWORD_$c"
  fields="\${!body}"
  printf '{"password":"%s",%s' "\${!secret}" "\${fields#\\{}" > /tmp/user.json
  put "_security/user/\${!user}" @/tmp/user.json
  rm -f /tmp/user.json
done
`;
