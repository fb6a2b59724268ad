/** `voicehelper:imageDigests`: validated before anything is deployed, and applied to every object that runs a pinned image. */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { IMAGES, ImageKey } from "../components/config/images";
import { ConfigError, loadConfig } from "../components/config/schema";
import { containersOf, render, stackSettings } from "./harness";

const fakeDigest = (key: string) => `sha256:${createHash("sha256").update(`not-a-real-image:${key}`).digest("hex")}`;
const ALL = Object.fromEntries(Object.keys(IMAGES).map((k) => [k, fakeDigest(k)])) as Record<ImageKey, string>;

function problems(digests: unknown): string[] {
  try {
    loadConfig("dev", stackSettings("dev", { imageDigests: digests }));
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  return [];
}

describe("image digests (voicehelper:imageDigests)", () => {
  it("refuses an unknown image key, naming the setting and the keys it accepts", () => {
    const found = problems({ minIO: fakeDigest("x") });
    assert.ok(
      found.some((p) => p.includes("voicehelper:imageDigests.minIO") && p.includes("unknown image") && p.includes("minioClient")),
      found.join("\n"),
    );
  });

  it("refuses anything but sha256: and 64 lowercase hex digits", () => {
    for (const bad of ["sha256:abc", `sha512:${"a".repeat(64)}`, `sha256:${"A".repeat(64)}`, "latest"]) {
      const found = problems({ redis: bad });
      assert.ok(
        found.some((p) => p.includes("voicehelper:imageDigests.redis") && p.includes("sha256: followed by 64 lowercase hex digits")),
        `${bad}: ${found.join("\n")}`,
      );
    }
    assert.deepStrictEqual(problems({ redis: ALL.redis }), []);
  });

  it("leaves every image on its tag when unset", async () => {
    const r = await render("dev");
    const images = r.kubernetes().flatMap((o) => containersOf(o).map((c) => c.image as string));
    assert.ok(images.includes(IMAGES.redis));
    assert.ok(!images.some((i) => i.includes("@sha256:")));
  });

  it("runs every third-party container, and CloudNativePG's instances, by tag and digest when every image is pinned", async () => {
    const r = await render("prod", { imageDigests: ALL });
    const thirdParty = Object.values(IMAGES) as string[];
    let pinned = 0;
    for (const o of r.kubernetes()) {
      for (const c of containersOf(o)) {
        assert.ok(!thirdParty.includes(c.image), `${o.type} ${o.inputs.metadata.name}/${c.name} still runs ${c.image} by tag only`);
        const key = (Object.keys(IMAGES) as ImageKey[]).find((k) => c.image === `${IMAGES[k]}@${ALL[k]}`);
        if (key) pinned++;
        else assert.ok(c.image.startsWith(r.config.images.registry), `${o.inputs.metadata.name}/${c.name}: ${c.image} is neither in-house nor a pinned digest`);
      }
    }
    assert.ok(pinned > 20, `pinned containers: ${pinned}`);
    const clusters = r.ofType("kubernetes:postgresql.cnpg.io/v1:Cluster");
    assert.ok(clusters.length > 0);
    for (const c of clusters) assert.strictEqual(c.inputs.spec.imageName, `${IMAGES.postgresql}@${ALL.postgresql}`);
  });
});
