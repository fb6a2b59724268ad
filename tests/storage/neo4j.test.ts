import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { memoryBytes } from "../../components/config/quantity";
import { ConfigError } from "../../components/config/schema";
import { AMBIENT_PROBE_SOURCE } from "../../components/kit/network-policy";
import { Rendered, render } from "../harness";
import { NEO4J_ENTERPRISE_CLUSTER, SECRET, STORAGE_NS, STS, assertProtection, claimSize, envOf, mainContainer, podHostsOf, podNamesOf, portsOf, rendered, secretData, stacks } from "./helpers";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const SERVICE = "kubernetes:core/v1:Service";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const PEER_PORTS = { cluster: 6000, raft: 7000, routing: 7688 };
const hasEnv = (c: any, name: string) => (c.env ?? []).some((e: any) => e.name === name);
/** What algo-service, a client of the graph, is told to connect to. */
const clientUri = (out: Rendered) => envOf(mainContainer(out.object(DEPLOYMENT, "algo-service")), "NEO4J_URI").value;

describe("storage: Neo4j", () => {
  const s = stacks("dev", "prod");

  it("runs one Community node with the tier's volume, on the graph's ports", () => {
    for (const out of [s.dev, s.prod]) {
      const sts = out.object(STS, "neo4j", STORAGE_NS);
      assert.strictEqual(sts.inputs.spec.replicas, 1);
      assert.strictEqual(claimSize(sts), out.config.sizes.neo4j.storage);
      const c = mainContainer(sts);
      assert.strictEqual(c.image, IMAGES.neo4j);
      assert.match(c.image, /community/);
      assert.deepStrictEqual(portsOf(c), { http: 7474, bolt: 7687 });
      assert.strictEqual(c.securityContext.runAsUser, undefined); // the pod's UID applies
      assert.strictEqual(sts.inputs.spec.template.spec.securityContext.runAsUser, 7474);
      assert.ok(c.readinessProbe && c.livenessProbe && c.startupProbe);
    }
  });

  it("accepts no licence and configures no cluster by default; clients get a bolt:// URL", () => {
    for (const out of [s.dev, s.prod]) {
      const c = mainContainer(out.object(STS, "neo4j", STORAGE_NS));
      assert.ok(!hasEnv(c, "NEO4J_ACCEPT_LICENSE_AGREEMENT"));
      assert.ok(!(c.env as any[]).some((e) => /^NEO4J_(dbms_cluster|server_cluster|initial_dbms)/.test(e.name)), "no cluster settings");
      assert.strictEqual(clientUri(out), `bolt://neo4j.${STORAGE_NS}.svc.cluster.local:7687`);
      assert.strictEqual(out.ofType(PDB).filter((p) => p.inputs.metadata.name === "neo4j").length, 0);
    }
  });

  it("sets NEO4J_AUTH to neo4j/<generated password> from a Secret, never none or the default", () => {
    const c = mainContainer(s.prod.object(STS, "neo4j", STORAGE_NS));
    const ref = envOf(c, "NEO4J_AUTH").valueFrom.secretKeyRef;
    const data = secretData(s.prod.object(SECRET, ref.name, STORAGE_NS));
    const auth = data[ref.key];
    assert.strictEqual(auth, `neo4j/${data.password}`);
    assert.ok(data.password.length >= 32);
  });

  it("sizes heap and page cache inside the memory limit", () => {
    for (const out of [s.dev, s.prod]) {
      const c = mainContainer(out.object(STS, "neo4j", STORAGE_NS));
      const mb = (env: string) => Number(/^(\d+)m$/.exec(envOf(c, env).value)![1]) * 2 ** 20;
      const heap = mb("NEO4J_server_memory_heap_max__size");
      assert.strictEqual(envOf(c, "NEO4J_server_memory_heap_initial__size").value, envOf(c, "NEO4J_server_memory_heap_max__size").value);
      const total = heap + mb("NEO4J_server_memory_pagecache_size");
      const limit = memoryBytes(c.resources.limits.memory);
      assert.ok(heap > 0.3 * limit, "heap is a real share of the limit");
      assert.ok(total < 0.8 * limit, "heap + page cache leave room for the rest of the JVM and the OS");
    }
  });

  it("keeps the root filesystem read-only by giving the entrypoint a writable copy of conf/", () => {
    const sts = s.dev.object(STS, "neo4j", STORAGE_NS);
    const c = mainContainer(sts);
    assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
    const confMount = c.volumeMounts.find((m: any) => m.mountPath === "/var/lib/neo4j/conf");
    assert.ok(confMount);
    const init = sts.inputs.spec.template.spec.initContainers.find((i: any) => i.volumeMounts.some((m: any) => m.name === confMount.name));
    assert.ok(init, "an init container fills the conf volume");
    assert.strictEqual(init.image, IMAGES.neo4j);
  });

  it("protects its data in prod and not in dev", () => {
    assertProtection(s.prod.object(STS, "neo4j", STORAGE_NS), true);
    assertProtection(s.dev.object(STS, "neo4j", STORAGE_NS), false);
  });

  it("refuses Enterprise without an accepted licence before creating anything", async () => {
    await assert.rejects(render("dev", { neo4j: { edition: "enterprise" } }), (e: unknown) => e instanceof ConfigError && /neo4j\.acceptLicenseAgreement: is required/.test(e.message));
  });
});

