/**
 * MySQL 8.4, one node, for a single consumer (Nacos): a generated root password and an application
 * user owning one database. An optional schema is loaded on the first start only, by the image's own
 * /docker-entrypoint-initdb.d mechanism, from a file an init container copies out of another image
 * (so the schema always matches the consumer's pinned version).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { execProbe, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { Workload, WorkloadContext } from "../../kit/workload";

const PORT = 3306;
const UID = 999; // the mysql user of the official image
const INITDB = "/docker-entrypoint-initdb.d";

export interface MysqlArgs {
  name: string;
  image: string;
  size: ServiceSize;
  database: string;
  user: string;
  /** A schema file inside another image, loaded into `database` when the data directory is first created. */
  schema?: { image: string; path: string };
}

export interface MysqlOutputs {
  endpoint: ServiceEndpoint;
  database: string;
  user: string;
  password: SharedCredential;
}

export function mysql(args: MysqlArgs, ctx: WorkloadContext, parent: pulumi.Resource): MysqlOutputs {
  const { name } = args;
  const id = { name, component: "database", version: imageVersion(args.image) };
  const auth = new GeneratedSecret(
    `${name}-auth`,
    { namespace: ctx.namespace, labels: labelsOf(id), generate: { rootPassword: password(32), password: password(32) }, plain: { username: args.user } },
    { parent },
  );
  // Answers over TCP only once the entrypoint's temporary init server is gone and the real one is up.
  const ping = execProbe(["mysqladmin", "--protocol=tcp", "-h", "127.0.0.1", "ping"]);

  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      state: { mountPath: "/var/lib/mysql" },
      initContainers: args.schema
        ? [
            {
              name: "schema",
              image: args.schema.image,
              command: ["sh", "-c", `test -s "$SCHEMA" || { echo "no schema at $SCHEMA in this image" >&2; exit 1; }; cp "$SCHEMA" ${INITDB}/`],
              env: [{ name: "SCHEMA", value: args.schema.path }],
              volumeMounts: [{ name: "initdb", mountPath: INITDB }],
            },
          ]
        : undefined,
      containers: [
        {
          name: "mysql",
          image: args.image,
          env: [
            secretEnv("MYSQL_ROOT_PASSWORD", auth.ref("rootPassword")),
            { name: "MYSQL_DATABASE", value: args.database },
            secretEnv("MYSQL_USER", auth.ref("username")),
            secretEnv("MYSQL_PASSWORD", auth.ref("password")),
          ],
          ports: [{ name: "mysql", containerPort: PORT }],
          volumeMounts: [
            // A subdirectory: mysqld refuses to initialise a volume root that holds lost+found.
            { name: "data", mountPath: "/var/lib/mysql", subPath: "mysql" },
            ...(args.schema ? [{ name: "initdb", mountPath: INITDB, readOnly: true }] : []),
          ],
          writablePaths: ["/var/run/mysqld", "/tmp"],
          probes: { startup: startupAllowance(ping, 10), readiness: ping, liveness: ping },
        },
      ],
      volumes: args.schema ? [{ name: "initdb", emptyDir: {} }] : undefined,
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    { parent },
  );

  return { endpoint: workload.endpoint, database: args.database, user: args.user, password: auth.credential("password") };
}
