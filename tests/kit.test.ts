/**
 * The kit's rules, exercised through a tiny program that uses it directly under mocks.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../components/config/schema";
import { httpProbe, secureContainer } from "../components/kit/container";
import { EXCEPTIONS_ANNOTATION, exceptionsAnnotation } from "../components/kit/exceptions";
import { labels, selectorLabels, imageVersion } from "../components/kit/labels";
import { GeneratedSecret } from "../components/kit/secret";
import { Workload, WorkloadArgs, WorkloadContext } from "../components/kit/workload";
import { RenderedResource } from "./harness";

const small: ServiceSize = { replicas: 1, resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } } };
const ctx: WorkloadContext = { namespace: "test", protectData: true, skipAwait: false, priorityClassName: "voicehelper-app" };
const probes = { readiness: httpProbe("/ready", "http"), liveness: httpProbe("/health", "http") };

function args(over: Partial<WorkloadArgs> = {}): WorkloadArgs {
  return {
    id: { name: "demo", component: "api", version: "1.2.3" },
    size: small,
    runAsUser: 1000,
    containers: [
      {
        name: "demo",
        image: "example.org/demo:1.2.3",
        ports: [
          { name: "http", containerPort: 8080 },
          { name: "metrics", containerPort: 9090 },
        ],
        probes,
      },
    ],
    primaryPort: "http",
    ...over,
  };
}

/** Runs `program` under fresh mocks and returns what it registered. */
async function registered(program: () => void): Promise<RenderedResource[]> {
  const out: RenderedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        out.push({ type: a.type, name: a.name, inputs: a.inputs } as RenderedResource);
        return { id: `${a.name}-id`, state: { ...a.inputs, result: a.type.includes("RandomPassword") ? "x".repeat(32) : undefined } };
      },
      call: (a) => a.inputs,
    },
    "kit",
    "test",
  );
  program();
  await pulumi.runtime.disconnect();
  return out;
}

const ofType = (rs: RenderedResource[], type: string) => rs.filter((r) => r.type === `kubernetes:${type}`);

describe("kit: labels", () => {
  it("selectors are the labels minus version, so upgrades never change a selector", () => {
    const id = { name: "redis", component: "cache", version: "8.2.2-alpine" };
    const all = labels(id);
    assert.equal(all["app.kubernetes.io/version"], "8.2.2-alpine");
    assert.deepEqual(selectorLabels(id), { "app.kubernetes.io/name": "redis", "app.kubernetes.io/component": "cache", "app.kubernetes.io/part-of": "voicehelper" });
    assert.ok(!("app.kubernetes.io/version" in selectorLabels(id)));
  });

  it("reads the version from an image reference", () => {
    assert.equal(imageVersion("docker.io/library/redis:8.2.2-alpine"), "8.2.2-alpine");
    assert.equal(imageVersion("registry:5000/team/app:1.0"), "1.0");
    assert.equal(imageVersion("registry:5000/team/app"), "untagged");
  });
});

describe("kit: container secure defaults", () => {
  const built = secureContainer({ name: "c", image: "i:1", writablePaths: ["/tmp", "/var/cache/app"] }, small.resources);

  it("is non-root, read-only, unprivileged, capability-free and seccomp-confined by default", () => {
    const sc = built.container.securityContext as any;
    assert.deepEqual(
      {
        runAsNonRoot: sc.runAsNonRoot,
        readOnlyRootFilesystem: sc.readOnlyRootFilesystem,
        allowPrivilegeEscalation: sc.allowPrivilegeEscalation,
        privileged: sc.privileged,
        drop: sc.capabilities.drop,
        seccomp: sc.seccompProfile.type,
      },
      { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, drop: ["ALL"], seccomp: "RuntimeDefault" },
    );
  });

  it("gives each writable path its own emptyDir", () => {
    assert.deepEqual(
      built.volumes.map((v) => v.name),
      ["c-tmp", "c-var-cache-app"],
    );
    assert.deepEqual(
      (built.container.volumeMounts as any[]).map((m) => m.mountPath),
      ["/tmp", "/var/cache/app"],
    );
  });

  it("always sets requests and limits", () => {
    assert.deepEqual(built.container.resources, { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } });
  });

  it("relaxes only what a named exception names", () => {
    const root = secureContainer({ name: "r", image: "i:1", exceptions: [{ rule: "run-as-non-root", reason: "reads root-owned host logs" }] }, small.resources);
    const sc = root.container.securityContext as any;
    assert.equal(sc.runAsNonRoot, false);
    assert.equal(sc.runAsUser, 0);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.deepEqual(sc.capabilities.drop, ["ALL"]);
  });

  it("an exception without a real reason is refused", () => {
    assert.throws(() => exceptionsAnnotation([{ rule: "host-path", reason: "needed" }]), /needs a reason a reviewer can judge/);
  });
});

