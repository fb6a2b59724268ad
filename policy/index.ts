// The CrossGuard policy pack. This file only assembles the rules; constructing the PolicyPack starts
// the policy server, so tests import ./policies instead.
//
//   pulumi preview --stack <env> --policy-pack policy [--policy-pack-config policy-config.json]

import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("voicehelper", {
  policies: allPolicies,
  enforcementLevel: "mandatory",
  description: "voicehelper: no default credentials, resource limits on every container, and the Kubernetes hardening kube-linter, Polaris and Kyverno check.",
  tags: ["kubernetes", "security", "voicehelper"],
});
