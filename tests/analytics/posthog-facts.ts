/**
 * The upstream facts the PostHog deployment relies on, one row each: what PostHog's own files say
 * (repository, path, the commit read), what the program does about it, and a check on the rendered
 * objects that fails if the program stops doing it. docs/posthog-upstream.md is the same table for
 * readers; posthog-facts.test.ts runs every check and keeps the two in step.
 *
 * `atPin` is true only where the file was read at POSTHOG_RELEASE itself; the search index holds the
 * other files at other commits of PostHog/posthog (named per row), so those rows are the nearest
 * evidence available here, not proof of the pinned release.
 */
import * as assert from "assert";
import { IMAGES, POSTHOG_RELEASE, POSTHOG_RUST_TAG } from "../../components/config/images";
import { Rendered, RenderedResource } from "../harness";
import { JOB, STS, envOf, secretData } from "../storage/helpers";

export const NS = "voicehelper-posthog";
export const APPS = "voicehelper";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";

/** The stacks the checks read: self-hosted without and with a project key, cloud, and the router exposed. */
export interface FactStacks {
  selfHosted: Rendered;
  selfHostedWithKey: Rendered;
  routerExposed: Rendered;
}

export interface Source {
  repo: string;
  path: string;
  commit: string;
  atPin: boolean;
}

export interface Fact {
  id: string;
  component: string;
  /** What the upstream file says. */
  upstream: string;
  source: Source[];
  /** What the program does, and why where it differs. */
  ours: string;
  check: (s: FactStacks) => void;
}

const PH = "PostHog/posthog";
const at = (path: string, commit: string): Source => ({ repo: PH, path, commit, atPin: commit === POSTHOG_RELEASE });
const COMPOSE_AT_PIN = at("docker-compose.base.yml", POSTHOG_RELEASE);

function pod(r: RenderedResource): any {
  return r.inputs.spec.template.spec;
}
function main(s: Rendered, type: string, name: string, ns = NS): any {
  return pod(s.object(type, name, ns)).containers[0];
}
function env(c: any, name: string): string {
  return envOf(c, name).value;
}
function hasEnv(c: any, name: string): boolean {
  return (c.env ?? []).some((e: any) => e.name === name);
}
function secretRef(c: any, name: string): { name: string; key: string } {
  const ref = envOf(c, name).valueFrom?.secretKeyRef;
  assert.ok(ref, `${c.name} ${name} comes from a Secret`);
  return { name: ref.name, key: ref.key };
}
function clickhouseXml(s: Rendered): string {
  return s.object(CONFIGMAP, "posthog-clickhouse-config", NS).inputs.data["voicehelper.xml"];
}
/** The HTTPRoute serving `host` (not the HTTP listener's redirect, which names every host). */
function routeOf(s: Rendered, host: string): RenderedResource | undefined {
  return s.ofType(ROUTE).find((r) => (r.inputs.spec.hostnames ?? []).includes(host) && r.inputs.spec.rules.every((x: any) => x.backendRefs));
}
function mountsOf(c: any): Record<string, string> {
  return Object.fromEntries((c.volumeMounts ?? []).map((m: any) => [m.mountPath, m.name]));
}

