/**
 * Seed 003's clusters: the whole catalog, at its steady replica counts, must fit in 70% of the tier's
 * worker capacity, and at its autoscaling maximum in all of it.
 */
import { strict as assert } from "assert";
import { CATALOG, SERVICE_NAMES } from "../components/config/catalog";
import { loadConfig } from "../components/config/schema";
import { CAPACITY_BUDGET, EXPORTER_SIDECARS, EXPORTER_SIDECAR_SIZE, LIMIT_RANGES, TIERS, TIER_CLUSTERS, Tier } from "../components/config/sizing";
import { cpuCores, memoryBytes } from "../components/config/quantity";
import { stackSettings } from "./harness";

/** voice-service autoscales from the recommended tier up, which needs TURN for its media. */
const TURN = { mode: "turn", turnUrls: ["turns:turn.example.com:5349"] };

const GiB = 2 ** 30;

/** Neo4j Enterprise: its cluster is the larger of Neo4j's two footprints (Community is one node in every tier). */
const NEO4J_CLUSTER = { edition: "enterprise", acceptLicenseAgreement: "eval" };
/** Production refuses backups that stay in the cluster; capacity does not depend on where they go. */
const BACKUP = { target: { url: "https://s3.example.com", bucket: "voicehelper-capacity" } };
// The production tier refuses a stack without an alert receiver.
const ALERTING = { email: { to: "oncall@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587" } };

function totals(tier: Tier, scale: "steady" | "max") {
  const cfg = loadConfig("capacity", { ...stackSettings("dev", { sizing: tier, posthog: { mode: "self-hosted" }, voiceMedia: TURN, neo4j: NEO4J_CLUSTER, backup: BACKUP, alerting: ALERTING }) });
  let cpu = 0;
  let memory = 0;
  for (const s of SERVICE_NAMES) {
    const size = cfg.sizes[s];
    const pods = CATALOG[s].daemon ? TIER_CLUSTERS[tier].workers : scale === "max" ? (size.autoscaling?.maxReplicas ?? size.replicas) : size.replicas;
    cpu += cpuCores(size.resources.requests.cpu) * pods;
    memory += memoryBytes(size.resources.requests.memory) * pods;
    if (EXPORTER_SIDECARS.includes(s)) {
      cpu += cpuCores(EXPORTER_SIDECAR_SIZE.requests.cpu) * pods;
      memory += memoryBytes(EXPORTER_SIDECAR_SIZE.requests.memory) * pods;
    }
  }
  return { cpu, memoryGi: memory / GiB };
}

describe("capacity per tier (whole catalog, PostHog self-hosted, Neo4j Enterprise cluster)", () => {
  for (const tier of TIERS) {
    it(`${tier}: steady requests fit in ${CAPACITY_BUDGET * 100}% of the workers, autoscaled maximum in all of them`, () => {
      const cluster = TIER_CLUSTERS[tier];
      const steady = totals(tier, "steady");
      const max = totals(tier, "max");
      console.log(
        `      ${tier}: steady ${steady.cpu.toFixed(2)} CPU / ${steady.memoryGi.toFixed(1)} GiB = ` +
          `${((100 * steady.cpu) / cluster.cpu).toFixed(0)}% / ${((100 * steady.memoryGi) / cluster.memoryGi).toFixed(0)}% of ${cluster.cpu}C/${cluster.memoryGi}G; ` +
          `at HPA max ${max.cpu.toFixed(2)} CPU / ${max.memoryGi.toFixed(1)} GiB`,
      );
      assert.ok(steady.cpu <= cluster.cpu * CAPACITY_BUDGET, `${steady.cpu} CPU requested`);
      assert.ok(steady.memoryGi <= cluster.memoryGi * CAPACITY_BUDGET, `${steady.memoryGi} GiB requested`);
      assert.ok(max.cpu <= cluster.cpu, `${max.cpu} CPU at maximum scale`);
      assert.ok(max.memoryGi <= cluster.memoryGi, `${max.memoryGi} GiB at maximum scale`);
    });
  }

  it("no service's limit exceeds its tier's LimitRange ceiling, or the LimitRange would reject its pods", () => {
    for (const tier of TIERS) {
      const cfg = loadConfig("capacity", stackSettings("dev", { sizing: tier, voiceMedia: TURN, backup: BACKUP, alerting: ALERTING }));
      const max = LIMIT_RANGES[tier].max;
      for (const s of SERVICE_NAMES) {
        const l = cfg.sizes[s].resources.limits;
        assert.ok(cpuCores(l.cpu) <= cpuCores(max.cpu), `${tier}/${s}: cpu limit ${l.cpu} > ${max.cpu}`);
        assert.ok(memoryBytes(l.memory) <= memoryBytes(max.memory), `${tier}/${s}: memory limit ${l.memory} > ${max.memory}`);
      }
    }
  });
});
