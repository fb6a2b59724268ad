/**
 * The e2e and live tiers install the CRDs of the cluster prerequisites the program expects
 * (tools/e2e/lib.sh): they must be those of the chart releases the program pins, and the versions page
 * must say which.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CHARTS } from "../components/config/images";
import { ROOT } from "./harness";

/** The CRD versions lib.sh settles on with nothing overridden. */
function libDefaults(): Record<string, string> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
  const names = ["CERT_MANAGER_VERSION", "ISTIO_API_VERSION", "CNPG_VERSION"];
  const out = execFileSync("bash", ["-c", `source tools/e2e/lib.sh; printf '%s\\n' ${names.map((n) => `"$${n}"`).join(" ")}`], { cwd: ROOT, env, encoding: "utf8" });
  return Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((v, i) => [names[i], v]),
  );
}

describe("e2e: prerequisite CRDs match the pinned charts", () => {
  let versions: Record<string, string>;
  let page: string;
  before(() => {
    versions = libDefaults();
    page = fs.readFileSync(path.join(ROOT, "tools", "e2e", "VERSIONS.md"), "utf8");
  });

  it("cert-manager's CRDs come from the Go module tag of the pinned chart", () => {
    assert.strictEqual(versions.CERT_MANAGER_VERSION, CHARTS.certManager.version);
  });
  it("Istio's CRDs come from istio.io/api at the pinned charts' release", () => {
    assert.strictEqual(versions.ISTIO_API_VERSION, `v${CHARTS.istioBase.version}`);
    for (const k of ["istiod", "istioCni", "ztunnel"] as const) assert.strictEqual(CHARTS[k].version, CHARTS.istioBase.version, `${k} moves with istioBase`);
  });
  it("CloudNativePG's CRDs and the live tier's operator (lib.sh reads the live wrapper's go.mod) are the operator the pinned chart ships", () => {
    const chartRow = fs
      .readFileSync(path.join(ROOT, "docs", "images.md"), "utf8")
      .split("\n")
      .find((l) => l.startsWith("| `cnpg` |"));
    assert.ok(chartRow, "docs/images.md has the cnpg chart's row");
    assert.match(chartRow!, new RegExp(`ships operator ${versions.CNPG_VERSION.replace(/^v/, "").replace(/\./g, "\\.")}\\b`));
  });
  it("VERSIONS.md records the versions installed", () => {
    assert.ok(page.includes(`\`github.com/cert-manager/cert-manager\` ${versions.CERT_MANAGER_VERSION}`), "cert-manager's version on the page");
    assert.ok(page.includes(`\`istio.io/api\` ${versions.ISTIO_API_VERSION}`), "istio.io/api's version on the page");
    assert.ok(page.includes(`\`github.com/cloudnative-pg/cloudnative-pg\` ${versions.CNPG_VERSION}`), "CloudNativePG's version on the page");
  });
});
