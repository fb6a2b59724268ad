import { strict as assert } from "assert";
import { NAMESPACES } from "../../components/config/catalog";
import { Rendered, render } from "../harness";

const NS = NAMESPACES.storage;
const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e]));
/** The pod DNS names a rendered StatefulSet will create, derived from its own spec. */
const podHostsOf = (r: Rendered, name: string) => {
  const s = r.object("kubernetes:apps/v1:StatefulSet", name, NS).inputs;
  return Array.from({ length: s.spec.replicas }, (_, i) => `${s.metadata.name}-${i}.${s.spec.serviceName}.${s.metadata.namespace}.svc.cluster.local`);
};

describe("messaging: kafka", () => {
  let dev: Rendered;
  let prod: Rendered;
  before(async () => {
    dev = await render("dev");
    prod = await render("prod");
  });
  const kafkaEnv = (r: Rendered) => envOf(r.object("kubernetes:apps/v1:StatefulSet", "kafka", NS).inputs.spec.template.spec.containers[0]);

  it("runs KRaft with every pod as broker and controller, voters naming exactly the StatefulSet's pods", () => {
    for (const r of [dev, prod]) {
      const env = kafkaEnv(r);
      assert.equal(env.KAFKA_PROCESS_ROLES.value, "broker,controller");
      const expected = podHostsOf(r, "kafka")
        .map((h, i) => `${i}@${h}:9093`)
        .join(",");
      assert.equal(env.KAFKA_CONTROLLER_QUORUM_VOTERS.value, expected);
      assert.equal(env.KAFKA_NODE_ID.valueFrom.fieldRef.fieldPath, "metadata.labels['apps.kubernetes.io/pod-index']");
    }
    assert.equal(podHostsOf(prod, "kafka").length, 3);
  });

  it("replicates 3 / min ISR 2 in production and keeps events 7 days", () => {
    const p = kafkaEnv(prod);
    assert.deepEqual([p.KAFKA_DEFAULT_REPLICATION_FACTOR.value, p.KAFKA_MIN_INSYNC_REPLICAS.value, p.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR.value], ["3", "2", "3"]);
    const d = kafkaEnv(dev);
    assert.deepEqual([d.KAFKA_DEFAULT_REPLICATION_FACTOR.value, d.KAFKA_MIN_INSYNC_REPLICAS.value], ["1", "1"]);
    assert.equal(p.KAFKA_LOG_RETENTION_HOURS.value, "168");
  });

  it("authenticates clients with SASL and generated credentials, and generates the cluster id once", () => {
    const env = kafkaEnv(dev);
    assert.match(env.KAFKA_LISTENERS.value, /^SASL_PLAINTEXT:\/\/:9092,CONTROLLER:\/\/:9093$/);
    const jaasRef = env.KAFKA_LISTENER_NAME_SASL__PLAINTEXT_PLAIN_SASL_JAAS_CONFIG.valueFrom.secretKeyRef;
    const brokerSecret = dev.object("kubernetes:core/v1:Secret", jaasRef.name, NS).inputs.stringData;
    const secret = dev.object("kubernetes:core/v1:Secret", "kafka-auth", NS).inputs.stringData;
    assert.ok(brokerSecret[jaasRef.key].includes(`user_voicehelper="${secret.password}"`), "the broker accepts the clients' generated credential");
    assert.equal(env.CLUSTER_ID.valueFrom.secretKeyRef.key, "cluster-id");
    assert.match(secret["cluster-id"], /^[A-Za-z0-9_-]{22}$/, "16 bytes, base64url, as kafka-storage expects");
    assert.ok(dev.resources.some((x) => x.type === "random:index/randomId:RandomId" && x.inputs.byteLength === 16));
  });

  it("sizes the heap at half the memory limit", () => {
    assert.equal(kafkaEnv(prod).KAFKA_HEAP_OPTS.value, "-Xms2048m -Xmx2048m");
  });

  it("lets only brokers reach the controller port", () => {
    const peers = prod.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "kafka-from-peers").inputs.spec.ingress[0];
    assert.deepEqual(peers.ports.map((p: any) => p.port).sort(), [15008, 9092, 9093], "client, controller, and HBONE (prod runs the ambient mesh)");
    const svc = prod.object("kubernetes:core/v1:Service", "kafka", NS).inputs.spec.ports.map((p: any) => p.port);
    assert.deepEqual(svc, [9092], "clients only see the client listener");
  });

  it("kafka-ui requires a login with a generated password and reaches Kafka with the client credentials", () => {
    const c = dev.object("kubernetes:apps/v1:Deployment", "kafka-ui", NS).inputs.spec.template.spec.containers[0];
    const env = envOf(c);
    assert.equal(env.AUTH_TYPE.value, "LOGIN_FORM");
    assert.equal(env.SPRING_SECURITY_USER_PASSWORD.valueFrom.secretKeyRef.name, "kafka-ui-login");
    assert.equal(
      env.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS.value,
      podHostsOf(dev, "kafka")
        .map((h) => `${h}:9092`)
        .join(","),
    );
    assert.equal(env.KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG.valueFrom.secretKeyRef.key, "client-jaas");
    assert.ok(dev.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "kafka-from-kafka-ui"));
  });
});

