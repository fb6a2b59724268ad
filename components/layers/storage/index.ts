/**
 * The storage layer (seed 003 `02-storage-services`): the platform's data stores.
 */
import * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "../../config/images";
import { Neo4jSettings, PlatformConfig } from "../../config/schema";
import { NAMESPACES } from "../../config/catalog";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { BackupTarget, inClusterTarget, offClusterTarget } from "../../services/backup/target";
import { LayerArgs, contextFor, dependenciesOf, isDeployed } from "../context";
import { ClickhouseOutputs, clickhouse } from "../../services/clickhouse/clickhouse";
import { clickhouseAnalyticsSchema, clickhouseRetentionConfig } from "../../services/clickhouse/clickhouse-retention";
import { CnpgOperatorOutputs, cnpgOperator } from "../../services/cnpg-operator/cnpg-operator";
import { ElasticsearchOutputs, elasticsearch } from "../../services/elasticsearch/elasticsearch";
import { elasticsearchRetention } from "../../services/elasticsearch/elasticsearch-retention";
import { MilvusOutputs, milvus } from "../../services/milvus/milvus";
import { EtcdOutputs, etcd } from "../../services/milvus/milvus-etcd";
import { MinioOutputs, minio } from "../../services/minio/minio";
import { MysqlOutputs, mysql } from "../../services/nacos/mysql";
import { NACOS_SCHEMA_PATH, NacosOutputs, nacos } from "../../services/nacos/nacos";
import { Neo4jOutputs, neo4j } from "../../services/neo4j/neo4j";
import { BASE_CLIENTS, OBJECT_STORE_CLIENTS, ObjectStoreClients } from "../../services/minio/object-store";
import { PostgresqlOutputs, postgresql } from "../../services/postgresql/postgresql";
import { RedisOutputs, redis } from "../../services/redis/redis";

export interface StorageLayerArgs extends LayerArgs {
  /** Neo4j's edition and, for Enterprise, the licence answer. */
  neo4j: Neo4jSettings;
  /** How long the time-series stores keep data (seed 004). */
  retention: PlatformConfig["retention"];
  /** Where backups go (`backup.target`; the object store's backups bucket when unset) and how long they stay. */
  backup: Pick<PlatformConfig["backup"], "target" | "retentionDays">;
  /** The stack's name: its folder in an off-cluster target, so stacks can share one bucket. */
  stack: string;
  /** Recreate the stack's PostgreSQL cluster from its backups (`restore.postgresql`). */
  restorePostgresql?: { targetTime?: string };
  /** Start Redis on one hourly RDB copy (`restore.redis`). */
  restoreRedis?: { snapshot: string };
}

export class StorageLayer extends pulumi.ComponentResource {
  readonly redis?: RedisOutputs;
  readonly minio?: MinioOutputs;
  readonly neo4j?: Neo4jOutputs;
  readonly elasticsearch?: ElasticsearchOutputs;
  readonly milvusEtcd?: EtcdOutputs;
  readonly milvus?: MilvusOutputs;
  readonly clickhouse?: ClickhouseOutputs;
  readonly nacosMysql?: MysqlOutputs;
  readonly nacos?: NacosOutputs;
  readonly cnpgOperator?: CnpgOperatorOutputs;
  readonly postgresql?: PostgresqlOutputs;
  /** The object store (MinIO today) as each of its clients sees it, with credentials limited to its buckets. */
  readonly objectStores?: ObjectStoreClients;
  /** Where every backup of the platform is written. */
  readonly backupTarget?: BackupTarget;

