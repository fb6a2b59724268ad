/**
 * docs/operations.md answers "where is the password" and "how do I reach the console" with kubectl
 * commands; these tests render the stacks and hold every command to the objects the program creates,
 * so a renamed Secret, key, Service or port breaks the build instead of the operator's night.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { NAMESPACES } from "../components/config/catalog";
import { ROOT, Rendered, render } from "./harness";

const DOC = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");

function section(title: string): string {
  const start = DOC.indexOf(`## ${title}`);
  assert.ok(start >= 0, `docs/operations.md has no section "${title}"`);
  const end = DOC.indexOf("\n## ", start + 3);
  return DOC.slice(start, end < 0 ? undefined : end);
}

export interface SecretRead {
  namespace: string;
  name: string;
  key: string;
}
export interface PortForward {
  namespace: string;
  service: string;
  ports: number[];
}

/** `kubectl -n <ns> get secret <name> -o jsonpath='{.data.<key>}'` commands in `text`. */
export function secretReads(text: string): SecretRead[] {
  return [...text.matchAll(/kubectl -n (\S+) get secret (\S+) -o jsonpath='\{\.data\.([A-Za-z0-9_-]+)\}'/g)].map((m) => ({ namespace: m[1], name: m[2], key: m[3] }));
}

/** `kubectl -n <ns> port-forward service/<name> <local>:<remote> ...` commands in `text`. */
export function portForwards(text: string): PortForward[] {
  return [...text.matchAll(/kubectl -n (\S+) port-forward service\/(\S+)((?: \d+:\d+)+)/g)].map((m) => ({
    namespace: m[1],
    service: m[2],
    ports: m[3]
      .trim()
      .split(" ")
      .map((p) => Number(p.split(":")[1])),
  }));
}

const PASSWORD_KEY = /password/i;
/** Secrets that hold a login an operator may need: a store's or console's own credentials. */
const LOGIN_SECRET = /-(auth|root|login|admin|owner)$/;