describe("storage: Neo4j Enterprise", () => {
  let single: Rendered;
  let prod: Rendered;
  before(async () => {
    single = await rendered("dev", { deployMode: "storage-only", neo4j: { edition: "enterprise", acceptLicenseAgreement: "yes" } });
    prod = await rendered("prod", NEO4J_ENTERPRISE_CLUSTER);
  });
  const sts = () => prod.object(STS, "neo4j", STORAGE_NS);
  const env = (name: string) => envOf(mainContainer(sts()), name).value as string;

  it("runs one Enterprise node in the minimal tier under the stack's licence answer, with no cluster settings", () => {
    const one = single.object(STS, "neo4j", STORAGE_NS);
    const c = mainContainer(one);
    assert.strictEqual(one.inputs.spec.replicas, 1);
    assert.strictEqual(c.image, IMAGES.neo4jEnterprise);
    assert.strictEqual(one.inputs.spec.template.spec.initContainers[0].image, IMAGES.neo4jEnterprise, "conf/ is seeded from the same image");
    assert.strictEqual(envOf(c, "NEO4J_ACCEPT_LICENSE_AGREEMENT").value, "yes");
    assert.ok(!hasEnv(c, "NEO4J_dbms_cluster_endpoints"));
    assert.deepStrictEqual(portsOf(c), { http: 7474, bolt: 7687 });
  });

  it("runs the production tier's three members from the Enterprise image, started together", () => {
    const c = mainContainer(sts());
    assert.strictEqual(sts().inputs.spec.replicas, 3);
    assert.strictEqual(c.image, IMAGES.neo4jEnterprise);
    assert.match(c.image, /-enterprise$/);
    assert.strictEqual(env("NEO4J_ACCEPT_LICENSE_AGREEMENT"), "eval");
    assert.strictEqual(sts().inputs.spec.podManagementPolicy, "Parallel");
    assert.strictEqual(claimSize(sts()), prod.config.sizes.neo4j.storage);
  });

  it("lists exactly the StatefulSet's pods as discovery endpoints, and makes all of them the initial primaries", () => {
    assert.deepStrictEqual(
      env("NEO4J_dbms_cluster_endpoints").split(","),
      podHostsOf(sts()).map((h) => `${h}:6000`),
    );
    assert.strictEqual(env("NEO4J_dbms_cluster_discovery_resolver__type"), "LIST");
    assert.strictEqual(env("NEO4J_dbms_cluster_minimum__initial__system__primaries__count"), "3");
    assert.strictEqual(env("NEO4J_initial_dbms_default__primaries__count"), "3");
  });

  it("has each member advertise its own pod name, which is the endpoint the others dial", () => {
    const c = mainContainer(sts());
    const names = (c.env as any[]).map((e) => e.name);
    const podName = (c.env as any[]).find((e) => e.valueFrom?.fieldRef?.fieldPath === "metadata.name");
    assert.ok(podName && !podName.name.startsWith("NEO4J_"), "the pod name comes from the downward API, under a name the entrypoint does not turn into a setting");
    const endpoints = env("NEO4J_dbms_cluster_endpoints").split(",");
    const pods = podNamesOf(sts());
    const expand = (v: string, pod: string) => v.split(`$(${podName.name})`).join(pod);
    for (const [setting, port] of [
      ["NEO4J_server_cluster_advertised__address", 6000],
      ["NEO4J_server_cluster_raft_advertised__address", 7000],
      ["NEO4J_server_routing_advertised__address", 7688],
    ] as const) {
      assert.ok(names.indexOf(podName.name) < names.indexOf(setting), `${podName.name} is defined before ${setting} refers to it`);
      pods.forEach((pod, i) => assert.strictEqual(expand(env(setting), pod), endpoints[i].replace(/:6000$/, `:${port}`), `${pod}: ${setting}`));
    }
    pods.forEach((pod, i) => assert.strictEqual(`${expand(env("NEO4J_server_default__advertised__address"), pod)}:6000`, endpoints[i], "bolt is advertised under the same name"));
  });

  it("declares the cluster ports, keeps them off the client Service, and hands clients a neo4j:// routing URL", () => {
    assert.deepStrictEqual(portsOf(mainContainer(sts())), { http: 7474, bolt: 7687, ...PEER_PORTS });
    const client = prod.object(SERVICE, "neo4j", STORAGE_NS);
    assert.deepStrictEqual(client.inputs.spec.ports.map((p: any) => p.port).sort(), [7474, 7687]);
    const headless = prod.object(SERVICE, sts().inputs.spec.serviceName, STORAGE_NS);
    for (const port of Object.values(PEER_PORTS))
      assert.ok(
        headless.inputs.spec.ports.some((p: any) => p.port === port),
        `headless Service carries ${port}`,
      );
    assert.strictEqual(headless.inputs.spec.publishNotReadyAddresses, true, "members find each other before they are ready");
    assert.strictEqual(clientUri(prod), `neo4j://${client.inputs.metadata.name}.${STORAGE_NS}.svc.cluster.local:7687`);
  });

  it("admits the cluster ports from the Neo4j pods only", () => {
    const selector = sts().inputs.spec.selector.matchLabels;
    const self = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": STORAGE_NS } }, podSelector: { matchLabels: selector } };
    const peers = prod.object(NETPOL, "neo4j-from-peers", STORAGE_NS).inputs.spec;
    assert.deepStrictEqual(peers.podSelector.matchLabels, selector);
    assert.deepStrictEqual(peers.ingress[0].from, [self]);
    for (const port of Object.values(PEER_PORTS))
      assert.ok(
        peers.ingress[0].ports.some((p: any) => p.port === port),
        `peers reach ${port}`,
      );
    // Every other ingress rule onto these pods leaves the cluster ports closed (the ambient mesh's
    // kubelet probe source aside, which the kit admits to every meshed pod).
    const onNeo4j = prod.ofType(NETPOL).filter((p) => p.inputs.metadata.namespace === STORAGE_NS && JSON.stringify(p.inputs.spec.podSelector.matchLabels) === JSON.stringify(selector));
    for (const policy of onNeo4j) {
      for (const rule of policy.inputs.spec.ingress ?? []) {
        if (JSON.stringify(rule.from) === JSON.stringify([self])) continue;
        if (JSON.stringify(rule.from) === JSON.stringify([{ ipBlock: { cidr: AMBIENT_PROBE_SOURCE } }])) continue;
        const ports: number[] = (rule.ports ?? [{ port: "any" }]).map((p: any) => p.port);
        for (const port of Object.values(PEER_PORTS)) assert.ok(!ports.includes(port) && ports.every((p) => typeof p === "number"), `${policy.inputs.metadata.name} opens ${ports.join(",")}`);
      }
    }
    const egress = prod.object(NETPOL, "neo4j-egress", STORAGE_NS).inputs.spec.egress;
    assert.ok(
      egress.some((r: any) => JSON.stringify(r.to) === JSON.stringify([self]) && r.ports.some((p: any) => p.port === 7000)),
      "members may dial each other",
    );
  });

  it("spreads the members over nodes and keeps a majority through voluntary disruptions", () => {
    const selector = sts().inputs.spec.selector.matchLabels;
    const spread = sts().inputs.spec.template.spec.topologySpreadConstraints;
    assert.deepStrictEqual(
      spread.map((t: any) => [t.topologyKey, t.whenUnsatisfiable, t.maxSkew]),
      [["kubernetes.io/hostname", "DoNotSchedule", 1]],
    );
    assert.deepStrictEqual(spread[0].labelSelector.matchLabels, selector);
    const pdb = prod.object(PDB, "neo4j", STORAGE_NS).inputs.spec;
    assert.strictEqual(pdb.maxUnavailable, 1);
    assert.deepStrictEqual(pdb.selector.matchLabels, selector);
  });

  it("protects the cluster's data in prod", () => {
    assertProtection(sts(), true);
  });
});
