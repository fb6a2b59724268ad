import { LONG_RUNNING_KINDS } from "../lib/k8s";
import { perContainer } from "../lib/pod";
import { resourceRule } from "../lib/rule";
import { asArray, asObject, asString, isUnknown } from "../lib/values";

function probePort(probe: Record<string, any>): unknown {
    for (const handler of ["httpGet", "tcpSocket", "grpc"]) {
        const h = asObject(probe[handler]);
        if (h) {
            return h.port;
        }
    }
    return undefined;
}

/** Long-running containers have liveness and readiness probes aimed at ports they declare. */
export const probesRequired = resourceRule({
    name: "probes-required",
    description:
        "Containers of Deployments, StatefulSets and DaemonSets must have a livenessProbe and a readinessProbe, and a probe's named or numbered port must be one the container declares.",
    remediationSteps: "Add livenessProbe and readinessProbe (the service file states them, from the product's own health endpoints).",
    check: (obj) => {
        if (!LONG_RUNNING_KINDS.has(obj.kind) || obj.group !== "apps") {
            return [];
        }
        return perContainer(obj, (c) => {
            if (c.init) {
                return undefined;
            }
            const problems: string[] = [];
            const ports = asArray(c.container.ports).map((p) => asObject(p)).filter((p): p is Record<string, any> => p !== undefined);
            for (const kind of ["livenessProbe", "readinessProbe"]) {
                const probe = asObject(c.container[kind]);
                if (!probe) {
                    if (!isUnknown(c.container[kind])) {
                        problems.push(`has no ${kind}`);
                    }
                    continue;
                }
                const port = probePort(probe);
                if (typeof port === "string" && !/^\d+$/.test(port) && !ports.some((p) => asString(p.name) === port)) {
                    problems.push(`has a ${kind} on port "${port}", which the container does not declare`);
                }
                const num = typeof port === "number" ? port : typeof port === "string" && /^\d+$/.test(port) ? Number(port) : undefined;
                if (num !== undefined && ports.length > 0 && !ports.some((p) => p.containerPort === num)) {
                    problems.push(`has a ${kind} on port ${num}, which is not among the container's ports`);
                }
            }
            return problems;
        });
    },
});
