import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CATALOG, NAMESPACES, ServiceName } from "../../components/config/catalog";
import { Rendered, podSpecOf, render } from "../harness";

const NS = NAMESPACES.storage;
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const HBONE = 15008;
const envOf = (container: any): Record<string, any> => Object.fromEntries(container.env.map((e: any) => [e.name, e]));
const job = (r: Rendered) => r.object("kubernetes:batch/v1:Job", "rabbitmq-users", NS).inputs.spec.template.spec;
const jobEnv = (r: Rendered) => envOf(job(r).containers[0]);
const script = (r: Rendered): string => job(r).containers[0].command[2];
/** Read from the catalog here, not through the program's own helper: who declares rabbitmq and is deployed. */
const catalogClients = (r: Rendered): ServiceName[] =>
  (Object.keys(CATALOG) as ServiceName[]).filter((s) => r.outputs.deployed.includes(s) && [...(CATALOG[s].needs ?? []), ...(CATALOG[s].uses ?? [])].includes("rabbitmq" as never));
const clientEnv = (r: Rendered, client: ServiceName) => {
  const ns = NAMESPACES[CATALOG[client].namespace];
  const workload = r.kubernetes().find((x) => x.inputs.metadata?.name === client && x.inputs.metadata?.namespace === ns && /Deployment|StatefulSet/.test(x.type))!;
  return envOf(podSpecOf(workload).containers[0]);
};
/** Ports of a NetworkPolicy's only rule, without Istio's HBONE port (prod runs the ambient mesh). */
const policyPorts = (r: Rendered, name: string, rule: "ingress" | "egress", index = 0) =>
  r
    .object(NP, name)
    .inputs.spec[rule][index].ports.map((p: any) => p.port)
    .filter((p: number) => p !== HBONE);

