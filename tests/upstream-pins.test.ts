/**
 * The pins moved off end-of-life lines (docs/images.md) rest on upstream files read at the pinned
 * version: each row cites the file of that exact release, so moving a pin without re-reading its
 * upstream fails here; and the one limit found upstream that a newer release would break is enforced.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CHARTS, IMAGES } from "../components/config/images";
import { ROOT, render } from "./harness";

const DOC = fs.readFileSync(path.join(ROOT, "docs", "images.md"), "utf8");
const row = (key: string) => DOC.split("\n").find((l) => l.startsWith(`| \`${key}\` |`)) ?? "";
const tagOf = (ref: string) => ref.slice(ref.lastIndexOf(":") + 1);

/**
 * The operator each CloudNativePG chart version installs, from the chart repository's index.yaml
 * (`appVersion`). A chart missing here has not been read: add it with its source in docs/images.md.
 */
const CNPG_OPERATOR_OF_CHART: Record<string, string> = { "0.29.0": "1.30.0" };
/** CloudNativePG 1.30 release notes: the in-tree barmanObjectStore is removed in 1.31.0. */
const LAST_OPERATOR_MINOR_WITH_BARMAN_OBJECT_STORE = 30;

describe("upstream: the upgraded pins cite their release's own files", () => {
  it("Neo4j: both editions pin one calendar release, cited by its Dockerfiles", () => {
    const release = tagOf(IMAGES.neo4j).replace(/-community$/, "");
    assert.equal(tagOf(IMAGES.neo4jEnterprise), `${release}-enterprise`, "Community and Enterprise move together");
    assert.ok(row("neo4j").includes(`\`${release}/trixie/community/Dockerfile\``), "the neo4j row cites the Dockerfile of the pinned release");
    assert.ok(row("neo4jEnterprise").includes(`\`${release}/trixie/enterprise/Dockerfile\``), "the neo4jEnterprise row cites its Dockerfile");
  });

  it("ClickHouse: the pin is an LTS whose Dockerfile in ClickHouse's docker-library is cited", () => {
    const tag = tagOf(IMAGES.clickhouse);
    assert.match(tag, /^\d+\.(3|8)\.\d+\.\d+$/, "ClickHouse's LTS lines are the .3 and .8 releases");
    assert.ok(row("clickhouse").includes(`\`server/${tag}/Dockerfile.ubuntu\``), "the clickhouse row cites the pinned version's Dockerfile");
  });

  it("Istio: the four charts' release and its CRD module are cited", () => {
    const v = CHARTS.istioBase.version;
    assert.ok(row("istioBase").includes(`release \`${v}\``) && row("istioBase").includes(`\`istio.io/api\` v${v}`), "the istioBase row cites the release and istio.io/api at it");
  });

  it("CloudNativePG: the chart's operator is recorded, and it still has the in-tree barmanObjectStore the backups use", async () => {
    const operator = CNPG_OPERATOR_OF_CHART[CHARTS.cnpg.version];
    assert.ok(operator, `chart ${CHARTS.cnpg.version}: read its appVersion in the chart index and record it here and in docs/images.md`);
    assert.ok(row("cnpg").includes(`appVersion: ${operator}`), "the cnpg row records the operator");
    const r = await render("dev");
    const usesBarman = r.ofType("kubernetes:postgresql.cnpg.io/v1:Cluster").some((c) => c.inputs.spec.backup?.barmanObjectStore !== undefined);
    assert.ok(usesBarman, "the dev stack's Cluster archives with barmanObjectStore (otherwise this guard is moot: remove it)");
    assert.ok(
      Number(operator.split(".")[1]) <= LAST_OPERATOR_MINOR_WITH_BARMAN_OBJECT_STORE,
      `operator ${operator} has no in-tree barmanObjectStore: move the backups to the Barman Cloud plugin first`,
    );
  });
});