  constructor(name: string, args: StorageLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:storage:StorageLayer", name, {}, opts);
    if (isDeployed(args, "minio")) {
      this.minio = minio(
        {
          image: IMAGES.minio,
          clientImage: IMAGES.minioClient,
          size: args.sizes.minio,
          jobSize: args.bootstrapJobSize,
          // Self-hosted PostHog keeps session recordings in its own bucket, with its own user.
          clients: isDeployed(args, "posthog-web") ? OBJECT_STORE_CLIENTS : BASE_CLIENTS,
        },
        contextFor(args, "minio", "data"),
        this,
      );
      this.objectStores = this.minio.clients;
      args.endpoints.register("minio", this.minio.endpoint);
    }
    if (args.backup.target) {
      const labels = labelsOf({ name: "backup-target", component: "backup", version: imageVersion(IMAGES.minioClient) });
      this.backupTarget = offClusterTarget("backup-target", { ...args.backup.target, root: `${args.stack}/` }, NAMESPACES.storage, labels, this);
    } else if (this.objectStores) {
      this.backupTarget = inClusterTarget(this.objectStores.backup);
    }
    if (isDeployed(args, "redis")) {
      if (args.restoreRedis && !this.backupTarget) throw new Error("redis: restore.redis needs a backup target to restore from");
      this.redis = redis(
        {
          name: "redis",
          image: IMAGES.redis,
          exporterImage: IMAGES.redisExporter,
          size: args.sizes.redis,
          jobSize: args.bootstrapJobSize,
          evictionPolicy: "allkeys-lru",
          restore: args.restoreRedis && this.backupTarget && { clientImage: IMAGES.minioClient, target: this.backupTarget, snapshot: args.restoreRedis.snapshot },
        },
        contextFor(args, "redis", "data"),
        this,
      );
      args.endpoints.register("redis", this.redis.endpoint);
    }
    if (isDeployed(args, "neo4j")) {
      this.neo4j = neo4j({ image: args.neo4j.edition === "enterprise" ? IMAGES.neo4jEnterprise : IMAGES.neo4j, size: args.sizes.neo4j, edition: args.neo4j }, contextFor(args, "neo4j", "data"), this);
      args.endpoints.register("neo4j", this.neo4j.endpoint);
    }
    if (isDeployed(args, "elasticsearch")) {
      const ctx = contextFor(args, "elasticsearch", "data");
      this.elasticsearch = elasticsearch({ image: IMAGES.elasticsearch, exporterImage: IMAGES.elasticsearchExporter, size: args.sizes.elasticsearch, jobSize: args.bootstrapJobSize }, ctx, this);
      args.endpoints.register("elasticsearch", this.elasticsearch.endpoint);
      elasticsearchRetention({ image: IMAGES.elasticsearch, jobSize: args.bootstrapJobSize, days: args.retention.elasticsearchDays, elasticsearch: this.elasticsearch }, ctx, this);
    }
    if (isDeployed(args, "milvus-etcd")) {
      this.milvusEtcd = etcd({ name: "milvus-etcd", image: IMAGES.etcd, size: args.sizes["milvus-etcd"] }, contextFor(args, "milvus-etcd", "data"), this);
      args.endpoints.register("milvus-etcd", this.milvusEtcd.endpoint);
    }
    if (isDeployed(args, "milvus")) {
      if (!this.milvusEtcd || !this.objectStores) throw new Error("milvus needs milvus-etcd and the object store, which this stack does not deploy");
      this.milvus = milvus(
        {
          image: IMAGES.milvus,
          size: args.sizes.milvus,
          etcd: this.milvusEtcd,
          objectStore: this.objectStores.milvus,
          dependencies: dependenciesOf("milvus", args.endpoints, args.services),
        },
        contextFor(args, "milvus", "data"),
        this,
      );
      args.endpoints.register("milvus", this.milvus.endpoint);
    }
    if (isDeployed(args, "clickhouse")) {
      const ctx = contextFor(args, "clickhouse", "data");
      const days = args.retention.clickhouseDays;
      this.clickhouse = clickhouse({ name: "clickhouse", image: IMAGES.clickhouse, size: args.sizes.clickhouse, extraConfig: clickhouseRetentionConfig(days) }, ctx, this);
      args.endpoints.register("clickhouse", this.clickhouse.endpoint);
      clickhouseAnalyticsSchema({ image: IMAGES.clickhouse, jobSize: args.bootstrapJobSize, days, clickhouse: this.clickhouse }, ctx, this);
    }
    if (isDeployed(args, "nacos-mysql")) {
      this.nacosMysql = mysql(
        {
          name: "nacos-mysql",
          image: IMAGES.mysql,
          size: args.sizes["nacos-mysql"],
          database: "nacos",
          user: "nacos",
          // The schema of exactly the Nacos version deployed, taken from its image.
          schema: { image: IMAGES.nacos, path: NACOS_SCHEMA_PATH },
        },
        contextFor(args, "nacos-mysql", "data"),
        this,
      );
      args.endpoints.register("nacos-mysql", this.nacosMysql.endpoint);
    }
    if (isDeployed(args, "nacos")) {
      if (!this.nacosMysql) throw new Error("nacos needs nacos-mysql, which this stack does not deploy");
      this.nacos = nacos(
        { image: IMAGES.nacos, size: args.sizes.nacos, jobSize: args.bootstrapJobSize, mysql: this.nacosMysql, dependencies: dependenciesOf("nacos", args.endpoints, args.services) },
        contextFor(args, "nacos", "platform"),
        this,
      );
      args.endpoints.register("nacos", this.nacos.endpoint);
    }
    // Without remote charts the operator must be installed by other means (e.g. from a mirrored chart).
    if (isDeployed(args, "cnpg-operator") && args.externalCharts) {
      this.cnpgOperator = cnpgOperator({ size: args.sizes["cnpg-operator"] }, contextFor(args, "cnpg-operator", "platform"), this);
      args.endpoints.register("cnpg-operator", this.cnpgOperator.endpoint);
    }
    if (isDeployed(args, "postgresql")) {
      if (!this.backupTarget) throw new Error("postgresql needs a backup target: backup.target, or the object store, which this stack does not deploy");
      this.postgresql = postgresql(
        {
          image: IMAGES.postgresql,
          size: args.sizes.postgresql,
          poolerSize: isDeployed(args, "postgresql-pooler") ? args.sizes["postgresql-pooler"] : undefined,
          operator: this.cnpgOperator,
          backupTarget: this.backupTarget,
          retentionDays: args.backup.retentionDays.postgresql,
          restore: args.restorePostgresql,
        },
        contextFor(args, "postgresql", "data"),
        this,
      );
      args.endpoints.register("postgresql", this.postgresql.endpoint);
      if (this.postgresql.pooler) args.endpoints.register("postgresql-pooler", this.postgresql.pooler);
    }
    this.registerOutputs({});
  }
}