describe("messaging: rabbitmq users (least privilege)", () => {
  const stacks: Record<string, Rendered> = {};
  before(async () => {
    stacks.dev = await render("dev");
    stacks.prod = await render("prod");
  });

  for (const stack of ["dev", "prod"]) {
    describe(stack, () => {
      const r = () => stacks[stack];

      it("the stack deploys at least one RabbitMQ client (the checks are not vacuous)", () => {
        assert.ok(catalogClients(r()).length > 0);
      });

      it("the users Job provisions exactly the deployed catalog clients of rabbitmq", () => {
        assert.deepEqual(jobEnv(r()).USERS.value.split(" ").sort(), catalogClients(r()).sort());
      });

      it("each client's env logs in as its own user, from its own Secret copied into its namespace, on the application vhost; nothing refers to the admin", () => {
        const admin = r().object("kubernetes:core/v1:Secret", "rabbitmq-auth", NS).inputs.stringData;
        for (const client of catalogClients(r())) {
          const env = clientEnv(r(), client);
          assert.equal(env.RABBITMQ_USERNAME.value, client);
          assert.equal(env.RABBITMQ_VHOST.value, "voicehelper");
          const ref = env.RABBITMQ_PASSWORD.valueFrom.secretKeyRef;
          assert.equal(ref.name, `rabbitmq-user-${client}`);
          const copy = r().object("kubernetes:core/v1:Secret", ref.name, NAMESPACES[CATALOG[client].namespace]).inputs.stringData;
          // The copy holds only the password the client reads; the username is in the Secret it copies.
          assert.equal(r().object("kubernetes:core/v1:Secret", ref.name, NS).inputs.stringData.username, client);
          assert.match(copy[ref.key], /^[A-Za-z0-9]{32}$/);
          assert.notEqual(copy[ref.key], admin.password);
          const refs = Object.values(env)
            .map((e: any) => e.valueFrom?.secretKeyRef?.name)
            .filter(Boolean);
          assert.ok(!refs.includes("rabbitmq-auth"), `${client} refers to the admin's Secret`);
        }
        const adminCopies = r()
          .ofType("kubernetes:core/v1:Secret")
          .filter((s) => s.inputs.metadata.name === "rabbitmq-auth" && s.inputs.metadata.namespace !== NS);
        assert.deepEqual(adminCopies, [], "the admin's Secret stays in RabbitMQ's namespace");
      });

      it("the Job's bodies give each user no tags and exactly configure/write/read on the application vhost", () => {
        const env = jobEnv(r());
        assert.equal(env.VHOST.value, "voicehelper");
        assert.ok(JSON.parse(env.VHOST_BODY.value));
        assert.deepEqual(JSON.parse(env.USER_BODY.value.replace("%s", "fake0password")), { password: "fake0password", tags: "" });
        assert.deepEqual(JSON.parse(env.PERMISSIONS_BODY.value), { configure: ".*", write: ".*", read: ".*" });
        const puts = [...script(r()).matchAll(/^\s*put "([^"]+)"/gm)].map((m) => m[1]);
        assert.deepEqual(puts, ["vhosts/$VHOST", "users/$user", "permissions/$VHOST/$user"], "permissions only on the application vhost");
      });

      it("the Job reads each user's password from that user's own Secret", () => {
        const volume = job(r()).volumes.find((v: any) => v.name === "passwords");
        const sources = volume.projected.sources.map((s: any) => [s.secret.items[0].path, s.secret.name, s.secret.items[0].key]);
        assert.deepEqual(
          sources,
          catalogClients(r()).map((c) => [c, `rabbitmq-user-${c}`, "password"]),
        );
        assert.equal(jobEnv(r()).ADMIN_PASSWORD.valueFrom.secretKeyRef.name, "rabbitmq-auth");
      });

      it("the Job reaches only RabbitMQ's management port, and is the only one admitted to it", () => {
        assert.deepEqual(policyPorts(r(), "rabbitmq-from-rabbitmq-users", "ingress"), [15672]);
        const egress = r().object(NP, "rabbitmq-users-egress").inputs.spec.egress;
        assert.equal(egress.length, 2, "DNS and RabbitMQ");
        assert.equal(egress[1].to[0].podSelector.matchLabels["app.kubernetes.io/name"], "rabbitmq");
        assert.deepEqual(policyPorts(r(), "rabbitmq-users-egress", "egress", 1), [15672]);
        for (const client of catalogClients(r())) assert.deepEqual(policyPorts(r(), `rabbitmq-from-${client}`, "ingress"), [5672], `${client}: AMQP only`);
        const toManagement = r()
          .ofType(NP)
          .filter((p) => p.inputs.metadata.namespace === NS && p.inputs.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === "rabbitmq")
          .filter((p) => (p.inputs.spec.ingress ?? []).some((i: any) => (i.ports ?? []).some((port: any) => port.port === 15672)))
          // The nodes of a cluster admit each other (prod only).
          .filter((p) => !(p.inputs.metadata.name === "rabbitmq-from-peers" && p.inputs.spec.ingress[0].from[0].podSelector.matchLabels["app.kubernetes.io/name"] === "rabbitmq"))
          .map((p) => p.inputs.metadata.name);
        assert.deepEqual(toManagement, ["rabbitmq-from-rabbitmq-users"], "besides the nodes themselves, only the Job");
      });
    });
  }

  it("the script, run with a stand-in curl, sends parseable bodies and never a credential as an argument", () => {
    const r = stacks.dev;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rabbitmq-users-"));
    try {
      fs.mkdirSync(path.join(dir, "passwords"));
      fs.mkdirSync(path.join(dir, "bin"));
      const passwords = Object.fromEntries(catalogClients(r).map((c, i) => [c, `Pw${i}abcdefghijklmnop`]));
      for (const [c, p] of Object.entries(passwords)) fs.writeFileSync(path.join(dir, "passwords", c), p);
      // Logs its arguments and the body file it was given; answers 200 to GETs, 204 to PUTs.
      fs.writeFileSync(
        path.join(dir, "bin", "curl"),
        `#!/bin/sh\nprintf '%s\\n' "$*" >> "${dir}/argv"\nfor a in "$@"; do case "$a" in @*) { cat "\${a#@}"; echo; } >> "${dir}/bodies" ;; esac; done\ncase "$*" in *"-X PUT"*) printf 204 ;; *) printf 200 ;; esac\n`,
        { mode: 0o755 },
      );
      const text = script(r).split("/tmp/").join(`${dir}/`).split("/etc/rabbitmq-users").join(`${dir}/passwords`);
      const env: Record<string, string> = { PATH: `${dir}/bin:/usr/bin:/bin`, ADMIN_PASSWORD: "AdminSecret0" };
      for (const [k, e] of Object.entries(jobEnv(r))) if (typeof e.value === "string") env[k] = e.value;
      execFileSync("sh", ["-c", text], { env, stdio: "pipe" });
      const argv = fs.readFileSync(path.join(dir, "argv"), "utf8");
      for (const secret of ["AdminSecret0", ...Object.values(passwords)]) assert.ok(!argv.includes(secret), `${secret} on curl's command line`);
      assert.ok(
        argv
          .trim()
          .split("\n")
          .every((l) => l.startsWith(`-sS -K ${dir}/curlrc `)),
        "every call authenticates from the config file",
      );
      const bodies = fs
        .readFileSync(path.join(dir, "bodies"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      const users = bodies.filter((b) => "password" in b);
      assert.deepEqual(
        users,
        Object.values(passwords).map((password) => ({ password, tags: "" })),
      );
      for (const c of catalogClients(r)) assert.ok(argv.includes(`-X PUT --data-binary @${dir}/body http://rabbitmq.${NS}.svc.cluster.local:15672/api/permissions/voicehelper/${c}\n`), c);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