export const FACTS: Fact[] = [
  {
    id: "capture-env",
    component: "capture",
    upstream:
      "capture runs with ADDRESS 0.0.0.0:3000, CAPTURE_MODE events, KAFKA_TOPIC events_plugin_ingestion, KAFKA_HOSTS, REDIS_URL; replay-capture the same with CAPTURE_MODE recordings and KAFKA_TOPIC session_recording_snapshot_item_events",
    source: [COMPOSE_AT_PIN],
    ours: "the same variables and values; KAFKA_HOSTS is the broker's plaintext listener and REDIS_URL carries PostHog's Redis password",
    check: (s) => {
      for (const [name, mode, topic] of [
        ["posthog-capture", "events", "events_plugin_ingestion"],
        ["posthog-replay-capture", "recordings", "session_recording_snapshot_item_events"],
      ]) {
        const c = main(s.selfHosted, DEPLOYMENT, name);
        assert.deepStrictEqual([env(c, "ADDRESS"), env(c, "CAPTURE_MODE"), env(c, "KAFKA_TOPIC")], ["0.0.0.0:3000", mode, topic], name);
        assert.match(env(c, "KAFKA_HOSTS"), /posthog-kafka.*:9094/);
        assert.match(env(c, "REDIS_URL"), /^redis:\/\/:\$\(REDIS_PASSWORD\)@posthog-redis\./);
      }
    },
  },
  {
    id: "capture-config",
    component: "capture",
    upstream: "capture's address defaults to 127.0.0.1:3000 (unreachable from other pods); KAFKA_HOSTS is required; its Kafka client has a TLS switch (KAFKA_TLS) and no SASL settings",
    source: [at("rust/capture/src/config.rs", "ec209617166a366a6113dbb1156bb4d781167dac")],
    ours: "ADDRESS binds every address; capture reaches the broker on its plaintext listener, which NetworkPolicy admits only capture, replay-capture and ClickHouse to",
    check: (s) => {
      for (const name of ["posthog-capture", "posthog-replay-capture"]) {
        const c = main(s.selfHosted, DEPLOYMENT, name);
        assert.ok(!(c.env ?? []).some((e: any) => /^KAFKA_SASL/.test(e.name)), `${name} has no SASL settings to set`);
        assert.strictEqual(c.ports[0].containerPort, 3000);
      }
    },
  },
  {
    id: "capture-health",
    component: "capture",
    upstream: "capture serves /_readiness and /_liveness (and /metrics) on its one HTTP port",
    source: [at("rust/capture/src/router.rs", "bb3f43dbb62b71c0c2b6423d946f537c5ffc0ffb")],
    ours: "readiness probes /_readiness, liveness /_liveness, on port 3000",
    check: (s) => {
      for (const name of ["posthog-capture", "posthog-replay-capture"]) {
        const c = main(s.selfHosted, DEPLOYMENT, name);
        assert.deepStrictEqual([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.port], ["/_readiness", "/_liveness", "http"]);
      }
    },
  },
  {
    id: "rust-user",
    component: "capture, feature flags, property definitions",
    upstream: "PostHog's Rust images run as `nobody` and start the binary named by BIN (the entrypoint; no command needed)",
    source: [at("rust/Dockerfile", "1031e7d90b7a6b5218378c4447307facecce5cde")],
    ours: "runAsUser 65534 (Debian's nobody); the image's entrypoint is kept",
    check: (s) => {
      for (const name of ["posthog-capture", "posthog-replay-capture", "posthog-feature-flags", "posthog-property-defs"]) {
        const spec = pod(s.selfHosted.object(DEPLOYMENT, name, NS));
        assert.strictEqual(spec.securityContext.runAsUser, 65534, name);
        assert.strictEqual(spec.containers[0].command, undefined, name);
      }
    },
  },
  {
    id: "flags-env",
    component: "feature flags",
    upstream:
      "feature-flags runs with ADDRESS 0.0.0.0:3001, READ_DATABASE_URL and WRITE_DATABASE_URL, REDIS_URL, MAXMIND_DB_PATH /share/GeoLite2-City.mmdb (a mounted directory), COOKIELESS_REDIS_HOST/PORT pointing at the compose's unauthenticated Redis",
    source: [COMPOSE_AT_PIN],
    ours: "the same variables; the GeoLite2 database is copied into /share by an init step from the Django image",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-feature-flags");
      assert.strictEqual(env(c, "ADDRESS"), "0.0.0.0:3001");
      assert.match(env(c, "READ_DATABASE_URL"), /^postgres:\/\/\$\(PGUSER\):\$\(PGPASSWORD\)@posthog-postgresql-rw\./);
      assert.strictEqual(env(c, "WRITE_DATABASE_URL"), "$(READ_DATABASE_URL)");
      assert.strictEqual(env(c, "MAXMIND_DB_PATH"), "/share/GeoLite2-City.mmdb");
      assert.strictEqual(mountsOf(c)["/share"], "geoip");
    },
  },
  {
    id: "flags-cookieless",
    component: "feature flags",
    upstream: "COOKIELESS_REDIS_HOST defaults to localhost; the cookieless Redis settings are a host and a port only (no password); COOKIELESS_DISABLED switches cookieless mode off",
    source: [at("rust/feature-flags/src/config.rs", "3b21084e17151f006c9c58b87c7379332a6400f2")],
    ours: "the host and port name PostHog's Redis (never localhost) and cookieless mode is off: that Redis requires a password, which these settings cannot carry. Lost: cookieless tracking's server-side hashing in flag evaluation",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-feature-flags");
      assert.match(env(c, "COOKIELESS_REDIS_HOST"), /^posthog-redis\./);
      assert.strictEqual(env(c, "COOKIELESS_REDIS_PORT"), "6379");
      assert.strictEqual(env(c, "COOKIELESS_DISABLED"), "true");
    },
  },
  {
    id: "flags-health",
    component: "feature flags",
    upstream: "feature-flags serves /_readiness (answers once its database pools connect) and /_liveness on its HTTP port",
    source: [at("rust/feature-flags/src/router.rs", "3b21084e17151f006c9c58b87c7379332a6400f2")],
    ours: "readiness /_readiness, liveness /_liveness on 3001",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-feature-flags");
      assert.deepStrictEqual([c.ports[0].containerPort, c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path], [3001, "/_readiness", "/_liveness"]);
    },
  },
  {
    id: "property-defs",
    component: "property definitions",
    upstream:
      "property-defs-rs runs with DATABASE_URL, KAFKA_HOSTS, SKIP_WRITES false, SKIP_READS false, FILTER_MODE opt-out; it consumes clickhouse_events_json, binds BIND_HOST:BIND_PORT (default ::, 3301) and serves /_readiness, /_liveness and /metrics there",
    source: [
      COMPOSE_AT_PIN,
      at("rust/property-defs-rs/src/config.rs", "39b3631d2d64c1168ef3592fb255632c950c70fa"),
      at("rust/property-defs-rs/src/main.rs", "a946d6b0691cf8b3f77add6dceea561b3c82d060"),
    ],
    ours: "the same settings, bound to 0.0.0.0:3301, probed at /_readiness and /_liveness and scraped at /metrics; it reads the broker's plaintext listener (no SASL settings) and runs as nobody",
    check: (s) => {
      const spec = pod(s.selfHosted.object(DEPLOYMENT, "posthog-property-defs", NS));
      const c = spec.containers[0];
      assert.strictEqual(c.image, IMAGES.posthogPropertyDefs);
      assert.deepStrictEqual(
        ["SKIP_WRITES", "SKIP_READS", "FILTER_MODE", "BIND_HOST", "BIND_PORT"].map((v) => env(c, v)),
        ["false", "false", "opt-out", "0.0.0.0", "3301"],
      );
      assert.match(env(c, "DATABASE_URL"), /^postgres:\/\/\$\(PGUSER\):\$\(PGPASSWORD\)@posthog-postgresql-rw\./);
      assert.match(env(c, "KAFKA_HOSTS"), /:9094(,|$)/);
      assert.deepStrictEqual([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path, spec.securityContext.runAsUser], ["/_readiness", "/_liveness", 65534]);
    },
  },
  {
    id: "routes",
    component: "edge",
    upstream:
      "the compose proxy routes /e, /i/v0, /batch, /capture to capture:3000; /s to replay-capture:3000; /flags to feature-flags:3001; /public/webhooks and /public/m to plugins:6738; everything else to web:8000",
    source: [COMPOSE_AT_PIN],
    ours: "the HTTPRoute of posthog.<domain> has the same path prefixes and backends",
    check: (s) => {
      const route = routeOf(s.selfHosted, "posthog.voicehelper.local");
      assert.ok(route, "posthog.<domain> is routed");
      const table = Object.fromEntries(route!.inputs.spec.rules.map((r: any) => [r.matches[0].path.value, `${r.backendRefs[0].name}:${r.backendRefs[0].port}`]));
      assert.deepStrictEqual(table, {
        "/e": "posthog-capture:3000",
        "/i/v0": "posthog-capture:3000",
        "/batch": "posthog-capture:3000",
        "/capture": "posthog-capture:3000",
        "/s": "posthog-replay-capture:3000",
        "/flags": "posthog-feature-flags:3001",
        "/public/webhooks": "posthog-plugins:6738",
        "/public/m": "posthog-plugins:6738",
        "/": "posthog-web:8000",
      });
    },
  },
  {
    id: "django-env",
    component: "web, worker, migrations",
    upstream:
      "web, worker and migrate share: DISABLE_SECURE_SSL_REDIRECT, IS_BEHIND_PROXY, DATABASE_URL, CLICKHOUSE_HOST/DATABASE posthog/SECURE false/VERIFY false, KAFKA_HOSTS, REDIS_URL, PGHOST/PGUSER/PGPASSWORD, DEPLOYMENT hobby, CDP_API_URL http://plugins:6738, FLAGS_REDIS_ENABLED false, OTEL_SDK_DISABLED",
    source: [COMPOSE_AT_PIN],
    ours: "the same names and formats, every URL naming this program's Services and every credential a Secret reference",
    check: (s) => {
      for (const [type, name] of [
        [DEPLOYMENT, "posthog-web"],
        [DEPLOYMENT, "posthog-worker"],
        [JOB, "posthog-migrate"],
      ]) {
        const c = main(s.selfHosted, type, name);
        assert.deepStrictEqual(
          ["DISABLE_SECURE_SSL_REDIRECT", "IS_BEHIND_PROXY", "CLICKHOUSE_DATABASE", "CLICKHOUSE_SECURE", "CLICKHOUSE_VERIFY", "DEPLOYMENT", "FLAGS_REDIS_ENABLED", "OTEL_SDK_DISABLED"].map((v) =>
            env(c, v),
          ),
          ["true", "true", "posthog", "false", "false", "hobby", "false", "true"],
          name,
        );
        assert.match(env(c, "DATABASE_URL"), /^postgres:\/\/\$\(PGUSER\):\$\(PGPASSWORD\)@posthog-postgresql-rw\.[^/]+:5432\/posthog$/);
        assert.strictEqual(env(c, "CDP_API_URL"), `http://posthog-plugins.${NS}.svc.cluster.local:6738`);
        for (const v of ["PGHOST", "PGUSER", "PGPASSWORD", "REDIS_URL", "KAFKA_HOSTS"]) assert.ok(hasEnv(c, v), `${name} ${v}`);
      }
    },
  },
  {
    id: "clickhouse-roles",
    component: "web, worker, plugin server",
    upstream:
      "the compose gives PostHog's API and app query roles their own ClickHouse users (CLICKHOUSE_API_USER/PASSWORD, CLICKHOUSE_APP_USER/PASSWORD); the logs product connects separately and defaults to host localhost with TLS on outside DEBUG",
    source: [COMPOSE_AT_PIN, at("posthog/settings/data_stores.py", "018f9e90e1901cd326b1a192e60f5cf2504aff90")],
    ours: "every role logs in as the one generated ClickHouse user (same Secret keys); the logs connection names PostHog's ClickHouse over plain TCP. Lost: per-role ClickHouse users and their separate limits",
    check: (s) => {
      for (const name of ["posthog-web", "posthog-worker", "posthog-plugins"]) {
        const c = main(s.selfHosted, DEPLOYMENT, name);
        for (const role of ["API", "APP", "LOGS_CLUSTER"]) {
          assert.deepStrictEqual(secretRef(c, `CLICKHOUSE_${role}_USER`), secretRef(c, "CLICKHOUSE_USER"), `${name} ${role}`);
          assert.deepStrictEqual(secretRef(c, `CLICKHOUSE_${role}_PASSWORD`), secretRef(c, "CLICKHOUSE_PASSWORD"), `${name} ${role}`);
        }
        assert.match(env(c, "CLICKHOUSE_LOGS_CLUSTER_HOST"), /^posthog-clickhouse\./);
        assert.strictEqual(env(c, "CLICKHOUSE_LOGS_CLUSTER_SECURE"), "false");
      }
    },
  },
  {
    id: "django-kafka",
    component: "web, worker, plugin server",
    upstream: "the Python and Node (KafkaJS) clients read KAFKA_HOSTS, KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USER, KAFKA_SASL_PASSWORD",
    source: [at("plugin-server/src/config/config.ts", "70f65f8af380255a0d99ec49d9442e772214e47d")],
    ours: "SASL_PLAINTEXT with PLAIN and the broker's generated PostHog user (the Python names were also seen in an earlier stored posthog/settings/data_stores.py whose commit the index did not report)",
    check: (s) => {
      for (const name of ["posthog-web", "posthog-plugins"]) {
        const c = main(s.selfHosted, DEPLOYMENT, name);
        assert.deepStrictEqual([env(c, "KAFKA_SECURITY_PROTOCOL"), env(c, "KAFKA_SASL_MECHANISM")], ["SASL_PLAINTEXT", "PLAIN"]);
        assert.ok(hasEnv(c, "KAFKA_SASL_USER") && secretRef(c, "KAFKA_SASL_PASSWORD"));
        assert.match(env(c, "KAFKA_HOSTS"), /:9092(,|$)/);
      }
    },
  },
  {
    id: "worker-command",
    component: "worker",
    upstream: "the worker runs ./bin/docker-worker-celery --with-scheduler",
    source: [COMPOSE_AT_PIN],
    ours: "the same command",
    check: (s) => assert.deepStrictEqual(main(s.selfHosted, DEPLOYMENT, "posthog-worker").command, ["./bin/docker-worker-celery", "--with-scheduler"]),
  },
  {
    id: "worker-no-listener",
    component: "worker",
    upstream: "bin/docker-worker-celery starts the beat scheduler and `celery -A posthog worker`; nothing in it listens on a port. PostHog's own chart ran the worker with no probes",
    source: [
      at("bin/docker-worker-celery", "02699d7efc0d4a06b6a51c8d245e11de8666a97a"),
      { repo: "PostHog/charts-clickhouse", path: "charts/posthog/templates/worker-deployment.yaml", commit: "0083a21cd6ec5d030de07caa4ba405e501c107c9", atPin: false },
    ],
    ours: "no ports and no Service; readiness and liveness run Celery's own remote-control ping against this pod's worker node (celery@<hostname>), rarely, since each ping loads Django",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-worker");
      assert.deepStrictEqual(c.ports ?? [], []);
      for (const p of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
        assert.strictEqual(p.httpGet, undefined);
        assert.match(p.exec.command.join(" "), /celery -A posthog inspect ping .*-d "celery@\$HOSTNAME"/);
      }
      assert.ok(!s.selfHosted.ofType(SERVICE).some((x) => x.inputs.metadata.name === "posthog-worker"));
    },
  },
  {
    id: "web-server-user",
    component: "web",
    upstream:
      "the image copies bin/docker-server-unit over bin/docker-server and ends as USER root; that script writes /docker-entrypoint.d/unit.json and runs NGINX Unit with --user root (applications as nobody), listening on 8000, 8001 (metrics) and 8181 (status)",
    source: [
      at("Dockerfile", "8cbbcfdc0f8bca76cba89026eb84c71565002966"),
      at("bin/docker-server-unit", "0a0da7d17a6dea1763fd972918dae19039fc1651"),
      at("unit.json.tpl", "0084dac7afe08b6a326ad262abf5fe126f3c27da"),
    ],
    ours: "the pod runs non-root on a read-only filesystem, where Unit cannot start: it runs posthog.wsgi with the image's gunicorn and gunicorn.config.py on 0.0.0.0:8000 instead (the 8181 status listener is Unit's and does not exist)",
    check: (s) => {
      const spec = pod(s.selfHosted.object(DEPLOYMENT, "posthog-web", NS));
      const c = spec.containers[0];
      assert.match(c.command.join(" "), /exec gunicorn posthog\.wsgi --config gunicorn\.config\.py --bind 0\.0\.0\.0:8000 /);
      assert.ok(!/unitd|docker-server/.test(c.command.join(" ")));
      assert.deepStrictEqual([spec.securityContext.runAsNonRoot, spec.securityContext.runAsUser, c.securityContext.readOnlyRootFilesystem], [true, 1000, true]);
    },
  },
  {
    id: "web-gunicorn",
    component: "web",
    upstream:
      "gunicorn is a dependency of the image; gunicorn.config.py serves the workers' multiprocess metrics on PROMETHEUS_METRICS_EXPORT_PORT (default 8001), which needs PROMETHEUS_MULTIPROC_DIR",
    source: [at("pyproject.toml", "1d3c409f50bbb1bce97b80e968dd83606fb0512e"), at("gunicorn.config.py", "ad219e56a6a6979477963436ba98477a40171465")],
    ours: "PROMETHEUS_MULTIPROC_DIR is a directory on the /tmp emptyDir, created before gunicorn starts; Prometheus scrapes /metrics on 8001",
    check: (s) => {
      const r = s.selfHosted.object(DEPLOYMENT, "posthog-web", NS);
      const c = pod(r).containers[0];
      assert.strictEqual(env(c, "PROMETHEUS_METRICS_EXPORT_PORT"), "8001");
      assert.match(env(c, "PROMETHEUS_MULTIPROC_DIR"), /^\/tmp\//);
      assert.match(c.command.join(" "), /mkdir -p "\$PROMETHEUS_MULTIPROC_DIR"/);
      assert.strictEqual(mountsOf(c)["/tmp"] !== undefined, true);
      assert.strictEqual(r.inputs.spec.template.metadata.annotations["prometheus.io/port"], "8001");
    },
  },
  {
    id: "web-health",
    component: "web",
    upstream: "Django answers /_livez (no dependencies) and /_readyz?role=web (Postgres and cache) from a middleware, before any other",
    source: [at("posthog/health.py", "a51d9bfffa9877044146a09dc5d71b1eaffda734")],
    ours: "liveness and startup /_livez, readiness /_readyz?role=web, on 8000",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-web");
      assert.deepStrictEqual([c.livenessProbe.httpGet.path, c.startupProbe.httpGet.path, c.readinessProbe.httpGet.path], ["/_livez", "/_livez", "/_readyz?role=web"]);
    },
  },
  {
    id: "migrations",
    component: "migrations",
    upstream:
      "the compose's migrate service runs `python manage.py migrate && python manage.py migrate_clickhouse && python manage.py run_async_migrations`; bin/migrate (another commit) first runs rust/bin/migrate-cyclotron, and the image does not contain rust/",
    source: [COMPOSE_AT_PIN, at("bin/migrate", "022b7d6b935cb588f175e8066860419222f9589f"), at("Dockerfile", "8cbbcfdc0f8bca76cba89026eb84c71565002966")],
    ours: "the posthog-migrate Job runs the compose's three commands; web, worker and plugins wait in an init container until `migrate --check` passes",
    check: (s) => {
      const c = main(s.selfHosted, JOB, "posthog-migrate");
      assert.deepStrictEqual(c.command, ["sh", "-c", "python manage.py migrate && python manage.py migrate_clickhouse && python manage.py run_async_migrations"]);
      assert.strictEqual(c.image, IMAGES.posthog);
    },
  },
  {
    id: "plugins-start",
    component: "plugin server",
    upstream:
      "the compose starts the plugin server with ./bin/plugin-server --no-restart-loop, which first runs ./bin/migrate-check (Python) and then node dist/index.js; the posthog-node image has Node only and its CMD is the node entry point",
    source: [COMPOSE_AT_PIN, at("bin/plugin-server", "691c39a0310101eaec9fcd4a946cbe72d699fa27"), at("Dockerfile.node", "f4406a3a531cbfd7fce70a5af8e663b6959deefb")],
    ours: "the image's own command; the migration check is the wait-for-migrations init container (Django image)",
    check: (s) => {
      const spec = pod(s.selfHosted.object(DEPLOYMENT, "posthog-plugins", NS));
      assert.strictEqual(spec.containers[0].command, undefined);
      assert.strictEqual(spec.containers[0].image, IMAGES.posthogNode);
      assert.ok(spec.initContainers.some((c: any) => c.name === "wait-for-migrations" && c.image === IMAGES.posthog));
    },
  },
  {
    id: "plugins-env",
    component: "plugin server",
    upstream:
      "plugins runs with DATABASE_URL, PERSONS_DATABASE_URL and BEHAVIORAL_COHORTS_DATABASE_URL (all the posthog database), KAFKA_HOSTS, REDIS_URL, CLICKHOUSE_HOST/DATABASE posthog/SECURE false/VERIFY false, COOKIELESS_REDIS_HOST/PORT",
    source: [COMPOSE_AT_PIN],
    ours: "the same variables; the persons and cohorts URLs repeat DATABASE_URL, and every Redis role names PostHog's Redis with its password",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-plugins");
      assert.match(env(c, "DATABASE_URL"), /^postgres:\/\/\$\(PGUSER\):\$\(PGPASSWORD\)@posthog-postgresql-rw\.[^/]+:5432\/posthog$/);
      for (const v of ["PERSONS_DATABASE_URL", "BEHAVIORAL_COHORTS_DATABASE_URL"]) assert.strictEqual(env(c, v), "$(DATABASE_URL)", v);
      assert.deepStrictEqual(
        ["CLICKHOUSE_DATABASE", "CLICKHOUSE_SECURE", "CLICKHOUSE_VERIFY"].map((v) => env(c, v)),
        ["posthog", "false", "false"],
      );
      assert.match(env(c, "COOKIELESS_REDIS_HOST"), /^posthog-redis\./);
      assert.ok(secretRef(c, "COOKIELESS_REDIS_PASSWORD"));
      assert.match(env(c, "REDIS_URL"), /^redis:\/\/:\$\(REDIS_PASSWORD\)@posthog-redis\./);
    },
  },
  {
    id: "plugins-redis",
    component: "plugin server",
    upstream:
      "the plugin server's per-subsystem Redis hosts (CDP_REDIS_HOST, ...) default to empty and CDP_REDIS_PORT to 6479; PostHog's compose sets CDP, LOGS and TRACES Redis host and port, with LOGS_/TRACES_REDIS_TLS false",
    source: [at("plugin-server/src/config/config.ts", "70f65f8af380255a0d99ec49d9442e772214e47d"), at("docker-compose.hobby.yml", "00fa00d9bf03f5bef2e784d23e3dbdf9c025c892")],
    ours: "every role (POSTHOG, CDP, LOGS, TRACES, COOKIELESS, SESSION_RECORDING_API) gets PostHog's Redis host, port 6379, its password and TLS off",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-plugins");
      for (const role of ["POSTHOG", "CDP", "LOGS", "TRACES", "COOKIELESS", "SESSION_RECORDING_API"]) {
        assert.deepStrictEqual([env(c, `${role}_REDIS_PORT`), env(c, `${role}_REDIS_TLS`)], ["6379", "false"], role);
        assert.match(env(c, `${role}_REDIS_HOST`), /^posthog-redis\./, role);
        assert.ok(secretRef(c, `${role}_REDIS_PASSWORD`), role);
      }
    },
  },
  {
    id: "plugins-user-port",
    component: "plugin server",
    upstream: "the Node image's user is posthog, 1000:1000; the plugin server's HTTP server (/_health) listens on 6738 by default; MMDB_FILE_LOCATION defaults to ../share/GeoLite2-City.mmdb",
    source: [at("Dockerfile.node", "f4406a3a531cbfd7fce70a5af8e663b6959deefb"), at("plugin-server/src/config/config.ts", "70f65f8af380255a0d99ec49d9442e772214e47d")],
    ours: "runAsUser 1000; port 6738 probed at /_health; MMDB_FILE_LOCATION points at the copied database",
    check: (s) => {
      const spec = pod(s.selfHosted.object(DEPLOYMENT, "posthog-plugins", NS));
      const c = spec.containers[0];
      assert.deepStrictEqual([spec.securityContext.runAsUser, c.ports[0].containerPort, c.readinessProbe.httpGet.path], [1000, 6738, "/_health"]);
      assert.strictEqual(env(c, "MMDB_FILE_LOCATION"), "/share/GeoLite2-City.mmdb");
      assert.strictEqual(env(c, "PERSONS_DATABASE_URL"), "$(DATABASE_URL)");
    },
  },
  {
    id: "plugins-writable",
    component: "plugin server",
    upstream: "the plugin server buffers session recordings in SESSION_RECORDING_LOCAL_DIRECTORY, default .tmp/sessions, relative to the image's working directory /code",
    source: [at("plugin-server/src/config/config.ts", "70f65f8af380255a0d99ec49d9442e772214e47d"), at("Dockerfile.node", "f4406a3a531cbfd7fce70a5af8e663b6959deefb")],
    ours: "the directory is under the /tmp emptyDir (the root filesystem is read-only), and HOME is /tmp",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-plugins");
      assert.match(env(c, "SESSION_RECORDING_LOCAL_DIRECTORY"), /^\/tmp\//);
      assert.strictEqual(env(c, "HOME"), "/tmp");
      assert.ok(mountsOf(c)["/tmp"], "/tmp is writable");
      assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
    },
  },
  {
    id: "plugins-librdkafka",
    component: "plugin server",
    upstream:
      "the plugin server's librdkafka producer and consumers default to metadata.broker.list kafka:9092 in plain text and take every other setting from KAFKA_<TARGET>_* (TARGET: CONSUMER, PRODUCER, CDP_PRODUCER, WARPSTREAM_PRODUCER; the rest of the name becomes the dotted librdkafka key); KAFKA_HOSTS and KAFKA_SASL_* do not reach them",
    source: [at("plugin-server/src/kafka/config.ts", "1b56c1bb9741c18935ff6d14ace16a8fa2f187b4"), at("plugin-server/src/kafka/producer.ts", "a6e3cd83a8e653036341a236edd2cbfe268470e5")],
    ours: "for each target: METADATA_BROKER_LIST = the SASL listener, SECURITY_PROTOCOL SASL_PLAINTEXT, SASL_MECHANISMS PLAIN, SASL_USERNAME and SASL_PASSWORD (Secret)",
    check: (s) => {
      const c = main(s.selfHosted, DEPLOYMENT, "posthog-plugins");
      for (const t of ["CONSUMER", "PRODUCER", "CDP_PRODUCER", "WARPSTREAM_PRODUCER"]) {
        assert.strictEqual(env(c, `KAFKA_${t}_METADATA_BROKER_LIST`), env(c, "KAFKA_HOSTS"), t);
        assert.deepStrictEqual(
          [env(c, `KAFKA_${t}_SECURITY_PROTOCOL`), env(c, `KAFKA_${t}_SASL_MECHANISMS`), env(c, `KAFKA_${t}_SASL_USERNAME`)],
          ["SASL_PLAINTEXT", "PLAIN", env(c, "KAFKA_SASL_USER")],
          t,
        );
        assert.deepStrictEqual(secretRef(c, `KAFKA_${t}_SASL_PASSWORD`), secretRef(c, "KAFKA_SASL_PASSWORD"), t);
      }
    },
  },
  {
    id: "geoip",
    component: "plugin server, feature flags",
    upstream: "the posthog/posthog image ships the GeoLite2 database at /code/share/GeoLite2-City.mmdb",
    source: [at("Dockerfile", "8cbbcfdc0f8bca76cba89026eb84c71565002966")],
    ours: "an init container of the same release copies it into a /share emptyDir that the plugin server and the flags service read",
    check: (s) => {
      for (const name of ["posthog-plugins", "posthog-feature-flags"]) {
        const init = pod(s.selfHosted.object(DEPLOYMENT, name, NS)).initContainers.find((c: any) => c.name === "geoip");
        assert.deepStrictEqual([init.image, init.command.join(" ")], [IMAGES.posthog, "sh -c cp /code/share/GeoLite2-City.mmdb /share/GeoLite2-City.mmdb"], name);
      }
    },
  },
  {
    id: "clickhouse-clusters",
    component: "ClickHouse",
    upstream: "PostHog's ClickHouse defines the clusters posthog, posthog_single_shard, posthog_migrations, posthog_batch_exports; its settings also name posthog_writable and posthog_primary_replica",
    source: [at("docker/clickhouse/config.d/default.xml", "48faaabc5e1c6844d4e5f55e2ac9c4fb2429ccf8"), at("posthog/settings/data_stores.py", "018f9e90e1901cd326b1a192e60f5cf2504aff90")],
    ours: "all six, each this one server, logging in with the generated user from the server's env",
    check: (s) => {
      const xml = clickhouseXml(s.selfHosted);
      for (const c of ["posthog", "posthog_single_shard", "posthog_migrations", "posthog_batch_exports", "posthog_writable", "posthog_primary_replica"]) {
        assert.match(xml, new RegExp(`<${c}>\\s*<shard>\\s*<replica>\\s*<host>127\\.0\\.0\\.1</host>\\s*<port>9000</port>`), c);
      }
    },
  },
  {
    id: "clickhouse-macros",
    component: "ClickHouse",
    upstream: "macros shard 01, replica, hostClusterType online, hostClusterRole data",
    source: [at("docker/clickhouse/config.d/default.xml", "48faaabc5e1c6844d4e5f55e2ac9c4fb2429ccf8")],
    ours: "the same macros; replica is the pod's hostname, unique per replica",
    check: (s) => {
      const xml = clickhouseXml(s.selfHosted);
      assert.match(xml, /<macros>\s*<shard>01<\/shard>\s*<replica from_env="HOSTNAME"\/>\s*<hostClusterType>online<\/hostClusterType>\s*<hostClusterRole>data<\/hostClusterRole>\s*<\/macros>/);
    },
  },
  {
    id: "clickhouse-profile",
    component: "ClickHouse",
    upstream: "PostHog's users.xml gives the default profile max_memory_usage 10000000000, mutations_sync 1 (ALTER ... DELETE/UPDATE return when done) and load_balancing random",
    source: [at("docker/clickhouse/users.xml", "007fd355f81fa926c4d91986ece4911913047191")],
    ours: "the same three settings in users.d beside the generated user (the server's memory limit still caps every query); the password-less default user of that file is not kept",
    check: (s) => {
      const cm = s.selfHosted.object(CONFIGMAP, "posthog-clickhouse-config", NS).inputs.data["voicehelper-users.xml"];
      assert.match(cm, /<profiles>\s*<default>\s*<max_memory_usage>10000000000<\/max_memory_usage>\s*<mutations_sync>1<\/mutations_sync>\s*<load_balancing>random<\/load_balancing>/);
      assert.doesNotMatch(cm, /<password/);
      const m = main(s.selfHosted, STS, "posthog-clickhouse").volumeMounts.find((x: any) => x.subPath === "voicehelper-users.xml");
      assert.strictEqual(m.mountPath, "/etc/clickhouse-server/users.d/voicehelper-users.xml");
    },
  },
  {
    id: "clickhouse-kafka-collection",
    component: "ClickHouse",
    upstream:
      "the named collection msk_cluster holds kafka_broker_list from the server's KAFKA_HOSTS env; PostHog's Kafka-engine tables name it (CLICKHOUSE_KAFKA_NAMED_COLLECTION defaults to msk_cluster)",
    source: [at("docker/clickhouse/config.d/default.xml", "48faaabc5e1c6844d4e5f55e2ac9c4fb2429ccf8"), at("posthog/settings/data_stores.py", "018f9e90e1901cd326b1a192e60f5cf2504aff90")],
    ours: "the same collection; the ClickHouse container's KAFKA_HOSTS is the broker's plaintext listener, the one it is admitted to",
    check: (s) => {
      assert.match(clickhouseXml(s.selfHosted), /<named_collections>\s*<msk_cluster>\s*<kafka_broker_list from_env="KAFKA_HOSTS"\/>/);
      const c = main(s.selfHosted, STS, "posthog-clickhouse");
      assert.match(env(c, "KAFKA_HOSTS"), /^posthog-kafka-0\.[^,]+:9094/);
    },
  },
  {
    id: "clickhouse-kafka-url",
    component: "migrations, ClickHouse",
    upstream:
      "releases whose Kafka-engine tables are not built on the named collection write the broker list into each table from KAFKA_HOSTS_FOR_CLICKHOUSE, which is KAFKA_URL_FOR_CLICKHOUSE (comma-separated hosts) or else KAFKA_HOSTS",
    source: [at("posthog/clickhouse/kafka_engine.py", "a88240d86ffbd32df1caa1cc16f97761b38e6bb1")],
    ours: "KAFKA_URL_FOR_CLICKHOUSE is the plaintext listener (the one ClickHouse reaches without SASL) in every Django container, so either way the tables name the same brokers as msk_cluster",
    check: (s) => {
      const ch = env(main(s.selfHosted, STS, "posthog-clickhouse"), "KAFKA_HOSTS");
      for (const [type, name] of [
        [JOB, "posthog-migrate"],
        [DEPLOYMENT, "posthog-web"],
        [DEPLOYMENT, "posthog-worker"],
      ]) {
        const c = main(s.selfHosted, type, name);
        assert.strictEqual(env(c, "KAFKA_URL_FOR_CLICKHOUSE"), ch, name);
        assert.notStrictEqual(env(c, "KAFKA_HOSTS"), ch, `${name}: its own clients use the SASL listener`);
      }
    },
  },
  {
    id: "clickhouse-functions",
    component: "ClickHouse",
    upstream:
      "PostHog's funnels call executable user-defined functions (aggregate_funnel_vN, ...): their definitions are posthog/user_scripts/latest_user_defined_function.xml, whose commands are paths under the server's user_scripts directory; the server loads *_function.xml; the image build context keeps posthog/, so the image has both",
    source: [
      at("posthog/user_scripts/latest_user_defined_function.xml", "842f9b7153963640a2f42b49b3c072c139cf815b"),
      at("docker/clickhouse/config.xml", "9eb33d4026d4e7204bbea6eab7d8e518b4571ee4"),
      at(".dockerignore", "00c5d0b71e7a43e5e9cf700b21a38882212aa22a"),
    ],
    ours: "an init container from posthog/posthog (the same release) copies /code/posthog/user_scripts to /var/lib/clickhouse/user_scripts and the definitions into a directory the server's user_defined_executable_functions_config names",
    check: (s) => {
      const spec = pod(s.selfHosted.object(STS, "posthog-clickhouse", NS));
      const init = spec.initContainers.find((c: any) => c.name === "posthog-functions");
      assert.strictEqual(init.image, IMAGES.posthog);
      assert.match(init.command.join(" "), /cp -R \/code\/posthog\/user_scripts\/\. .* cp \/code\/posthog\/user_scripts\/latest_user_defined_function\.xml \S+\/posthog_function\.xml/);
      const mounts = mountsOf(spec.containers[0]);
      assert.strictEqual(mounts["/var/lib/clickhouse/user_scripts"], "posthog-user-scripts");
      assert.strictEqual(mounts["/etc/clickhouse-server/posthog-functions"], "posthog-functions");
      assert.match(clickhouseXml(s.selfHosted), /<user_defined_executable_functions_config>\/etc\/clickhouse-server\/posthog-functions\/\*_function\.xml<\/user_defined_executable_functions_config>/);
    },
  },
  {
    id: "clickhouse-format-schemas",
    component: "ClickHouse",
    upstream: "format_schema_path is /var/lib/clickhouse/format_schemas/, which PostHog's init script fills from posthog/idl",
    source: [at("docker/clickhouse/config.xml", "9eb33d4026d4e7204bbea6eab7d8e518b4571ee4"), at("docker/clickhouse/docker-entrypoint-initdb.d/init-db.sh", "1b56c1bb9741c18935ff6d14ace16a8fa2f187b4")],
    ours: "the same init container copies /code/posthog/idl there",
    check: (s) => {
      const spec = pod(s.selfHosted.object(STS, "posthog-clickhouse", NS));
      assert.match(spec.initContainers.find((c: any) => c.name === "posthog-functions").command.join(" "), /cp -R \/code\/posthog\/idl\/\. /);
      assert.strictEqual(mountsOf(spec.containers[0])["/var/lib/clickhouse/format_schemas"], "posthog-format-schemas");
    },
  },
  {
    id: "clickhouse-version",
    component: "ClickHouse",
    upstream: "PostHog's compose runs clickhouse/clickhouse-server:25.6.13.41 and ZooKeeper 3.7.0",
    source: [COMPOSE_AT_PIN],
    ours: "the same ClickHouse; ZooKeeper 3.8 (3.7 is end of life; ClickHouse speaks the same client protocol to both)",
    check: (s) => {
      assert.strictEqual(main(s.selfHosted, STS, "posthog-clickhouse").image, "docker.io/clickhouse/clickhouse-server:25.6.13.41");
      assert.match(main(s.selfHosted, STS, "posthog-zookeeper").image, /zookeeper:3\.8\./);
    },
  },
  {
    id: "redis-version",
    component: "Redis",
    upstream: "PostHog's services use the compose's redis7 (redis:7.2-alpine)",
    source: [COMPOSE_AT_PIN],
    ours: "PostHog's own Redis 7.2 (with a password, which the compose's has not)",
    check: (s) => assert.match(main(s.selfHosted, STS, "posthog-redis").image, /redis:7\.2\.\d+-alpine$/),
  },
  {
    id: "image-tags",
    component: "images",
    upstream:
      "posthog/posthog is pushed as posthog/posthog:<full commit> from master pushes that change anything outside rust/; the Rust images as ghcr.io/posthog/posthog/<image> tagged by docker/metadata-action `type=sha` (sha-<7 characters>) only from pushes that change rust/",
    source: [at(".github/workflows/container-images-cd.yml", "41e3b23076002c29be29e6734d65d66c9f74fba3"), at(".github/workflows/rust-docker-build.yml", "fee38f0982eee2f5a89e7a5de02470ef06db208b")],
    ours: "posthog/posthog and posthog/posthog-node at the full commit, capture, feature-flags and property-defs-rs at sha-<7>; whether the pinned commit produced all five cannot be checked here (the workflow that builds posthog-node is not in the index)",
    check: () => {
      assert.strictEqual(IMAGES.posthog, `docker.io/posthog/posthog:${POSTHOG_RELEASE}`);
      assert.strictEqual(IMAGES.posthogNode, `docker.io/posthog/posthog-node:${POSTHOG_RELEASE}`);
      assert.strictEqual(POSTHOG_RUST_TAG, `sha-${POSTHOG_RELEASE.slice(0, 7)}`);
      assert.strictEqual(IMAGES.posthogCapture, `ghcr.io/posthog/posthog/capture:${POSTHOG_RUST_TAG}`);
      assert.strictEqual(IMAGES.posthogFeatureFlags, `ghcr.io/posthog/posthog/feature-flags:${POSTHOG_RUST_TAG}`);
      assert.strictEqual(IMAGES.posthogPropertyDefs, `ghcr.io/posthog/posthog/property-defs-rs:${POSTHOG_RUST_TAG}`);
    },
  },
  {
    id: "secrets",
    component: "all",
    upstream: "the compose's web, worker and plugins read SECRET_KEY and ENCRYPTION_SALT_KEYS (the same value for Python and Node)",
    source: [at("docker-compose.hobby.yml", "00fa00d9bf03f5bef2e784d23e3dbdf9c025c892")],
    ours: "both generated once into posthog-secrets; every PostHog container that reads them references the same keys",
    check: (s) => {
      const refs = ["posthog-web", "posthog-worker", "posthog-plugins"].map((n) => secretRef(main(s.selfHosted, DEPLOYMENT, n), "ENCRYPTION_SALT_KEYS"));
      for (const r of refs) assert.deepStrictEqual(r, { name: "posthog-secrets", key: "encryption-salt-keys" });
      assert.match(secretData(s.selfHosted.object("kubernetes:core/v1:Secret", "posthog-secrets", NS))["encryption-salt-keys"], /^[0-9a-f]{32}$/);
    },
  },
];

