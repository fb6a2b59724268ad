/**
 * docs/images.md lists every pinned image and chart with where it is maintained and how long it is
 * supported; this keeps the table and components/config/images.ts in step, both ways.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CHARTS, IMAGES, OBJECT_STORE_SERVER } from "../components/config/images";
import { ROOT } from "./harness";

const DOC = fs.readFileSync(path.join(ROOT, "docs", "images.md"), "utf8");

/** The rows of the table under `## <heading>`, as trimmed cells with backticks removed. */
function tableRows(heading: string): string[][] {
  const section = DOC.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  assert.ok(section, `docs/images.md has a "## ${heading}" section`);
  return section
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .map((l) =>
      l
        .slice(1, -1)
        .split(" | ")
        .map((c) => c.trim().replace(/^`(.*)`$/, "$1")),
    );
}

describe("docs/images.md: every pinned image and chart, and nothing else", () => {
  it("has one row per IMAGES entry naming exactly the pinned reference, and no row for anything unpinned", () => {
    const rows = tableRows("Images");
    const keys = rows.map((r) => r[0]);
    assert.deepStrictEqual([...keys].sort(), Object.keys(IMAGES).sort(), "the table's keys are IMAGES' keys");
    assert.strictEqual(new Set(keys).size, keys.length, "one row per image");
    for (const [key, reference, maintainer, support, checked, status] of rows) {
      assert.strictEqual(reference, IMAGES[key as keyof typeof IMAGES], `${key}: the table names the pinned reference`);
      for (const [what, cell] of Object.entries({ maintainer, support, checked, status })) assert.ok(cell && cell.length > 2, `${key}: the ${what} column is filled in`);
      assert.match(status, /^(supported|upgraded|follow-up)/, `${key}: status is supported, upgraded or follow-up`);
    }
  });

  it("has one row per CHARTS entry with its chart name, version and repository", () => {
    const rows = tableRows("Charts");
    assert.deepStrictEqual(rows.map((r) => r[0]).sort(), Object.keys(CHARTS).sort());
    for (const [key, chart, version, repo] of rows) {
      const pinned = CHARTS[key as keyof typeof CHARTS];
      assert.deepStrictEqual({ chart, version, repo }, { chart: pinned.chart, version: pinned.version, repo: pinned.repo }, key);
    }
  });

  it("pins no line the review found past its support: RabbitMQ 4.3, PostHog's Redis 7.2.12, PostgreSQL on Debian stable with barman-cloud", () => {
    assert.match(IMAGES.rabbitmq, /:4\.3\.\d+-management-alpine$/);
    assert.match(IMAGES.posthogRedis, /:7\.2\.12-alpine$/);
    // `system` carries barman-cloud, which the in-tree barmanObjectStore backups run (docs/disaster-recovery.md).
    assert.match(IMAGES.postgresql, /:18\.\d+-system-trixie$/);
  });

  it("runs no image from the MinIO repositories that were emptied, and starts the server by the executable its image ships", () => {
    for (const ref of [IMAGES.minio, IMAGES.minioClient]) assert.doesNotMatch(ref, /^(docker\.io|quay\.io)\/minio\//);
    // Silo's image installs /usr/bin/silo and no `minio` alias (docs/object-storage.md).
    assert.match(IMAGES.minio, /^docker\.io\/pgsty\/silo:/);
    assert.strictEqual(OBJECT_STORE_SERVER, "silo");
  });
});
