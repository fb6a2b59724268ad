/**
 * Every endpoint names the port a client gets when it names none (its primary port), and every consumer
 * of "the" port of a service reads that name: the stack's `endpoints` output, `<SERVICE>_URL`, the
 * gateway's upstreams and the edge's backends. Endpoints travel in one registry that refuses a service
 * registered twice.
 */
import { strict as assert } from "assert";
import { ServiceEndpoint, narrowedTo, primaryAddress } from "../components/kit/endpoint";
import { httpProbe } from "../components/kit/container";
import { Workload, WorkloadArgs } from "../components/kit/workload";
import { EndpointRegistry } from "../components/layers/endpoint-registry";
import { publicRoutes } from "../components/layers/edge/routes";
import { dependencyEnv } from "../components/services/wiring";
import { Rendered, render } from "./harness";
import { underMocks } from "./under-mocks";

/** An in-house service whose Service lists its metrics port before its HTTP port. */
const METRICS_FIRST: ServiceEndpoint = {
  service: "algo-service",
  namespace: "voicehelper",
  host: "algo-service.voicehelper.svc.cluster.local",
  selector: { "app.kubernetes.io/name": "algo-service" },
  ports: { metrics: 9090, http: 8080 },
  primaryPort: "http",
};

function workloadArgs(over: Partial<WorkloadArgs>): WorkloadArgs {
  const probes = { readiness: httpProbe("/ready", "http"), liveness: httpProbe("/health", "http") };
  const ports = [
    { name: "http", containerPort: 8080 },
    { name: "admin", containerPort: 8081 },
  ];
  return {
    id: { name: "demo", component: "api", version: "1" },
    size: { replicas: 1, resources: { requests: { cpu: "10m", memory: "8Mi" }, limits: { cpu: "10m", memory: "8Mi" } } },
    runAsUser: 1000,
    containers: [{ name: "demo", image: "i:1", ports, probes }],
    ...over,
  };
}

/** Builds one Workload under the mock runtime and returns its endpoint. */
async function endpointOf(args: WorkloadArgs): Promise<ServiceEndpoint> {
  let endpoint: ServiceEndpoint | undefined;
  await underMocks(() => {
    endpoint = new Workload(args, { namespace: "test", protectData: false, skipAwait: true, priorityClassName: "voicehelper-app" }).endpoint;
  });
  return endpoint!;
}

describe("endpoints: a named primary port", function () {
  let dev: Rendered;
  before(async () => {
    dev = await render("dev");
  });

  it("the stack's endpoints output gives each service its primary port, not whichever port is listed first", () => {
    const e = dev.outputs.endpoints;
    assert.equal(e.gateway, "gateway.voicehelper.svc.cluster.local:8080");
    assert.equal(e.minio, "minio.voicehelper-storage.svc.cluster.local:9000");
    assert.equal(e.postgresql, "postgresql-rw.voicehelper-storage.svc.cluster.local:5432");
    assert.equal(e.rabbitmq, "rabbitmq.voicehelper-storage.svc.cluster.local:5672");
    assert.equal(e.kafka, "kafka.voicehelper-storage.svc.cluster.local:9092");
    assert.ok(
      Object.values(e).every((a) => /^[a-z0-9.-]+:[0-9]+$/.test(a)),
      JSON.stringify(e),
    );
  });

  it("a client's <SERVICE>_URL is the dependency's primary port", () => {
    const env = dependencyEnv("gateway", [{ endpoint: METRICS_FIRST }], {}, "voicehelper");
    assert.deepEqual(env, [{ name: "ALGO_SERVICE_URL", value: "http://algo-service.voicehelper.svc.cluster.local:8080" }]);
  });

  it("the edge routes a public service to its primary port", () => {
    const registry = new EndpointRegistry();
    registry.register("frontend", { ...METRICS_FIRST, service: "frontend", host: "frontend.voicehelper.svc.cluster.local" });
    const [route] = publicRoutes(["frontend"], registry, "example.com");
    assert.equal(route.rules[0].port, 8080);
  });

  it("every rendered in-house service's URL env points at port 8080 (HTTP), never 9090 (metrics)", () => {
    const urls = dev
      .ofType("kubernetes:apps/v1:Deployment")
      .flatMap((d) => d.inputs.spec.template.spec.containers.flatMap((c: any) => c.env ?? []))
      .filter((v: any) => /_URL$/.test(v.name) && /^http:\/\/[a-z-]+\.voicehelper\.svc/.test(v.value ?? ""));
    assert.ok(urls.length > 0);
    for (const u of urls) assert.match(u.value, /:8080$/, u.name);
  });

  it("a workload whose clients use several ports must name the primary one, and it must be a client port", async () => {
    await assert.rejects(endpointOf(workloadArgs({})), /demo: clients use ports http, admin; name the one they get by default with primaryPort/);
    await assert.rejects(endpointOf(workloadArgs({ clientPorts: ["http"], primaryPort: "admin" })), /primaryPort "admin" is not a client port \(client ports: http\)/);
    const e = await endpointOf(workloadArgs({ primaryPort: "admin" }));
    assert.equal(primaryAddress(e), "demo.test.svc.cluster.local:8081");
    assert.equal((await endpointOf(workloadArgs({ clientPorts: ["admin"] }))).primaryPort, "admin");
  });

  it("narrowing an endpoint keeps only the named ports and refuses one the service lacks", () => {
    const n = narrowedTo(METRICS_FIRST, "http");
    assert.deepEqual([n.ports, n.primaryPort], [{ http: 8080 }, "http"]);
    assert.throws(() => narrowedTo(METRICS_FIRST, "grpc"), /algo-service has no port "grpc"; it offers metrics, http/);
  });

  it("the registry refuses a second endpoint for one service", () => {
    const registry = new EndpointRegistry();
    registry.register("algo-service", METRICS_FIRST);
    assert.throws(() => registry.register("algo-service", METRICS_FIRST), /algo-service was registered twice/);
    assert.deepEqual(registry.addresses(), { "algo-service": "algo-service.voicehelper.svc.cluster.local:8080" });
  });
});
