import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { clusterReader } from "../../components/kit/rbac";

describe("kit: clusterReader", () => {
  it("refuses any verb but get, list and watch", () => {
    const parent = undefined as unknown as pulumi.Resource;
    assert.throws(
      () => clusterReader({ name: "x", namespace: "ns", labels: {}, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "delete" as "get"] }] }, parent),
      /grants only get, list, watch \(got "delete" on pods\)/,
    );
  });
});