describe("kit: workloads", () => {
  it("a stateless service gets a ServiceAccount without token, a Deployment, a Service from its named ports, and an egress policy", async () => {
    const rs = await registered(() => new Workload(args({ clientPorts: ["http"] }), ctx));
    const [sa] = ofType(rs, "core/v1:ServiceAccount");
    assert.equal(sa.inputs.automountServiceAccountToken, false);
    const [dep] = ofType(rs, "apps/v1:Deployment");
    assert.equal(dep.inputs.spec.replicas, 1);
    assert.equal(dep.inputs.spec.template.spec.automountServiceAccountToken, false);
    const [svc] = ofType(rs, "core/v1:Service");
    assert.deepEqual(svc.inputs.spec.ports, [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }]);
    assert.deepEqual(svc.inputs.spec.selector, dep.inputs.spec.selector.matchLabels);
    assert.equal(ofType(rs, "policy/v1:PodDisruptionBudget").length, 0, "a single replica gets no PDB");
    assert.equal(ofType(rs, "autoscaling/v2:HorizontalPodAutoscaler").length, 0);
    const egress = ofType(rs, "networking.k8s.io/v1:NetworkPolicy");
    assert.equal(egress.length, 1);
    assert.deepEqual(egress[0].inputs.spec.policyTypes, ["Egress"]);
  });

  it("refuses to expose a port no container owns", async () => {
    await assert.rejects(
      registered(() => new Workload(args({ clientPorts: ["grpc"] }), ctx)),
      /port "grpc" is not a port of any container/,
    );
  });

  it("refuses a long-running container without readiness and liveness probes", async () => {
    const noProbes = args({ containers: [{ name: "demo", image: "i:1", ports: [{ name: "http", containerPort: 8080 }] }] });
    await assert.rejects(
      registered(() => new Workload(noProbes, ctx)),
      /needs readiness and liveness probes/,
    );
  });

  it("an autoscaled service leaves replicas to its HPA and gets a PDB", async () => {
    const size: ServiceSize = { ...small, replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 } };
    const rs = await registered(() => new Workload(args({ size }), ctx));
    const [dep] = ofType(rs, "apps/v1:Deployment");
    assert.equal(dep.inputs.spec.replicas, undefined);
    const [hpa] = ofType(rs, "autoscaling/v2:HorizontalPodAutoscaler");
    assert.deepEqual(hpa.inputs.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "demo" });
    assert.deepEqual([hpa.inputs.spec.minReplicas, hpa.inputs.spec.maxReplicas], [2, 10]);
    assert.deepEqual(
      hpa.inputs.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]),
      [
        ["cpu", 70],
        ["memory", 80],
      ],
    );
    const [pdb] = ofType(rs, "policy/v1:PodDisruptionBudget");
    assert.equal(pdb.inputs.spec.maxUnavailable, 1);
    assert.ok(dep.inputs.spec.template.spec.topologySpreadConstraints[0].topologyKey === "kubernetes.io/hostname");
  });

  it("a stateful service gets a StatefulSet, a headless Service, retained claims, protection, and stable pod hosts", async () => {
    let w: Workload | undefined;
    const size: ServiceSize = { ...small, replicas: 3, storage: "5Gi" };
    const rs = await registered(() => {
      w = new Workload(args({ size, state: { mountPath: "/data" }, peerPorts: ["metrics"] }), ctx);
    });
    const [sts] = ofType(rs, "apps/v1:StatefulSet");
    assert.equal(sts.inputs.spec.serviceName, "demo-headless");
    assert.equal(sts.inputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "5Gi");
    assert.deepEqual(sts.inputs.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
    const headless = ofType(rs, "core/v1:Service").find((s) => s.inputs.metadata.name === "demo-headless")!;
    assert.equal(headless.inputs.spec.clusterIP, "None");
    assert.equal(headless.inputs.spec.publishNotReadyAddresses, true);
    assert.deepEqual(
      w!.podHosts,
      [0, 1, 2].map((i) => `demo-${i}.demo-headless.test.svc.cluster.local`),
    );
    assert.equal(sts.inputs.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
    const peers = ofType(rs, "networking.k8s.io/v1:NetworkPolicy").find((p) => p.inputs.metadata.name === "demo-from-peers")!;
    assert.deepEqual(peers.inputs.spec.ingress[0].from[0].podSelector.matchLabels, sts.inputs.spec.selector.matchLabels);
  });

  it("records every exception on the workload and its pods", async () => {
    const ex = [{ rule: "no-service-account-token" as const, reason: "watches endpoints through the Kubernetes API" }];
    const rs = await registered(() => new Workload(args({ exceptions: ex }), ctx));
    const [dep] = ofType(rs, "apps/v1:Deployment");
    const annotation = JSON.parse(dep.inputs.spec.template.metadata.annotations[EXCEPTIONS_ANNOTATION]);
    assert.deepEqual(annotation, { "no-service-account-token": "watches endpoints through the Kubernetes API" });
    assert.equal(dep.inputs.metadata.annotations[EXCEPTIONS_ANNOTATION], dep.inputs.spec.template.metadata.annotations[EXCEPTIONS_ANNOTATION]);
    assert.equal(dep.inputs.spec.template.spec.automountServiceAccountToken, true);
  });

  it("declared dependencies become egress at the client and ingress at the server, on the server's ports only", async () => {
    const server = { service: "db", namespace: "data", host: "db.data.svc.cluster.local", selector: { "app.kubernetes.io/name": "db" }, ports: { sql: 5432, admin: 8008 }, primaryPort: "sql" };
    const rs = await registered(() => new Workload(args({ dependencies: [{ endpoint: server, ports: ["sql"] }] }), ctx));
    const policies = ofType(rs, "networking.k8s.io/v1:NetworkPolicy");
    const egress = policies.find((p) => p.inputs.metadata.name === "demo-egress")!;
    const toDb = egress.inputs.spec.egress.find((e: any) => e.to?.[0]?.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "data");
    assert.deepEqual(toDb.ports, [{ protocol: "TCP", port: 5432 }]);
    const ingress = policies.find((p) => p.inputs.metadata.name === "db-from-demo")!;
    assert.equal(ingress.inputs.metadata.namespace, "data");
    assert.deepEqual(ingress.inputs.spec.ingress[0].ports, [{ protocol: "TCP", port: 5432 }]);
    assert.equal(ingress.inputs.spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"], "test");
  });

  it("metrics ports admit the scrapers when Prometheus is deployed, and not otherwise", async () => {
    const scrapers = { namespace: "monitoring", selector: { "app.kubernetes.io/name": "prometheus" } };
    const withProm = await registered(() => new Workload(args({ metrics: { port: "metrics", path: "/metrics" } }), { ...ctx, scrapers }));
    const metrics = ofType(withProm, "networking.k8s.io/v1:NetworkPolicy").find((p) => p.inputs.metadata.name === "demo-from-metrics")!;
    assert.deepEqual(metrics.inputs.spec.ingress[0].ports, [{ protocol: "TCP", port: 9090 }]);
    const [dep] = ofType(withProm, "apps/v1:Deployment");
    assert.equal(dep.inputs.spec.template.metadata.annotations["prometheus.io/port"], "9090");
    const without = await registered(() => new Workload(args({ metrics: { port: "metrics", path: "/metrics" } }), ctx));
    assert.ok(!ofType(without, "networking.k8s.io/v1:NetworkPolicy").some((p) => p.inputs.metadata.name === "demo-from-metrics"));
  });
});

describe("kit: generated secrets", () => {
  it("generates each credential, refuses unknown keys, and copies to a client's namespace on demand", async () => {
    const rs = await registered(() => {
      const s = new GeneratedSecret("demo-auth", { namespace: "data", labels: {}, generate: { password: { kind: "password", length: 24 } }, plain: { username: "demo" } });
      assert.deepEqual(s.keys, ["password", "username"]);
      assert.throws(() => s.ref("passwd"), /Secret demo-auth has no key "passwd"; it holds password, username/);
      s.credential("password").in("data");
      s.credential("password").in("apps");
      s.credential("password").in("apps");
    });
    const passwords = rs.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
    assert.equal(passwords.length, 1);
    assert.equal(passwords[0].inputs.length, 24);
    assert.equal(passwords[0].inputs.special, false);
    const secrets = ofType(rs, "core/v1:Secret");
    assert.deepEqual(secrets.map((s) => s.inputs.metadata.namespace).sort(), ["apps", "data"], "one copy per client namespace, none in the own namespace");
  });
});

describe("kit: GPUs", () => {
  it("a GPU goes to the main container's requests and limits, with a toleration for tainted GPU nodes", async () => {
    const size: ServiceSize = { ...small, resources: { ...small.resources, gpu: 1 } };
    const init = [{ name: "prepare", image: "i:1" }];
    const rs = await registered(() => new Workload(args({ size, initContainers: init }), ctx));
    const spec = ofType(rs, "apps/v1:Deployment")[0].inputs.spec.template.spec;
    assert.equal(spec.containers[0].resources.limits["nvidia.com/gpu"], "1");
    assert.equal(spec.containers[0].resources.requests["nvidia.com/gpu"], "1");
    assert.equal(spec.initContainers[0].resources.limits["nvidia.com/gpu"], undefined);
    assert.deepEqual(spec.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    const plain = await registered(() => new Workload(args(), ctx));
    assert.equal(ofType(plain, "apps/v1:Deployment")[0].inputs.spec.template.spec.tolerations, undefined);
  });
});
