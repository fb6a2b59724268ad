import * as assert from "assert";
import { container, deployment, mutate, podSpec } from "./fixtures";
import { check } from "./util";

const RULE = "ephemeral-storage";
const messages = async (r: Parameters<typeof check>[1]) => (await check(RULE, r)).map((v) => `${v.enforcementLevel}: ${v.message}`);

describe("policy: ephemeral-storage", () => {
  it("passes containers that request and limit ephemeral storage, with capped emptyDirs", async () => {
    const d = mutate(deployment(), (p) => (p.spec.template.spec.volumes = [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }]));
    assert.deepStrictEqual(await messages(d), []);
  });

  it("rejects a container without an ephemeral-storage limit, an init container without a request, and an uncapped emptyDir", async () => {
    const d = mutate(deployment(), (p) => {
      p.spec.template.spec = podSpec([container("app", { resources: { requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } } })], {
        initContainers: [container("init", { resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "1Gi" } } })],
        volumes: [{ name: "cache", emptyDir: {} }],
      });
    });
    assert.deepStrictEqual(
      (await messages(d)).sort(),
      [
        'mandatory: Deployment/apps/api: emptyDir volume "cache" has no sizeLimit',
        'mandatory: Deployment/apps/api: init container "init" has no ephemeral-storage requests',
        'mandatory: Deployment/apps/api: container "app" has no ephemeral-storage limits',
      ].sort(),
    );
  });
});
