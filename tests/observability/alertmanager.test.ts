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
    wired = await renderOnce("dev", { alerting: { email: EMAIL } }, { ...FAKE_SECRETS, smtpPassword: SMTP_PASSWORD, alertWebhookUrl: WEBHOOK });
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
    assert.strictEqual(receiver.webhook_configs.length, 1);
    assert.strictEqual(cfg.global.smtp_smarthost, EMAIL.smarthost);
    assert.strictEqual(cfg.global.smtp_from, EMAIL.from);
  });

  /** The file a `*_file` option names, resolved to the Secret key mounted there. */
  function mountedSecretKey(r: Rendered, file: string): { secret: string; key: string } {
    const pod = statefulSet(r, "alertmanager").spec.template.spec;
    for (const m of pod.containers[0].volumeMounts) {
      const vol = pod.volumes.find((v: any) => v.name === m.name);
      const item = vol?.secret?.items?.find((i: any) => `${m.mountPath}/${i.path}` === file);
      if (item) return { secret: vol.secret.secretName, key: item.key };
    }
    assert.fail(`no Secret is mounted at ${file}`);
  }

  it("reads the SMTP password and the webhook URL from a mounted Secret filled from config secrets, never from the ConfigMap or the pod spec", () => {
    const text = configText(wired, "alertmanager-config", "alertmanager.yml");
    const all = JSON.stringify(statefulSet(wired, "alertmanager"));
    for (const value of [SMTP_PASSWORD, WEBHOOK, "hooks.example.com"]) {
      assert.ok(!text.includes(value), `${value} not in the ConfigMap`);
      assert.ok(!all.includes(value), `${value} not in the StatefulSet`);
    }
    const cfg = configFile(wired, "alertmanager-config", "alertmanager.yml");
    const password = mountedSecretKey(wired, cfg.global.smtp_auth_password_file);
    const url = mountedSecretKey(wired, cfg.receivers.find((x: any) => x.name === cfg.route.receiver).webhook_configs[0].url_file);
    const stringData = (name: string) => wired.object("kubernetes:core/v1:Secret", name, MONITORING).inputs.stringData;
    assert.strictEqual(stringData(password.secret)[password.key], SMTP_PASSWORD);
    assert.strictEqual(stringData(url.secret)[url.key], WEBHOOK);
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
