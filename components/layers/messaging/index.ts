/**
 * The messaging layer (seed 003 `03-messaging-services`): Kafka for event streams, its console,
 * NATS JetStream for realtime messaging, RabbitMQ for task queues.
 */
import * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "../../config/images";
import { LayerArgs, clientsOf, contextFor, dependenciesOf, isDeployed } from "../context";
import { KafkaOutputs, kafka } from "../../services/kafka/kafka";
import { kafkaUi } from "../../services/kafka/kafka-ui";
import { NatsOutputs, nats } from "../../services/nats/nats";
import { RabbitmqOutputs, rabbitmq } from "../../services/rabbitmq/rabbitmq";

/** Seed 004: events are kept 7 days. */
const KAFKA_RETENTION_HOURS = 168;

export class MessagingLayer extends pulumi.ComponentResource {
  readonly kafka?: KafkaOutputs;
  readonly nats?: NatsOutputs;
  readonly rabbitmq?: RabbitmqOutputs;

  constructor(name: string, args: LayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:messaging:MessagingLayer", name, {}, opts);
    if (isDeployed(args, "kafka")) {
      this.kafka = kafka(
        { name: "kafka", image: IMAGES.kafka, exporterImage: IMAGES.kafkaExporter, size: args.sizes.kafka, retentionHours: KAFKA_RETENTION_HOURS },
        contextFor(args, "kafka", "data"),
        this,
      );
      args.endpoints.register("kafka", this.kafka.endpoint);
    }
    if (isDeployed(args, "kafka-ui") && this.kafka) {
      args.endpoints.register(
        "kafka-ui",
        kafkaUi(
          { image: IMAGES.kafkaUi, size: args.sizes["kafka-ui"], kafka: this.kafka, dependencies: dependenciesOf("kafka-ui", args.endpoints, args.services) },
          contextFor(args, "kafka-ui", "platform"),
          this,
        ),
      );
    }
    if (isDeployed(args, "nats")) {
      this.nats = nats({ name: "nats", image: IMAGES.nats, exporterImage: IMAGES.natsExporter, size: args.sizes.nats }, contextFor(args, "nats", "data"), this);
      args.endpoints.register("nats", this.nats.endpoint);
    }
    if (isDeployed(args, "rabbitmq")) {
      this.rabbitmq = rabbitmq(
        { name: "rabbitmq", image: IMAGES.rabbitmq, size: args.sizes.rabbitmq, clients: clientsOf("rabbitmq", args.services), jobImage: IMAGES.curl, jobSize: args.bootstrapJobSize },
        contextFor(args, "rabbitmq", "data"),
        this,
      );
      args.endpoints.register("rabbitmq", this.rabbitmq.endpoint);
    }
    this.registerOutputs({});
  }
}
