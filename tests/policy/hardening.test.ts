import * as assert from "assert";
import { container, cronJob, daemonSet, deployment, job, mutate, podSpec, service, statefulSet } from "./fixtures";
import { check, Violation } from "./util";

const texts = (vs: Violation[]) => vs.map((v) => `${v.enforcementLevel}: ${v.message}`);

/** Asserts exactly one mandatory violation whose message matches `re`. */
function assertOne(vs: Violation[], re: RegExp): void {
  assert.strictEqual(vs.length, 1, `expected one violation, got:\n${texts(vs).join("\n")}`);
  assert.strictEqual(vs[0].enforcementLevel, "mandatory");
  assert.match(vs[0].message, re);
}

const firstContainer = (change: (c: any) => void) => (p: any) => change(p.spec.template.spec.containers[0]);

describe("policy: hardening rules", () => {
  it("leaves the partial pod templates of operator resources (CloudNativePG Pooler) to the operator", async () => {
    const pooler = {
      type: "kubernetes:postgresql.cnpg.io/v1:Pooler",
      name: "pooler",
      props: {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Pooler",
        metadata: { name: "pg-rw", namespace: "storage" },
        spec: { template: { spec: { containers: [{ name: "pgbouncer", resources: {} }] } } },
      },
    };
    for (const rule of [
      "no-privileged",
      "no-privilege-escalation",
      "run-as-non-root",
      "drop-capabilities",
      "seccomp-profile",
      "read-only-root-filesystem",
      "no-service-account-token",
      "pinned-images",
    ]) {
      assert.deepStrictEqual(await check(rule, pooler), [], rule);
    }
  });

  describe("probes-required on an operator's pod template (CloudNativePG Pooler)", () => {
    const pooler = (container: Record<string, any>) => ({
      type: "kubernetes:postgresql.cnpg.io/v1:Pooler",
      name: "pooler",
      props: {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Pooler",
        metadata: { name: "pg-rw", namespace: "storage" },
        spec: { instances: 2, template: { spec: { containers: [{ name: "pgbouncer", ...container }] } } },
      },
    });
    it("rejects a template without the liveness probe the operator does not add", async () => {
      const vs = await check("probes-required", pooler({}));
      assert.deepStrictEqual(
        vs.map((v) => v.message),
        ['Pooler/storage/pg-rw: container "pgbouncer" of the pod template has no livenessProbe, and Pooler\'s operator adds none'],
      );
    });
    it("passes a template with a liveness probe, leaving readiness to the operator", async () => {
      assert.deepStrictEqual(await check("probes-required", pooler({ livenessProbe: { tcpSocket: { port: "pgbouncer" } } })), []);
    });
  });

  describe("no-privileged", () => {
    it("passes a compliant Deployment", async () => {
      assert.deepStrictEqual(await check("no-privileged", deployment()), []);
    });
    it("rejects a privileged container", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => (c.securityContext.privileged = true)),
      );
      assertOne(await check("no-privileged", d), /^Deployment\/apps\/api: container "app" runs privileged/);
    });
    it("rejects a privileged init container, an unmasked /proc and unsafe sysctls", async () => {
      const init = container("sysctl", { securityContext: { privileged: true } });
      const d = deployment("es", {
        spec: podSpec([container("es", { securityContext: { procMount: "Unmasked" } })], { initContainers: [init], securityContext: { sysctls: [{ name: "vm.max_map_count", value: "262144" }] } }),
      });
      const msgs = (await check("no-privileged", d)).map((v) => v.message);
      assert.ok(
        msgs.some((m) => /init container "sysctl" runs privileged/.test(m)),
        msgs.join("\n"),
      );
      assert.ok(
        msgs.some((m) => /container "es" sets procMount: Unmasked/.test(m)),
        msgs.join("\n"),
      );
      assert.ok(
        msgs.some((m) => /unsafe sysctls \(vm\.max_map_count\)/.test(m)),
        msgs.join("\n"),
      );
    });
  });

  describe("no-privilege-escalation", () => {
    it("passes allowPrivilegeEscalation: false", async () => {
      assert.deepStrictEqual(await check("no-privilege-escalation", statefulSet()), []);
    });
    it("rejects a container that leaves it unset (Kubernetes defaults to true)", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => delete c.securityContext.allowPrivilegeEscalation),
      );
      assertOne(await check("no-privilege-escalation", d), /container "app" does not set allowPrivilegeEscalation: false/);
    });
    it("checks init containers too, which the leading linters skip", async () => {
      const d = deployment("api", { spec: podSpec([container()], { initContainers: [container("wait", { securityContext: {} })] }) });
      assertOne(await check("no-privilege-escalation", d), /init container "wait" does not set allowPrivilegeEscalation: false/);
    });
  });

  describe("run-as-non-root", () => {
    it("accepts runAsNonRoot from the pod securityContext alone", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => delete c.securityContext.runAsNonRoot),
      );
      assert.deepStrictEqual(await check("run-as-non-root", d), []);
    });
    it("rejects a pod with runAsNonRoot nowhere", async () => {
      const d = mutate(deployment(), (p) => {
        delete p.spec.template.spec.securityContext.runAsNonRoot;
        delete p.spec.template.spec.containers[0].securityContext.runAsNonRoot;
      });
      assertOne(await check("run-as-non-root", d), /container "app" does not set runAsNonRoot: true/);
    });
    it("rejects runAsUser: 0 even with runAsNonRoot", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => (c.securityContext.runAsUser = 0)),
      );
      assertOne(await check("run-as-non-root", d), /container "app" runs as root \(runAsUser: 0\)/);
    });
  });

  describe("drop-capabilities", () => {
    it("passes drop ALL with NET_BIND_SERVICE added back", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => (c.securityContext.capabilities.add = ["NET_BIND_SERVICE"])),
      );
      assert.deepStrictEqual(await check("drop-capabilities", d), []);
    });
    it("rejects a container that drops nothing", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => delete c.securityContext.capabilities),
      );
      assertOne(await check("drop-capabilities", d), /container "app" does not drop ALL capabilities/);
    });
    it("rejects added capabilities outside the allow-list, which config can extend", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => (c.securityContext.capabilities.add = ["SYS_ADMIN"])),
      );
      assertOne(await check("drop-capabilities", d), /adds capabilities SYS_ADMIN/);
      assert.deepStrictEqual(await check("drop-capabilities", d, { "drop-capabilities": { allowedCapabilities: ["NET_BIND_SERVICE", "SYS_ADMIN"] } }), []);
    });
  });

  describe("seccomp-profile", () => {
    it("passes RuntimeDefault on the pod and Localhost on a container", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => (c.securityContext.seccompProfile = { type: "Localhost", localhostProfile: "p.json" })),
      );
      assert.deepStrictEqual(await check("seccomp-profile", d), []);
    });
    it("rejects a pod without any seccomp profile", async () => {
      const d = mutate(deployment(), (p) => delete p.spec.template.spec.securityContext.seccompProfile);
      assertOne(await check("seccomp-profile", d), /container "app" has no seccomp profile/);
    });
    it("rejects Unconfined seccomp and Unconfined AppArmor", async () => {
      const d = mutate(
        deployment(),
        firstContainer((c) => (c.securityContext.seccompProfile = { type: "Unconfined" })),
      );
      assertOne(await check("seccomp-profile", d), /runs with seccomp profile Unconfined/);
      const a = mutate(
        deployment(),
        firstContainer((c) => (c.securityContext.appArmorProfile = { type: "Unconfined" })),
      );
      assertOne(await check("seccomp-profile", a), /runs with AppArmor Unconfined/);
    });
  });

  describe("read-only-root-filesystem", () => {
    it("passes readOnlyRootFilesystem: true", async () => {
      assert.deepStrictEqual(await check("read-only-root-filesystem", daemonSet()), []);
    });
    it("rejects a writable root filesystem, also in CronJobs", async () => {
      const cj = mutate(cronJob(), (p) => (p.spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false));
      assertOne(await check("read-only-root-filesystem", cj), /^CronJob\/apps\/backup: container "migrate" does not set readOnlyRootFilesystem: true/);
    });
  });

  describe("no-host-namespaces", () => {
    it("passes a pod on its own namespaces", async () => {
      assert.deepStrictEqual(await check("no-host-namespaces", deployment()), []);
    });
    it("rejects hostNetwork, hostPID and hostIPC", async () => {
      const d = mutate(deployment(), (p) => Object.assign(p.spec.template.spec, { hostNetwork: true, hostPID: true, hostIPC: true }));
      const msgs = (await check("no-host-namespaces", d)).map((v) => v.message);
      assert.deepStrictEqual(msgs, ["Deployment/apps/api: the pod sets hostNetwork: true", "Deployment/apps/api: the pod sets hostPID: true", "Deployment/apps/api: the pod sets hostIPC: true"]);
    });
  });

  describe("host-path", () => {
    it("passes emptyDir volumes", async () => {
      const d = mutate(deployment(), (p) => (p.spec.template.spec.volumes = [{ name: "tmp", emptyDir: {} }]));
      assert.deepStrictEqual(await check("host-path", d), []);
    });
    it("rejects a hostPath volume and says when it is sensitive and writable", async () => {
      const d = mutate(deployment(), (p) => {
        p.spec.template.spec.volumes = [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }];
        p.spec.template.spec.containers[0].volumeMounts = [{ name: "sock", mountPath: "/var/run/docker.sock" }];
      });
      assertOne(await check("host-path", d), /volume "sock" mounts hostPath \/var\/run\/docker\.sock \(sensitive host path, mounted writable\)/);
    });
    it("rejects a hostPath PersistentVolume", async () => {
      const pv = { type: "kubernetes:core/v1:PersistentVolume", name: "pv", props: { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv" }, spec: { hostPath: { path: "/data" } } } };
      assertOne(await check("host-path", pv), /^PersistentVolume\/pv: the PersistentVolume is backed by hostPath \/data/);
    });
  });

  describe("pinned-images", () => {
    it("passes tags and digests", async () => {
      const digest = "sha256:" + "a".repeat(64);
      const d = deployment("api", { spec: podSpec([container("a", { image: "redis:8.2-alpine" }), container("b", { image: `quay.io/prometheus/prometheus@${digest}` })]) });
      assert.deepStrictEqual(await check("pinned-images", d), []);
    });
    it("rejects latest, missing tags (also behind a registry port) and malformed digests", async () => {
      const d = deployment("api", {
        spec: podSpec([container("a", { image: "nginx:latest" }), container("b", { image: "localhost:5000/app" }), container("c", { image: "redis@sha256:123" })]),
      });
      const msgs = (await check("pinned-images", d)).map((v) => v.message);
      assert.strictEqual(msgs.length, 3, msgs.join("\n"));
      assert.match(msgs[0], /container "a" uses image nginx:latest with the floating tag "latest"/);
      assert.match(msgs[1], /container "b" uses image localhost:5000\/app without a tag or digest/);
      assert.match(msgs[2], /container "c" uses image redis@sha256:123 with a malformed digest/);
    });
    it("applies requireDigest and allowedRegistries from config, and checks CloudNativePG imageName", async () => {
      const cfg = { "pinned-images": { requireDigest: true, allowedRegistries: ["ghcr.io"] } };
      const d = deployment("api", { spec: podSpec([container("a", { image: "docker.io/library/redis:8.2" })]) });
      const msgs = (await check("pinned-images", d, cfg)).map((v) => v.message);
      assert.deepStrictEqual(msgs.length, 2, msgs.join("\n"));
      const cluster = {
        type: "kubernetes:postgresql.cnpg.io/v1:Cluster",
        name: "pg",
        props: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "storage" }, spec: { imageName: "ghcr.io/cloudnative-pg/postgresql" } },
      };
      assertOne(await check("pinned-images", cluster), /^Cluster\/storage\/pg: spec.imageName is ghcr.io\/cloudnative-pg\/postgresql without a tag/);
    });
  });

  describe("probes-required", () => {
    it("passes probes on declared ports, and Jobs and init containers without probes", async () => {
      const d = deployment("api", { spec: podSpec([container()], { initContainers: [container("init", { livenessProbe: undefined, readinessProbe: undefined })] }) });
      assert.deepStrictEqual(await check("probes-required", [d, job(), cronJob()]), []);
    });
    it("rejects a long-running container without a liveness probe", async () => {
      const s = mutate(
        statefulSet(),
        firstContainer((c) => delete c.livenessProbe),
      );
      assertOne(await check("probes-required", s), /^StatefulSet\/apps\/db: container "app" has no livenessProbe/);
    });
    it("rejects a probe on a port the container does not declare", async () => {
      const d = mutate(
        daemonSet(),
        firstContainer((c) => (c.readinessProbe = { httpGet: { path: "/", port: "metrics" } })),
      );
      assertOne(await check("probes-required", d), /has a readinessProbe on port "metrics", which the container does not declare/);
    });
  });

  describe("no-service-account-token", () => {
    it("passes automountServiceAccountToken: false", async () => {
      assert.deepStrictEqual(await check("no-service-account-token", job()), []);
    });
    it("rejects a pod that mounts the token (CronJobs included)", async () => {
      const cj = mutate(cronJob(), (p) => delete p.spec.jobTemplate.spec.template.spec.automountServiceAccountToken);
      assertOne(await check("no-service-account-token", cj), /^CronJob\/apps\/backup: the pod does not set automountServiceAccountToken: false/);
    });
  });

  describe("no-external-services", () => {
    it("passes ClusterIP Services and an edge LoadBalancer", async () => {
      assert.deepStrictEqual(await check("no-external-services", [service(), service("gw", "LoadBalancer", { "voicehelper.io/edge": "true" })]), []);
    });
    it("rejects LoadBalancer and NodePort Services outside the edge", async () => {
      assertOne(await check("no-external-services", service("grafana", "NodePort")), /^Service\/apps\/grafana: Service of type NodePort outside the edge/);
      assertOne(await check("no-external-services", service("db", "LoadBalancer", { "voicehelper.io/edge": "false" })), /Service of type LoadBalancer outside the edge/);
    });
    it("rejects externalIPs and hostPorts outside the edge", async () => {
      const svc = mutate(service(), (p) => (p.spec.externalIPs = ["203.0.113.7"]));
      assertOne(await check("no-external-services", svc), /Service sets externalIPs outside the edge/);
      const d = mutate(
        deployment(),
        firstContainer((c) => (c.ports = [{ name: "http", containerPort: 8080, hostPort: 80 }])),
      );
      assertOne(await check("no-external-services", d), /container "app" binds hostPort 80 on the node/);
    });
  });
});
