// Tricks against the hardening and resource rules: the setting moved to where a reviewer does not
// look (an init container, a native sidecar, a CronJob, the container overriding the pod), or spelt
// the way Kubernetes also accepts.

import { container, cronJob, deployment, mutate, podSpec, service } from "../fixtures";
import { TestResource } from "../util";
import { AdversarialCase } from "./helpers";

const h = (rule: string, trick: string, violating: TestResource, nearMiss: TestResource): AdversarialCase => ({ rule, trick, violating, nearMiss });

/** A Deployment whose one init container (or native sidecar) gets `overrides`. */
const withInit = (overrides: Record<string, any>) => deployment("app", { spec: podSpec([container("app")], { initContainers: [container("init", overrides)] }) });
const withMain = (overrides: Record<string, any>) => deployment("app", { spec: podSpec([container("app", overrides)]) });
const cronWith = (overrides: Record<string, any>) => cronJob("backup", { spec: podSpec([container("backup", overrides)], { restartPolicy: "OnFailure" }) });
const secCtx = (extra: Record<string, any>) => ({ securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, ...extra } });
const podWith = (extra: Record<string, any>) => deployment("app", { spec: podSpec([container("app")], extra) });

export const HARDENING_CASES: AdversarialCase[] = [
  h("no-privileged", "privileged init container", withInit(secCtx({ privileged: true })), withInit(secCtx({ privileged: false }))),
  h("no-privileged", "privileged native sidecar", withInit({ restartPolicy: "Always", ...secCtx({ privileged: true }) }), withInit({ restartPolicy: "Always", ...secCtx({}) })),
  h("no-privileged", "privileged container in a CronJob", cronWith(secCtx({ privileged: true })), cronWith(secCtx({}))),
  h("no-privileged", "unmasked /proc", withMain(secCtx({ procMount: "Unmasked" })), withMain(secCtx({ procMount: "Default" }))),
  h(
    "no-privileged",
    "unsafe sysctl on the pod",
    podWith({ securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, sysctls: [{ name: "kernel.msgmax", value: "65536" }] } }),
    podWith({ securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, sysctls: [{ name: "net.ipv4.ip_local_port_range", value: "1024 65535" }] } }),
  ),
  h("run-as-non-root", "container runAsUser 0 overriding a non-root pod", withMain(secCtx({ runAsUser: 0 })), withMain(secCtx({ runAsUser: 1001 }))),
  h("run-as-non-root", "init container runAsNonRoot false", withInit(secCtx({ runAsNonRoot: false })), withInit(secCtx({}))),
  h("drop-capabilities", "drop list without ALL", withMain(secCtx({ capabilities: { drop: ["NET_RAW"] } })), withMain(secCtx({ capabilities: { drop: ["ALL"] } }))),
  h(
    "drop-capabilities",
    "SYS_ADMIN added with the CAP_ prefix",
    withMain(secCtx({ capabilities: { drop: ["ALL"], add: ["CAP_SYS_ADMIN"] } })),
    withMain(secCtx({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } })),
  ),
  h("drop-capabilities", "capability added in lower case", withInit(secCtx({ capabilities: { drop: ["ALL"], add: ["sys_ptrace"] } })), withInit(secCtx({ capabilities: { drop: ["ALL"] } }))),
  h(
    "no-privilege-escalation",
    "escalation left unset in a sidecar",
    withInit({ restartPolicy: "Always", securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } } }),
    withInit({ restartPolicy: "Always", ...secCtx({}) }),
  ),
  h("read-only-root-filesystem", "writable root in an init container", withInit(secCtx({ readOnlyRootFilesystem: false })), withInit(secCtx({}))),
  h(
    "seccomp-profile",
    "container Unconfined overriding the pod's RuntimeDefault",
    withMain(secCtx({ seccompProfile: { type: "Unconfined" } })),
    withMain(secCtx({ seccompProfile: { type: "RuntimeDefault" } })),
  ),
  h("seccomp-profile", "AppArmor unconfined on the container", withMain(secCtx({ appArmorProfile: { type: "Unconfined" } })), withMain(secCtx({ appArmorProfile: { type: "RuntimeDefault" } }))),
  h(
    "no-host-namespaces",
    "hostPID on a CronJob pod",
    cronJob("backup", { spec: podSpec([container("backup")], { restartPolicy: "OnFailure", hostPID: true }) }),
    cronJob("backup", { spec: podSpec([container("backup")], { restartPolicy: "OnFailure", hostPID: false }) }),
  ),
  h("no-host-namespaces", "hostNetwork on a Deployment", podWith({ hostNetwork: true }), podWith({ hostNetwork: false })),
  h(
    "host-path",
    "hostPath volume used only by an init container",
    podWith({ volumes: [{ name: "h", hostPath: { path: "/var/run/containerd/containerd.sock" } }], initContainers: [container("init", { volumeMounts: [{ name: "h", mountPath: "/sock" }] })] }),
    podWith({ volumes: [{ name: "h", emptyDir: {} }], initContainers: [container("init", { volumeMounts: [{ name: "h", mountPath: "/sock" }] })] }),
  ),
  h("pinned-images", "no tag at all", withMain({ image: "redis" }), withMain({ image: "redis:8.2.2-alpine" })),
  h("pinned-images", "latest on an init container", withInit({ image: "busybox:latest" }), withInit({ image: "busybox:1.37.0" })),
  h(
    "no-service-account-token",
    "token mounted on a CronJob pod",
    cronJob("backup", { spec: podSpec([container("backup")], { restartPolicy: "OnFailure", automountServiceAccountToken: true }) }),
    cronJob("backup", { spec: podSpec([container("backup")], { restartPolicy: "OnFailure" }) }),
  ),
  h("no-external-services", "hostPort on an init container", withInit({ ports: [{ containerPort: 8080, hostPort: 8080 }] }), withInit({ ports: [{ containerPort: 8080 }] })),
  h("no-external-services", "NodePort without the edge label", service("api", "NodePort"), service("api", "ClusterIP")),
  h(
    "resource-limits",
    "init container without limits",
    withInit({ resources: { requests: { cpu: "100m", memory: "64Mi" } } }),
    withInit({ resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } } }),
  ),
  h(
    "resource-limits",
    "request above the limit written in another unit",
    withMain({ resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "500m", memory: "1024Mi" } } }),
    withMain({ resources: { requests: { cpu: "0.5", memory: "1Gi" }, limits: { cpu: "500m", memory: "1024Mi" } } }),
  ),
  h(
    "resource-limits",
    "limit past the ceiling in exponent form",
    withMain({ resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "1e12" } } }),
    withMain({ resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "1e9" } } }),
  ),
  h(
    "probes-required",
    "liveness probe aimed at a port the container does not declare",
    withMain({ livenessProbe: { httpGet: { path: "/health", port: "metrics" } } }),
    withMain({ livenessProbe: { httpGet: { path: "/health", port: "http" } } }),
  ),
  h(
    "policy-exceptions",
    "an exception with a blank reason",
    mutate(withMain({}), (p) => (p.metadata.annotations = { "voicehelper.io/policy-exceptions": '{"host-path": "   "}' })),
    mutate(withMain({}), (p) => (p.metadata.annotations = { "voicehelper.io/policy-exceptions": '{"host-path": "node log collection"}' })),
  ),
  h(
    "policy-exceptions",
    "an annotation excepting a credential rule",
    mutate(withMain({}), (p) => (p.metadata.annotations = { "voicehelper.io/policy-exceptions": '{"no-default-credentials": "it is only dev"}' })),
    mutate(withMain({}), (p) => (p.metadata.annotations = { "voicehelper.io/policy-exceptions": '{"probes-required": "a one-shot tool"}' })),
  ),
];
