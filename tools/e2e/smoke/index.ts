// Smoke program for the e2e tier: one of each kind of object the platform creates, small enough to
// prove the toolchain (engine, language host, kubernetes and random providers, apiserver admission).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";

const config = new pulumi.Config();
// Harness switch: drop the container limits so the policy pack must reject the preview.
const violatePolicy = config.getBoolean("violatePolicy") ?? false;
const provider = new k8s.Provider("e2e", { kubeconfig: config.require("kubeconfig") });
const opts = { provider };

const labels = { "app.kubernetes.io/name": "smoke", "app.kubernetes.io/part-of": "voicehelper-e2e" };

const ns = new k8s.core.v1.Namespace(
  "smoke",
  {
    metadata: { labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted" } },
  },
  opts,
);
const namespace = ns.metadata.name;

const settings = new k8s.core.v1.ConfigMap(
  "settings",
  {
    metadata: { namespace, labels },
    data: { LOG_LEVEL: "info", GREETING: "hello from the e2e smoke program" },
  },
  opts,
);

const password = new random.RandomPassword("db-password", { length: 24, special: false });

const secret = new k8s.core.v1.Secret(
  "db-credentials",
  {
    metadata: { namespace, labels },
    type: "Opaque",
    stringData: { username: "smoke", password: password.result },
  },
  opts,
);

const deployment = new k8s.apps.v1.Deployment(
  "web",
  {
    metadata: {
      namespace,
      labels,
      // No kubelet or scheduler in the e2e cluster: pods never start, so do not wait for rollout.
      annotations: { "pulumi.com/skipAwait": "true" },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "web",
              image: "registry.example.invalid/smoke/web:1.0.0",
              ports: [{ containerPort: 8080, name: "http" }],
              envFrom: [{ configMapRef: { name: settings.metadata.name } }],
              env: [
                {
                  name: "DB_PASSWORD",
                  valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "password" } },
                },
              ],
              resources: violatePolicy ? { requests: { cpu: "10m", memory: "16Mi" } } : { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
            },
          ],
        },
      },
    },
  },
  opts,
);

export const namespaceName = namespace;
export const deploymentName = deployment.metadata.name;
export const secretName = secret.metadata.name;
export const dbPassword = pulumi.secret(password.result);
