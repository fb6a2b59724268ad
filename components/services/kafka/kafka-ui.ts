/**
 * kafka-ui (kafbat): the Kafka console, behind a login form with a generated password (the image's
 * default is no authentication at all).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { Dependency } from "../../kit/network-policy";
import { GeneratedSecret, password } from "../../kit/secret";
import { Workload, WorkloadContext } from "../../kit/workload";
import { KafkaOutputs } from "./kafka";

const HTTP = 8080;
const UID = 1000;

export interface KafkaUiArgs {
  image: string;
  size: ServiceSize;
  kafka: KafkaOutputs;
  dependencies: Dependency[];
}

export function kafkaUi(args: KafkaUiArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const id = { name: "kafka-ui", component: "console", version: imageVersion(args.image) };
  const login = new GeneratedSecret("kafka-ui-login", { namespace: ctx.namespace, labels: labelsOf(id), generate: { password: password(24) }, plain: { username: "admin" } }, { parent });
  const health = httpProbe("/actuator/health", "http");
  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      containers: [
        {
          name: "kafka-ui",
          image: args.image,
          env: [
            { name: "AUTH_TYPE", value: "LOGIN_FORM" },
            secretEnv("SPRING_SECURITY_USER_NAME", login.ref("username")),
            secretEnv("SPRING_SECURITY_USER_PASSWORD", login.ref("password")),
            { name: "KAFKA_CLUSTERS_0_NAME", value: "voicehelper" },
            { name: "KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS", value: args.kafka.bootstrapServers },
            { name: "KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL", value: "SASL_PLAINTEXT" },
            { name: "KAFKA_CLUSTERS_0_PROPERTIES_SASL_MECHANISM", value: "PLAIN" },
            secretEnv("KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG", args.kafka.jaasConfig.in(ctx.namespace)),
            { name: "DYNAMIC_CONFIG_ENABLED", value: "false" },
          ],
          ports: [{ name: "http", containerPort: HTTP }],
          writablePaths: ["/tmp"],
          probes: { startup: startupAllowance(health, 3), readiness: health, liveness: health },
        },
      ],
      dependencies: args.dependencies,
    },
    ctx,
    { parent },
  );
  return workload.endpoint;
}