describe("messaging: nats", () => {
  const config = (r: Rendered) => r.object("kubernetes:core/v1:Secret", "nats-auth", NS).inputs.stringData["nats.conf"] as string;

  it("runs one JetStream server in the minimal tier, with client auth and no cluster block", async () => {
    const dev = await render("dev");
    const conf = config(dev);
    assert.match(conf, /jetstream \{\n  store_dir: \/data\/jetstream/);
    assert.match(conf, /max_file_store: 1843MB/, "90% of a 2Gi volume");
    assert.match(conf, /authorization \{\n  user: voicehelper\n  password: "[A-Za-z0-9]{32}"/);
    assert.doesNotMatch(conf, /cluster \{/);
    assert.equal(dev.ofType("kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata.name.startsWith("nats")).length, 0, "the config holds passwords: Secret only");
  });

  it("clusters 3 servers in production with routes naming exactly the StatefulSet's pods, authenticated", async () => {
    const prod = await render("prod");
    const conf = config(prod);
    const routes = [...conf.matchAll(/nats:\/\/route:([^@]+)@([^:]+):6222/g)];
    assert.deepEqual(
      routes.map((m) => m[2]),
      podHostsOf(prod, "nats"),
    );
    const routePassword = prod.object("kubernetes:core/v1:Secret", "nats-auth", NS).inputs.stringData["route-password"];
    assert.ok(routes.every((m) => m[1] === routePassword));
    const c = prod.object("kubernetes:apps/v1:StatefulSet", "nats", NS).inputs.spec.template.spec.containers[0];
    assert.equal(c.readinessProbe.httpGet.path, "/healthz?js-enabled-only=true");
    assert.deepEqual(c.lifecycle.preStop.exec.command, ["nats-server", "--signal", "ldm=/var/run/nats/nats.pid"]);
    assert.ok(prod.object("kubernetes:policy/v1:PodDisruptionBudget", "nats"));
  });
});

describe("messaging: rabbitmq", () => {
  const secret = (r: Rendered) => r.object("kubernetes:core/v1:Secret", "rabbitmq-auth", NS).inputs.stringData;
  const sts = (r: Rendered) => r.object("kubernetes:apps/v1:StatefulSet", "rabbitmq", NS).inputs;

  it("has no default user: the first boot creates the generated admin, never guest", async () => {
    const dev = await render("dev");
    const s = secret(dev);
    assert.match(s["rabbitmq.conf"], new RegExp(`^default_user = ${s.username}$`, "m"));
    assert.ok(s["rabbitmq.conf"].includes(`default_pass = ${s.password}`));
    assert.match(s.password, /^[A-Za-z0-9]{32}$/);
    assert.doesNotMatch(s["rabbitmq.conf"], /guest/);
    assert.equal(dev.ofType("kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata.name.startsWith("rabbitmq")).length, 0, "the config holds a password: Secret only");
  });

  it("forms a cluster by Kubernetes peer discovery from the pods' long names, with the Erlang cookie from a Secret file made owner-only", async () => {
    const prod = await render("prod");
    const spec = sts(prod).spec;
    assert.equal(spec.replicas, 3);
    assert.match(secret(prod)["rabbitmq.conf"], /cluster_formation\.peer_discovery_backend = k8s/);
    assert.match(secret(prod).enabled_plugins, /rabbitmq_peer_discovery_k8s/);
    const env = envOf(spec.template.spec.containers[0]);
    assert.equal(env.RABBITMQ_USE_LONGNAME.value, "true");
    assert.equal(env.RABBITMQ_NODENAME.value, `rabbit@$(POD_NAME).${spec.serviceName}.${NS}.svc.cluster.local`);
    const init = spec.template.spec.initContainers[0];
    assert.match(init.command[2], /chmod 0400 \/var\/lib\/rabbitmq\/\.erlang\.cookie/);
    const cookie = spec.template.spec.volumes.find((v: any) => v.name === "cookie");
    assert.equal(cookie.secret.items[0].key, "erlang-cookie");
    assert.equal(spec.template.spec.automountServiceAccountToken, false, "4.1+ peer discovery needs no API access");
    const peers = prod.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "rabbitmq-from-peers").inputs.spec.ingress[0];
    // The client Service's ports (AMQP, and management for the users Job) plus Erlang distribution.
    assert.deepEqual(
      peers.ports.map((p: any) => p.port).sort((a: number, b: number) => a - b),
      [4369, 5672, 15008, 15672, 25672],
    );
  });
});
