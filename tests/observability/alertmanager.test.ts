import * as assert from "assert";
import { FAKE_SECRETS, Rendered } from "../harness";
import { MONITORING, configFile, configText, mainContainer, renderOnce, statefulSet } from "./helpers";

const EMAIL = { to: "oncall@example.com, sre@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587" };
const WEBHOOK = "https://hooks.example.com/alertmanager";
const SMTP_PASSWORD = "smtp-test-password-0000";

describe("observability: Alertmanager", () => {
  let plain: Rendered;
  let wired: Rendered;
  let prod: Rendered;
  before(async () => {
    plain = await renderOnce("dev");
    wired = await renderOnce("dev", { alerting: { email: EMAIL, webhookUrl: WEBHOOK } }, { ...FAKE_SECRETS, smtpPassword: SMTP_PASSWORD });
    prod = await renderOnce("prod");
  });

  it("groups by alertname, cluster and service", () => {
    assert.deepStrictEqual(configFile(plain, "alertmanager-config", "alertmanager.yml").route.group_by, ["alertname", "cluster", "service"]);
  });

  it("routes to a receiver without integrations when stack config names none", () => {
    const cfg = configFile(plain, "alertmanager-config", "alertmanager.yml");
    const receiver = cfg.receivers.find((x: any) => x.name === cfg.route.receiver);
    assert.deepStrictEqual(receiver, { name: "null" });
    assert.strictEqual(cfg.receivers.length, 1);
  });

  it("wires e-mail and webhook receivers from config", () => {
    const cfg = configFile(wired, "alertmanager-config", "alertmanager.yml");
    const receiver = cfg.receivers.find((x: any) => x.name === cfg.route.receiver);
    assert.deepStrictEqual(
      receiver.email_configs.map((x: any) => x.to),
      [EMAIL.to],
    );
    assert.deepStrictEqual(
      receiver.webhook_configs.map((x: any) => x.url),
      [WEBHOOK],
    );
    assert.strictEqual(cfg.global.smtp_smarthost, EMAIL.smarthost);
    assert.strictEqual(cfg.global.smtp_from, EMAIL.from);
  });

  it("reads the SMTP password from a mounted Secret supplied by the config secret, never from the ConfigMap", () => {
    const text = configText(wired, "alertmanager-config", "alertmanager.yml");
    assert.ok(!text.includes(SMTP_PASSWORD), "password not in the ConfigMap");
    const cfg = configFile(wired, "alertmanager-config", "alertmanager.yml");
    const secret = wired.object("kubernetes:core/v1:Secret", "alertmanager-smtp", MONITORING).inputs;
    assert.strictEqual(secret.stringData.password, SMTP_PASSWORD);
    const pod = statefulSet(wired, "alertmanager").spec.template.spec;
    const vol = pod.volumes.find((v: any) => v.secret?.secretName === "alertmanager-smtp");
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === vol.name);
    const item = vol.secret.items.find((i: any) => i.key === "password");
    assert.strictEqual(cfg.global.smtp_auth_password_file, `${mount.mountPath}/${item.path}`);
    const all = JSON.stringify(statefulSet(wired, "alertmanager"));
    assert.ok(!all.includes(SMTP_PASSWORD), "password not in the StatefulSet");
  });

  it("opens egress only to the configured receivers' ports", () => {
    const rules = (r: Rendered) => r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "alertmanager-egress", MONITORING).inputs.spec.egress;
    const external = (r: Rendered) => rules(r).filter((e: any) => e.to?.some((t: any) => t.ipBlock));
    assert.deepStrictEqual(external(plain), []);
    assert.deepStrictEqual(
      external(wired)
        .flatMap((e: any) => e.ports.map((p: any) => p.port))
        .sort(),
      [443, 587],
    );
  });

  it("HA: with several replicas every pod lists every peer on 9094, and peers admit gossip over TCP and UDP", () => {
    const n = prod.config.sizes.alertmanager.replicas;
    assert.ok(n > 1);
    const args: string[] = mainContainer(prod, "alertmanager").args;
    const peers = args.filter((a) => a.startsWith("--cluster.peer="));
    assert.deepStrictEqual(
      peers,
      Array.from({ length: n }, (_, i) => `--cluster.peer=alertmanager-${i}.alertmanager-headless.${MONITORING}.svc.cluster.local:9094`),
    );
    const ports = prod.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "alertmanager-from-peers", MONITORING).inputs.spec.ingress[0].ports;
    assert.ok(ports.some((p: any) => p.port === 9094 && p.protocol === "TCP"));
    assert.ok(ports.some((p: any) => p.port === 9094 && p.protocol === "UDP"));
  });

  it("one replica: no gossip listener, no peers", () => {
    const args: string[] = mainContainer(plain, "alertmanager").args;
    assert.ok(args.includes("--cluster.listen-address="));
    assert.ok(!args.some((a) => a.startsWith("--cluster.peer=")));
  });
});