describe("docs/operations.md", () => {
  let stacks: Rendered[];
  before(async () => {
    // dev: PostHog cloud, one node each; prod: self-hosted PostHog, every store clustered.
    stacks = [await render("dev"), await render("prod")];
  });

  const secretsOf = (r: Rendered) =>
    r.ofType("kubernetes:core/v1:Secret").map((s) => ({ namespace: s.inputs.metadata.namespace, name: s.inputs.metadata.name, keys: Object.keys(s.inputs.stringData ?? s.inputs.data ?? {}) }));
  const servicesOf = (r: Rendered) =>
    r
      .ofType("kubernetes:core/v1:Service")
      .map((s) => ({ namespace: s.inputs.metadata.namespace, name: s.inputs.metadata.name, ports: (s.inputs.spec.ports ?? []).map((p: any) => ({ name: p.name, port: p.port })) }));

  it("reads every documented password from a Secret and key the program creates", () => {
    const reads = secretReads(section("Where the passwords are"));
    assert.ok(reads.length >= 15, `only ${reads.length} secret reads found: the command format changed?`);
    for (const read of reads) {
      const found = stacks.flatMap(secretsOf).find((s) => s.namespace === read.namespace && s.name === read.name);
      assert.ok(found, `docs/operations.md reads Secret ${read.namespace}/${read.name}, which no stack creates`);
      assert.ok(found.keys.includes(read.key), `docs/operations.md reads key ${read.key} of ${read.namespace}/${read.name}, which has only ${found.keys.join(", ")}`);
    }
  });

  it("every Secret named in the passwords section exists", () => {
    const names = [...section("Where the passwords are").matchAll(/`([a-z0-9-]+-(?:auth|root|login|admin|owner))`/g)].map((m) => m[1]);
    assert.ok(names.length > 0);
    const all = new Set(stacks.flatMap(secretsOf).map((s) => s.name));
    for (const name of names) assert.ok(all.has(name), `docs/operations.md names Secret ${name}, which no stack creates`);
  });

  it("tells where the password of every store's and console's login lives", () => {
    const documented = new Set(
      secretReads(section("Where the passwords are"))
        .filter((r) => PASSWORD_KEY.test(r.key))
        .map((r) => `${r.namespace}/${r.name}`),
    );
    const alsoNamed = section("Where the passwords are");
    const operatorNamespaces: string[] = [NAMESPACES.storage, NAMESPACES.monitoring, NAMESPACES.posthog];
    for (const s of stacks.flatMap(secretsOf)) {
      if (!operatorNamespaces.includes(s.namespace) || !LOGIN_SECRET.test(s.name) || !s.keys.some((k) => PASSWORD_KEY.test(k))) continue;
      assert.ok(documented.has(`${s.namespace}/${s.name}`) || alsoNamed.includes(`\`${s.name}\``), `docs/operations.md does not say how to read ${s.namespace}/${s.name}`);
    }
  });

  it("port-forwards only to Services and ports the program creates", () => {
    const forwards = portForwards(section("Reaching the consoles"));
    assert.ok(forwards.length >= 12, `only ${forwards.length} port-forward commands found`);
    for (const f of forwards) {
      const svc = stacks.flatMap(servicesOf).find((s) => s.namespace === f.namespace && s.name === f.service);
      assert.ok(svc, `docs/operations.md port-forwards to Service ${f.namespace}/${f.service}, which no stack creates`);
      for (const port of f.ports)
        assert.ok(
          svc.ports.some((p: any) => p.port === port),
          `Service ${f.namespace}/${f.service} has no port ${port} (it has ${svc.ports.map((p: any) => p.port).join(", ")})`,
        );
    }
  });

  it("port-forwards to a store's exporter only on a port that the store's pods declare", () => {
    const forwards = [...DOC.matchAll(/kubectl -n (\S+) port-forward pod\/(\S+)-\d+ \d+:(\d+)/g)].map((m) => ({ namespace: m[1], statefulSet: m[2], port: Number(m[3]) }));
    assert.ok(forwards.length >= 4, `only ${forwards.length} exporter port-forwards found`);
    for (const f of forwards) {
      const sts = stacks.flatMap((r) => r.ofType("kubernetes:apps/v1:StatefulSet")).find((x) => x.inputs.metadata.namespace === f.namespace && x.inputs.metadata.name === f.statefulSet);
      assert.ok(sts, `docs/operations.md port-forwards to pods of ${f.namespace}/${f.statefulSet}, which no stack creates`);
      const ports = sts.inputs.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort));
      assert.ok(ports.includes(f.port), `${f.statefulSet}'s pods declare no port ${f.port} (they declare ${ports.join(", ")})`);
    }
  });

  it("has a port-forward for every console the seeds list and every console port a Service carries", () => {
    const forwards = portForwards(section("Reaching the consoles"));
    const reaches = (service: string, port: number) => forwards.some((f) => f.service === service && f.ports.includes(port));
    const seedConsoles: [string, string, number][] = [
      ["Grafana", "grafana", 3000],
      ["Prometheus", "prometheus", 9090],
      ["Jaeger", "jaeger", 16686],
      ["kafka-ui", "kafka-ui", 8080],
      ["MinIO console", "minio", 9001],
      ["Nacos console", "nacos", 8080],
      ["RabbitMQ management", "rabbitmq", 15672],
      ["Neo4j browser", "neo4j", 7474],
    ];
    for (const [what, service, port] of seedConsoles) assert.ok(reaches(service, port), `no port-forward to ${what} (service/${service} ${port})`);
    for (const svc of stacks.flatMap(servicesOf)) {
      if (svc.name.endsWith("-headless")) continue;
      for (const p of svc.ports) {
        if (["console", "management", "query"].includes(p.name))
          assert.ok(reaches(svc.name, p.port), `Service ${svc.namespace}/${svc.name} has a ${p.name} port ${p.port} that docs/operations.md does not reach`);
      }
    }
  });
});

describe("docs/operations.md command parsing", () => {
  it("reads namespace, Secret and key from a secret command", () => {
    assert.deepEqual(secretReads("`kubectl -n ns-a get secret s-auth -o jsonpath='{.data.rootPassword}' | base64 -d`"), [{ namespace: "ns-a", name: "s-auth", key: "rootPassword" }]);
  });
  it("reads every remote port of a port-forward", () => {
    assert.deepEqual(portForwards("`kubectl -n ns-b port-forward service/neo4j 17474:7474 7687:7687`"), [{ namespace: "ns-b", service: "neo4j", ports: [7474, 7687] }]);
  });
});