/**
 * The Model Router's deployment contract (seed 001, with seed 000): what the router image is built to
 * read and serve, compared line by line with the rendered objects.
 */
export const ROUTER_CONTRACT: Fact[] = [
  {
    id: "router-posthog-config",
    component: "Model Router",
    upstream: 'ConfigMap POSTHOG_ENABLED ("true"/"false") and POSTHOG_HOST; self-hosted host http://posthog-web.<posthog namespace>.svc.cluster.local:8000; Secret POSTHOG_API_KEY (phc_…)',
    source: [{ repo: "seed 001", path: "Model Router configuration (ConfigMap, Secret)", commit: "-", atPin: false }],
    ours: 'the same names; self-hosted POSTHOG_HOST is posthog-web in voicehelper-posthog on 8000; POSTHOG_ENABLED is "true" only with a key',
    check: (s) => {
      const cm = s.selfHostedWithKey.object(CONFIGMAP, "model-router-config", APPS).inputs.data;
      assert.deepStrictEqual(cm, { POSTHOG_ENABLED: "true", POSTHOG_HOST: `http://posthog-web.${NS}.svc.cluster.local:8000` });
      assert.ok(secretRef(main(s.selfHostedWithKey, DEPLOYMENT, "model-router", APPS), "POSTHOG_API_KEY"));
    },
  },
  {
    id: "router-no-key",
    component: "Model Router",
    upstream: "the project API key (phc_…) is taken from a project created in PostHog's UI; self-hosted PostHog has no project until the first sign-up",
    source: [{ repo: "seed 000", path: "getting the project key (sign up, create a project, take its API key)", commit: "-", atPin: false }],
    ours: 'until posthogApiKey is set the router runs with POSTHOG_ENABLED "false", an empty POSTHOG_HOST and no POSTHOG_API_KEY; never enabled without a key',
    check: (s) => {
      const cm = s.selfHosted.object(CONFIGMAP, "model-router-config", APPS).inputs.data;
      assert.deepStrictEqual(cm, { POSTHOG_ENABLED: "false", POSTHOG_HOST: "" });
      assert.ok(!hasEnv(main(s.selfHosted, DEPLOYMENT, "model-router", APPS), "POSTHOG_API_KEY"));
    },
  },
  {
    id: "router-database-env",
    component: "Model Router",
    upstream: 'DB_HOST, DB_PORT ("5432"), DB_NAME model_router, DB_USER, DB_PASSWORD',
    source: [{ repo: "seed 001", path: "Model Router configuration (database)", commit: "-", atPin: false }],
    ours: "the seed's DB_* and the platform's DATABASE_* side by side, each DB_* a copy of its twin (value, or the same Secret reference)",
    check: (s) => {
      const c = main(s.selfHostedWithKey, DEPLOYMENT, "model-router", APPS);
      assert.deepStrictEqual([env(c, "DB_PORT"), env(c, "DB_NAME")], ["5432", "model_router"]);
      assert.strictEqual(env(c, "DB_HOST"), env(c, "DATABASE_HOST"));
      for (const [seed, ours] of [
        ["DB_USER", "DATABASE_USER"],
        ["DB_PASSWORD", "DATABASE_PASSWORD"],
      ]) {
        assert.deepStrictEqual(secretRef(c, seed), secretRef(c, ours), seed);
      }
    },
  },
  {
    id: "router-provider-keys",
    component: "Model Router",
    upstream: "Secret OPENAI_API_KEY and ANTHROPIC_API_KEY",
    source: [{ repo: "seed 001", path: "Model Router configuration (LLM API keys)", commit: "-", atPin: false }],
    ours: "the same names, from config secrets",
    check: (s) => {
      const c = main(s.selfHostedWithKey, DEPLOYMENT, "model-router", APPS);
      assert.ok(secretRef(c, "OPENAI_API_KEY") && secretRef(c, "ANTHROPIC_API_KEY"));
    },
  },
  {
    id: "router-service-ports",
    component: "Model Router",
    upstream: "Service model-router with HTTP 8080 (/health) and metrics 9090 (`kubectl port-forward svc/model-router 9090:9090`, /metrics)",
    source: [{ repo: "seed 001", path: "verification and metrics commands", commit: "-", atPin: false }],
    ours: "both ports on the Service; NetworkPolicy admits clients to 8080 and Prometheus to 9090",
    check: (s) => {
      const svc = s.selfHostedWithKey.object(SERVICE, "model-router", APPS);
      assert.deepStrictEqual(
        svc.inputs.spec.ports.map((p: any) => [p.name, p.port]),
        [
          ["http", 8080],
          ["metrics", 9090],
        ],
      );
    },
  },
  {
    id: "router-route",
    component: "Model Router",
    upstream: "an Ingress for the Model Router on the deployment's domain",
    source: [{ repo: "seed 001", path: "deployment architecture (Service, Ingress)", commit: "-", atPin: false }],
    ours: "a route at model-router.<domain> when `edge.expose` names model-router; not public by default, because it spends the platform's LLM keys and authentication is not part of its contract",
    check: (s) => {
      assert.strictEqual(routeOf(s.selfHosted, "model-router.voicehelper.local"), undefined);
      const route = routeOf(s.routerExposed, "model-router.voicehelper.local");
      assert.ok(route, "exposed on request");
      assert.deepStrictEqual([route!.inputs.spec.rules[0].backendRefs[0].name, route!.inputs.spec.rules[0].backendRefs[0].port], ["model-router", 8080]);
    },
  },
];
