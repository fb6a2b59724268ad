/**
 * Daily dumps of the small stores whose own tools give a consistent copy while they run: Nacos' MySQL
 * (`mysqldump --single-transaction`, as the application user, which owns its database; Nacos' schema has
 * no routines, and dumping them would need a global privilege that user lacks) and Milvus' etcd
 * (`etcdctl snapshot save`, taken just before the object store's mirror so that Milvus' metadata and its
 * objects are copied close together).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { secretEnv } from "../../kit/container";
import { WorkloadContext } from "../../kit/workload";
import { EtcdOutputs } from "../milvus/milvus-etcd";
import { MysqlOutputs } from "../nacos/mysql";
import { STAGING, dumpJob } from "./dump";
import { BackupTarget } from "./target";
import { primaryPortNumber } from "../../kit/endpoint";

interface StoreBackupArgs {
  /** The store's image (its client matches the server). */
  image: string;
  clientImage: string;
  size: ServiceSize;
  target: BackupTarget;
  retentionDays: number;
}

export function mysqlBackup(args: StoreBackupArgs & { name: string; mysql: MysqlOutputs }, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const { mysql } = args;
  dumpJob(
    {
      name: `${args.name}-backup`,
      image: args.image,
      // MYSQL_PWD keeps the password off the command line.
      dump: {
        script: `mysqldump --host="$MYSQL_HOST" --port="$MYSQL_PORT" --user="$MYSQL_USER" --single-transaction --no-tablespaces --databases "$MYSQL_DATABASE" --result-file=${STAGING}/$STAMP/${mysql.database}.sql
[ -s ${STAGING}/$STAMP/${mysql.database}.sql ]
`,
      },
      env: [
        { name: "MYSQL_HOST", value: mysql.endpoint.host },
        { name: "MYSQL_PORT", value: String(primaryPortNumber(mysql.endpoint)) },
        { name: "MYSQL_USER", value: mysql.user },
        { name: "MYSQL_DATABASE", value: mysql.database },
        secretEnv("MYSQL_PWD", mysql.password.in(ctx.namespace)),
      ],
      store: { endpoint: mysql.endpoint },
      clientImage: args.clientImage,
      size: args.size,
      target: args.target,
      folder: args.name,
      schedule: "15 3 * * *",
      retentionDays: args.retentionDays,
    },
    ctx,
    parent,
  );
}

export function etcdBackup(args: StoreBackupArgs & { name: string; etcd: EtcdOutputs }, ctx: WorkloadContext, parent: pulumi.Resource): void {
  dumpJob(
    {
      name: `${args.name}-backup`,
      image: args.image,
      // etcd's image has no shell; etcdctl takes a snapshot from one member.
      dump: { command: ["etcdctl", `--endpoints=http://${args.etcd.endpoints[0]}`, "snapshot", "save", `${STAGING}/etcd.db`] },
      env: [],
      store: { endpoint: args.etcd.endpoint },
      clientImage: args.clientImage,
      size: args.size,
      target: args.target,
      folder: args.name,
      // Ten minutes before the object store's mirror (03:30), which copies Milvus' objects.
      schedule: "20 3 * * *",
      retentionDays: args.retentionDays,
    },
    ctx,
    parent,
  );
}
