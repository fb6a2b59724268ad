/**
 * Least privilege in Elasticsearch, read from what the cluster would receive: the users Job's request
 * bodies, each client's rendered login, and the index names the writers are configured with (from their
 * own configuration, not from the program's constants).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { IMAGES } from "../../components/config/images";
import { ProgramOutputs } from "../../components/program";
import { ElasticsearchIndices, PLATFORM_INDICES, indexPatterns } from "../../components/services/elasticsearch/elasticsearch-indices";
import { elasticsearchUserSecrets, elasticsearchUsers } from "../../components/services/elasticsearch/elasticsearch-users";
import { Rendered, RenderedResource, containersOf, renderConfig } from "../harness";
import { ELASTICSEARCH } from "../observability/helpers";
import { MONITORING, covered, fluentdIndex, jaegerIndices } from "./elasticsearch-indices";
import { CONFIGMAP, JOB, SECRET, STORAGE_NS, envOf, mainContainer, secretData, stacks } from "./helpers";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const APPS = "voicehelper";
const ELASTIC_SECRET = "elasticsearch-auth";

/** The roles and users the Job PUTs, by name, as the security API receives them. */
function usersJob(out: Rendered) {
  const container = mainContainer(out.object(JOB, "elasticsearch-users", STORAGE_NS));
  const clients: string[] = envOf(container, "CLIENTS").value.split(" ");
  const roles: Record<string, any> = {};
  const users: Record<string, { body: any; password: { name: string; key: string } }> = {};
  for (const c of clients) {
    roles[envOf(container, `ROLE_NAME_${c}`).value] = JSON.parse(envOf(container, `ROLE_${c}`).value);
    users[envOf(container, `USER_NAME_${c}`).value] = { body: JSON.parse(envOf(container, `USER_${c}`).value), password: envOf(container, `PASSWORD_${c}`).valueFrom.secretKeyRef };
  }
  return { container, roles, users };
}

/** The index patterns a user's roles grant anything on. */
function patternsOf(out: Rendered, user: string): string[] {
  const job = usersJob(out);
  assert.ok(job.users[user], `the Job creates user ${user}`);
  return job.users[user].body.roles.flatMap((r: string) => job.roles[r].indices.flatMap((i: any) => i.names));
}

interface Login {
  client: string;
  namespace: string;
  user: string;
  password: { name: string; key: string };
}

/** How each client logs in, read from its own rendered workload. */
function logins(out: Rendered): Login[] {
  const fluentd = mainContainer(out.object("kubernetes:apps/v1:DaemonSet", "fluentd", MONITORING));
  const jaeger = mainContainer(out.object("kubernetes:apps/v1:Deployment", "jaeger", MONITORING));
  const jaegerConfig = parse(out.object(CONFIGMAP, "jaeger-config", MONITORING).inputs.data["config.yaml"]);
  const algo = mainContainer(out.object("kubernetes:apps/v1:Deployment", "algo-service", APPS));
  const retention = mainContainer(out.object(JOB, "elasticsearch-retention", STORAGE_NS));
  const grafana = mainContainer(out.object("kubernetes:apps/v1:StatefulSet", "grafana", MONITORING));
  const logsSource = parse(out.object(CONFIGMAP, "grafana-provisioning", MONITORING).inputs.data["datasources.yaml"]).datasources.find((d: any) => d.type === "elasticsearch");
  const exporter = out.object("kubernetes:apps/v1:StatefulSet", "elasticsearch", STORAGE_NS).inputs.spec.template.spec.containers.find((c: any) => c.name === "elasticsearch-exporter");
  const ref = (c: any, env: string) => envOf(c, env).valueFrom.secretKeyRef;
  return [
    { client: "fluentd", namespace: MONITORING, user: envOf(fluentd, "ES_USER").value, password: ref(fluentd, "ES_PASSWORD") },
    { client: "jaeger", namespace: MONITORING, user: jaegerConfig.extensions.jaeger_storage.backends.elasticsearch.elasticsearch.auth.basic.username, password: ref(jaeger, "ES_PASSWORD") },
    { client: "algo-service", namespace: APPS, user: envOf(algo, "ELASTICSEARCH_USERNAME").value, password: ref(algo, "ELASTICSEARCH_PASSWORD") },
    { client: "retention", namespace: STORAGE_NS, user: envOf(retention, "ES_USER").value, password: ref(retention, "ES_PASSWORD") },
    // Grafana expands $VAR in its provisioning file: the data source's password is that env var.
    { client: "grafana", namespace: MONITORING, user: logsSource.basicAuthUser, password: ref(grafana, logsSource.secureJsonData.basicAuthPassword.replace(/^\$/, "")) },
    // The exporter sidecar in each node's pod: the user in its ES_URI, the password from its env.
    { client: "exporter", namespace: STORAGE_NS, user: new URL(envOf(exporter, "ES_URI").value.replace("$(ES_PASSWORD)", "x")).username, password: ref(exporter, "ES_PASSWORD") },
  ];
}

