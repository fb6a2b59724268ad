/**
 * Least privilege on RabbitMQ: each client service gets its own generated user on the application
 * vhost, with permissions on that vhost only and no tags (no management UI or HTTP API). The
 * generated admin stays for operators and for this bootstrap.
 *
 * A Job sets them up through the management HTTP API. Every PUT is idempotent, and a PUT on an
 * existing user replaces its password and tags, so a re-run converges. Everything the Job does (the
 * users, the vhost, the request bodies, the image) is in its pod template: changing any of it is a new
 * template, which Pulumi applies by replacing the Job, and the new Job runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceName } from "../../config/catalog";
import { ServiceSize } from "../../config/schema";
import { secretEnv } from "../../kit/container";
import { ServiceEndpoint, hostPort } from "../../kit/endpoint";
import { apiScriptPrelude } from "../../kit/api-script";
import { BatchJob } from "../../kit/job";
import { Labels, imageVersion } from "../../kit/labels";
import { GeneratedSecret, SecretKeyRef, SharedCredential, password } from "../../kit/secret";
import { WorkloadContext } from "../../kit/workload";

/** The curl image's own user. */
const UID = 100;
const PASSWORDS_DIR = "/etc/rabbitmq-users";

/** A client's own login. */
export interface RabbitmqLogin {
  username: string;
  password: SharedCredential;
}

export interface RabbitmqUsersArgs {
  /** An image with sh and curl. */
  image: string;
  jobSize: ServiceSize;
  /** RabbitMQ's endpoint including its management port. */
  management: ServiceEndpoint;
  admin: { username: string; password: SecretKeyRef };
  vhost: string;
  clients: readonly ServiceName[];
  labels: Labels;
}

/**
 * What each client may do on the vhost. Everything: the queue and exchange names are each client's
 * own contract, not known here, and the vhost itself is the boundary (nothing else lives on it).
 */
export const CLIENT_PERMISSIONS = { configure: ".*", write: ".*", read: ".*" } as const;

/**
 * The body of `PUT /api/users/<name>` as a printf format: the password goes in at run time. Generated
 * passwords are letters and digits only, so they need no JSON escaping. Empty tags: no management access.
 */
export const USER_BODY_FORMAT = '{"password":"%s","tags":""}';

export function rabbitmqUsers(args: RabbitmqUsersArgs, ctx: WorkloadContext, parent: pulumi.Resource): Partial<Record<ServiceName, RabbitmqLogin>> {
  const secrets = args.clients.map(
    (client) =>
      [
        client,
        new GeneratedSecret(`rabbitmq-user-${client}`, { namespace: ctx.namespace, labels: args.labels, generate: { password: password(32) }, plain: { username: client } }, { parent }),
      ] as const,
  );
  new BatchJob(
    {
      id: { name: "rabbitmq-users", component: "bootstrap", version: imageVersion(args.image) },
      size: args.jobSize,
      runAsUser: UID,
      containers: [
        {
          name: "users",
          image: args.image,
          command: ["sh", "-c", USERS_SCRIPT],
          env: [
            { name: "API", value: `http://${hostPort(args.management, "management")}/api` },
            { name: "ADMIN_USER", value: args.admin.username },
            secretEnv("ADMIN_PASSWORD", args.admin.password),
            { name: "VHOST", value: encodeURIComponent(args.vhost) },
            { name: "VHOST_BODY", value: JSON.stringify({ description: "VoiceHelper application messaging" }) },
            { name: "USERS", value: args.clients.join(" ") },
            { name: "USER_BODY", value: USER_BODY_FORMAT },
            { name: "PERMISSIONS_BODY", value: JSON.stringify(CLIENT_PERMISSIONS) },
          ],
          volumeMounts: [{ name: "passwords", mountPath: PASSWORDS_DIR, readOnly: true }],
          writablePaths: ["/tmp"],
        },
      ],
      // Group-readable (fsGroup): the container's user reads them.
      volumes: [{ name: "passwords", projected: { defaultMode: 0o440, sources: secrets.map(([client, s]) => ({ secret: { name: s.secretName, items: [{ key: "password", path: client }] } })) } }],
      dependencies: [{ endpoint: args.management, ports: ["management"] }],
    },
    ctx,
    { parent },
  );
  return Object.fromEntries(secrets.map(([client, s]) => [client, { username: client, password: s.credential("password") }]));
}

/**
 * Waits for the API, then PUTs the vhost, each user and its permissions on the vhost. The admin's
 * credentials reach curl in a config file, each body (a user's carries its password) in a file; the
 * shell writes both with its printf builtin, so no credential is ever an argument of a process.
 */
const USERS_SCRIPT = `set -eu
${apiScriptPrelude({ baseUrlVar: "API", userVar: "ADMIN_USER", passwordVar: "ADMIN_PASSWORD", healthPath: "overview", service: "RabbitMQ", retrySeconds: 5 })}printf '%s' "$VHOST_BODY" > /tmp/body
put "vhosts/$VHOST" @/tmp/body
for user in $USERS; do
  # An empty password would make a user without one: refuse rather than PUT it.
  [ -s "${PASSWORDS_DIR}/$user" ] || { echo "no password for $user" >&2; exit 1; }
  printf "$USER_BODY" "$(cat "${PASSWORDS_DIR}/$user")" > /tmp/body
  put "users/$user" @/tmp/body
  printf '%s' "$PERMISSIONS_BODY" > /tmp/body
  put "permissions/$VHOST/$user" @/tmp/body
done
rm -f /tmp/curlrc /tmp/body
`;
