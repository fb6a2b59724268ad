/**
 * The rendered Prometheus config, alert rules and Alertmanager config, checked by the real promtool
 * and amtool (built from Go modules by tools/promtool/build.sh; `npm run test:promtool`).
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { alertRules } from "../../components/services/prometheus/rules";
import { FAKE_SECRETS, Rendered, render } from "../harness";
import { ALERT_FIXTURES, EVAL_TIME } from "./alert-fixtures";

const BIN = process.env.PROMTOOL_BIN ?? path.join(os.homedir(), ".cache", "voicehelper-tools", "bin");
const MONITORING = "voicehelper-monitoring";

function run(tool: string, args: string[]): string {
  try {
    return execFileSync(path.join(BIN, tool), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e: any) {
    throw new Error(`${tool} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** Writes every key of the monitoring ConfigMaps to a directory; returns file paths by key. */
function writeConfigMaps(r: Rendered, dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const cm of r.ofType("kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata.namespace === MONITORING)) {
    for (const [key, text] of Object.entries<string>(cm.inputs.data ?? {})) {
      const file = path.join(dir, `${cm.inputs.metadata.name}--${key}`);
      fs.writeFileSync(file, text);
      files[`${cm.inputs.metadata.name}/${key}`] = file;
    }
  }
  return files;
}

describe("promtool and amtool on the rendered configuration", () => {
  for (const [title, stack, overrides] of [
    ["prod", "prod", {}],
    ["dev with e-mail and webhook receivers", "dev", { alerting: { email: { to: "oncall@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587" } } }],
  ] as const) {
    it(`${title}: rules, Prometheus config and Alertmanager config are valid`, async () => {
      const withEmail = "alerting" in overrides;
      const receivers: Record<string, string> = withEmail ? { smtpPassword: "test-not-a-real-smtp-password-0000", alertWebhookUrl: "https://hooks.example.com/alerts" } : {};
      const r = await render(stack, overrides as Record<string, unknown>, { ...FAKE_SECRETS, ...receivers });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promtool-"));
      const files = writeConfigMaps(r, dir);
      const rules = Object.keys(files).filter((k) => /rules?\.ya?ml$|\.rules\.ya?ml$|alert/i.test(k.split("/")[1]) && k.startsWith("prometheus"));
      const promConfig = Object.keys(files).find((k) => k.startsWith("prometheus") && /prometheus\.ya?ml$/.test(k));
      const amConfig = Object.keys(files).find((k) => k.startsWith("alertmanager") && /alertmanager\.ya?ml$/.test(k));
      assert.ok(rules.length > 0, `no rules file among ${Object.keys(files).join(", ")}`);
      assert.ok(promConfig && amConfig, `no Prometheus or Alertmanager config among ${Object.keys(files).join(", ")}`);
      for (const k of rules) assert.match(run("promtool", ["check", "rules", files[k]]), /SUCCESS: \d+ rules found/);
      assert.match(run("promtool", ["check", "config", "--syntax-only", files[promConfig!]]), /SUCCESS/);
      // The credential files (smtp_auth_password_file, url_file) are mounted only in the pod: amtool
      // parses the options without opening them (Alertmanager reads url_file at each notification).
      if (withEmail) {
        const am = parse(fs.readFileSync(files[amConfig!], "utf8"));
        const credentialFiles = [am.global.smtp_auth_password_file, am.receivers[0].webhook_configs[0].url_file];
        assert.ok(
          credentialFiles.every((f: string) => f.startsWith("/etc/alertmanager/") && !fs.existsSync(f)),
          credentialFiles.join(", "),
        );
      }
      assert.match(run("amtool", ["check-config", files[amConfig!]]), /SUCCESS/);
    });
  }

  it("every Grafana panel's query is valid PromQL (promtool check rules, each as a recording rule)", async () => {
    const r = await render("prod", { posthog: { mode: "self-hosted" } }, FAKE_SECRETS);
    const data = r.object("kubernetes:core/v1:ConfigMap", "grafana-dashboards", MONITORING).inputs.data as Record<string, string>;
    const rules = Object.entries(data).flatMap(([file, text]) =>
      JSON.parse(text).panels.map((p: any, i: number) => ({ record: `panel:${file.replace(/\.json$/, "").replace(/[^A-Za-z0-9_]/g, "_")}:${i}`, expr: p.targets[0].expr })),
    );
    assert.ok(Object.keys(data).length >= 7 && rules.length > 100, `${Object.keys(data).length} dashboards, ${rules.length} panels`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promtool-panels-"));
    fs.writeFileSync(path.join(dir, "panels.yaml"), stringify({ groups: [{ name: "panels", rules }] }, { lineWidth: 0 }));
    assert.match(run("promtool", ["check", "rules", path.join(dir, "panels.yaml")]), new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it("every alert fires on series named and labelled as its exporter reports them, for the unhealthy object only (promtool test rules)", async () => {
    const r = await render("prod", {}, FAKE_SECRETS);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promtool-test-"));
    const rules = parse(r.object("kubernetes:core/v1:ConfigMap", "prometheus-rules", MONITORING).inputs.data["alerts.yaml"]);
    // Annotations are templated prose (checked by `check rules`); the expressions and labels are under test.
    for (const g of rules.groups) for (const rule of g.rules) delete rule.annotations;
    fs.writeFileSync(path.join(dir, "rules.yaml"), stringify(rules, { lineWidth: 0 }));
    const severity = Object.fromEntries(alertRules().map((x) => [x.alert, x.severity]));
    assert.deepStrictEqual(Object.keys(ALERT_FIXTURES).sort(), Object.keys(severity).sort(), "one fixture per alert rule");
    const tests = Object.entries(ALERT_FIXTURES).map(([alertname, f]) => ({
      name: alertname,
      interval: "1m",
      input_series: f.series,
      alert_rule_test: [{ eval_time: EVAL_TIME, alertname, exp_alerts: f.firing.map((l) => ({ exp_labels: { ...l, severity: severity[alertname] } })) }],
    }));
    fs.writeFileSync(path.join(dir, "tests.yaml"), stringify({ rule_files: ["rules.yaml"], evaluation_interval: "1m", tests }, { lineWidth: 0 }));
    assert.match(run("promtool", ["test", "rules", path.join(dir, "tests.yaml")]), /SUCCESS/);
  });
});