const loginOf = (out: Rendered, client: string) => logins(out).find((l) => l.client === client)!;
const valueOf = (out: Rendered, namespace: string, ref: { name: string; key: string }) => secretData(out.object(SECRET, ref.name, namespace))[ref.key];

/** An index the applications would create: `<ELASTICSEARCH_INDEX_PREFIX>-<name>`. */
function appIndex(out: Rendered): string {
  return `${envOf(mainContainer(out.object("kubernetes:apps/v1:Deployment", "algo-service", APPS)), "ELASTICSEARCH_INDEX_PREFIX").value}-documents`;
}

describe("storage: Elasticsearch users (least privilege)", () => {
  const s = stacks("dev", "prod");

  it("every client logs in as its own user, with a password from its own Secret, never as elastic", () => {
    for (const out of [s.dev, s.prod]) {
      const elastic = valueOf(out, STORAGE_NS, { name: ELASTIC_SECRET, key: "password" });
      const all = logins(out);
      for (const l of all) {
        assert.notStrictEqual(l.user, "elastic", l.client);
        assert.notStrictEqual(l.password.name, ELASTIC_SECRET, `${l.client} must not read the elastic Secret`);
        const secret = secretData(out.object(SECRET, l.password.name, l.namespace));
        // A copy in the client's namespace holds only the password; the username is in the Secret it copies.
        assert.strictEqual(secretData(out.object(SECRET, l.password.name, STORAGE_NS)).username, l.user, `${l.client}'s Secret is for the user it logs in as`);
        const password = secret[l.password.key];
        assert.ok(password.length >= 24 && password !== elastic, `${l.client} has a generated password of its own`);
        // The user the Job creates gets exactly this password (the client's Secret is a copy of the Job's).
        const created = usersJob(out).users[l.user];
        assert.ok(created, `the Job creates ${l.user}`);
        assert.strictEqual(valueOf(out, STORAGE_NS, created.password), password, `${l.user}'s password`);
      }
      assert.strictEqual(new Set(all.map((l) => l.user)).size, all.length, "one user per client");
      assert.strictEqual(new Set(all.map((l) => l.password.name)).size, all.length, "one Secret per client");
    }
  });

  it("keeps the elastic password for Elasticsearch itself and the Job that creates the users", () => {
    for (const out of [s.dev, s.prod]) {
      const readers = out
        .kubernetes()
        .filter((r) => containersOf(r).some((c) => (c.env ?? []).some((e: any) => e.valueFrom?.secretKeyRef?.name === ELASTIC_SECRET)))
        .map((r: RenderedResource) => `${r.type.split(":").pop()}/${r.inputs.metadata.name}`)
        .sort();
      assert.deepStrictEqual(readers, ["Job/elasticsearch-users", "StatefulSet/elasticsearch"]);
      assert.strictEqual(envOf(usersJob(out).container, "ES_USER").value, "elastic");
    }
  });

  it("grants Fluentd, Jaeger and the applications exactly the indices each writes, and none of the others'", () => {
    for (const out of [s.dev, s.prod]) {
      const logs = fluentdIndex(out);
      const traces = jaegerIndices(out);
      const app = appIndex(out);
      const fluentd = patternsOf(out, loginOf(out, "fluentd").user);
      const jaeger = patternsOf(out, loginOf(out, "jaeger").user);
      const apps = patternsOf(out, loginOf(out, "algo-service").user);
      assert.ok(covered(fluentd, logs), `Fluentd may write ${logs}`);
      for (const t of traces) {
        assert.ok(covered(jaeger, t), `Jaeger may write ${t}`);
        assert.ok(!covered(fluentd, t), `Fluentd must not reach Jaeger's ${t}`);
        assert.ok(!covered(apps, t), `the applications must not reach Jaeger's ${t}`);
      }
      assert.ok(!covered(jaeger, logs), `Jaeger must not reach Fluentd's ${logs}`);
      assert.ok(!covered(apps, logs), `the applications must not reach Fluentd's ${logs}`);
      assert.ok(covered(apps, app), `the applications may use ${app}`);
      assert.ok(!covered(fluentd, app) && !covered(jaeger, app), `the platform's writers must not reach ${app}`);
      // The retention Jobs manage the platform's logs and traces, never the applications' data.
      const retention = patternsOf(out, loginOf(out, "retention").user);
      assert.ok([logs, ...traces].every((i) => covered(retention, i)));
      assert.ok(!covered(retention, app));
      // Grafana's log search reads the logs and nothing else, and writes nothing.
      const grafana = patternsOf(out, loginOf(out, "grafana").user);
      assert.ok(covered(grafana, logs) && !traces.some((t) => covered(grafana, t)) && !covered(grafana, app));
      const job = usersJob(out);
      const grafanaPrivileges = job.users[loginOf(out, "grafana").user].body.roles.flatMap((r: string) => job.roles[r].indices.flatMap((i: any) => i.privileges));
      assert.deepStrictEqual([...new Set(grafanaPrivileges)].sort(), ["read", "view_index_metadata"]);
    }
  });

  it("grants no role superuser-like privileges", () => {
    for (const [name, role] of Object.entries(usersJob(s.prod).roles)) {
      for (const p of ["all", "manage", "manage_security", "manage_api_key"]) assert.ok(!role.cluster.includes(p), `${name} must not have cluster ${p}`);
      for (const i of role.indices) {
        assert.ok(!i.privileges.includes("all"), `${name}: indices all`);
        for (const n of i.names) assert.ok(!n.startsWith("*") && !n.startsWith("."), `${name}: ${n} reaches beyond the platform's indices`);
      }
    }
    const traces = usersJob(s.prod).roles[usersJob(s.prod).users[loginOf(s.prod, "jaeger").user].body.roles[0]];
    assert.ok(traces.cluster.includes("manage_index_templates"), "Jaeger installs its own index templates");
  });

  it("sends JSON bodies that carry no password; passwords reach curl only in a file", () => {
    const out = s.prod;
    const job = usersJob(out);
    const passwords = Object.values(job.users).map((u) => valueOf(out, STORAGE_NS, u.password));
    for (const e of job.container.env) {
      if (/^(ROLE|USER)_/.test(e.name) && !e.name.includes("_NAME_")) assert.doesNotThrow(() => JSON.parse(e.value), e.name);
      if (e.value !== undefined) for (const p of passwords) assert.ok(!e.value.includes(p), `${e.name} carries a password`);
    }
    for (const [user, { body }] of Object.entries(job.users)) {
      assert.ok(!("password" in body), `${user}'s body has no password`);
      assert.ok(body.roles.length > 0 && body.roles.every((r: string) => r in job.roles), `${user}'s roles are the Job's`);
    }
    const script = job.container.command.join(" ");
    assert.match(script, /> \/tmp\/user\.json/);
    assert.match(script, /@\/tmp\/user\.json/);
  });

  it("runs with the pinned image and reaches only Elasticsearch's HTTP port, which admits it", () => {
    assert.strictEqual(usersJob(s.dev).container.image, IMAGES.elasticsearch);
    const egress = s.dev.object(NETPOL, "elasticsearch-users-egress", STORAGE_NS).inputs.spec.egress;
    const toEs = egress.filter((r: any) => r.to?.some((p: any) => p.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "elasticsearch"));
    assert.deepStrictEqual(
      toEs.flatMap((r: any) => r.ports),
      [{ protocol: "TCP", port: 9200 }],
    );
    const admitted = s.dev.object(NETPOL, "elasticsearch-from-elasticsearch-users", STORAGE_NS).inputs.spec;
    assert.deepStrictEqual(admitted.ingress[0].ports, [{ protocol: "TCP", port: 9200 }]);
    assert.strictEqual(admitted.ingress[0].from[0].podSelector.matchLabels["app.kubernetes.io/name"], "elasticsearch-users");
  });

  it("replaces the Job when a role changes, so the new role is applied", async () => {
    const template = async (indices: ElasticsearchIndices) => {
      const out = await renderConfig(s.dev.config, (cfg) => {
        const parent = new pulumi.ComponentResource("test:storage:Parent", "parent");
        const ctx = { namespace: STORAGE_NS, protectData: false, skipAwait: true, priorityClassName: "test" };
        elasticsearchUsers(
          {
            secrets: elasticsearchUserSecrets({ image: IMAGES.elasticsearch }, ctx, parent),
            image: IMAGES.elasticsearch,
            jobSize: cfg.sizes.backup,
            url: "http://elasticsearch:9200",
            endpoint: ELASTICSEARCH,
            indices,
            admin: { username: "elastic", password: { name: pulumi.output(ELASTIC_SECRET), key: "password" } },
          },
          ctx,
          parent,
        );
        return {} as ProgramOutputs;
      });
      return out.object(JOB, "elasticsearch-users", STORAGE_NS).inputs.spec.template;
    };
    const before = await template(PLATFORM_INDICES);
    assert.deepStrictEqual(await template(PLATFORM_INDICES), before, "the same roles render the same template");
    // A Job's pod template is immutable: a different one makes Pulumi replace the Job, which runs again.
    assert.notDeepStrictEqual(await template({ ...PLATFORM_INDICES, app: "search" }), before);
  });

  it("refuses index prefixes whose patterns overlap", () => {
    assert.throws(() => indexPatterns({ ...PLATFORM_INDICES, app: "voicehelper" }), /overlap.*app "voicehelper-\*" also matches logs's "voicehelper-logs-\*"/);
    assert.doesNotThrow(() => indexPatterns(PLATFORM_INDICES));
  });
});
