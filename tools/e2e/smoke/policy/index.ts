import { PolicyPack, validateResourceOfType } from "@pulumi/policy";
import * as k8s from "@pulumi/kubernetes";

new PolicyPack("e2e-smoke", {
  policies: [
    {
      name: "containers-have-limits",
      description: "Every container of a Deployment declares CPU and memory limits.",
      enforcementLevel: "mandatory",
      validateResource: validateResourceOfType(k8s.apps.v1.Deployment, (d, _args, report) => {
        for (const c of d.spec?.template?.spec?.containers ?? []) {
          if (!c.resources?.limits?.cpu || !c.resources?.limits?.memory) {
            report(`container ${c.name} has no cpu/memory limits`);
          }
        }
      }),
    },
  ],
});
