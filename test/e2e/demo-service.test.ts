/**
 * The demo services export what the rules read: every raw series any rule of the catalog selects
 * (metric name, `job`, and the labels it matches on) is served by a target of the fleet under that
 * job, and divan-api exports exactly the metric families its spec declares. Faults are validated
 * and a shared dependency looks down to every service that uses it.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { isRecordedMetric } from "../../kit/promql-syntax";
import { startDemoFleet, type DemoFleet } from "../../demo-service";
import { environmentArtifacts } from "../../scripts/preview/pipeline";
import { RUNNER_METRICS } from "../../signals/canary/metrics";

const env = environmentArtifacts("dev");
/** Series of other components (Prometheus itself, blackbox exporter, kube-state-metrics, rule state). */
// Series of the probers and the canary runner, not of the demo services (the runner's are checked in test/canary-runner/ and the e2e).
const NOT_APPLICATION = new Set([
  "up",
  "probe_success",
  "probe_duration_seconds",
  "kube_pod_container_status_restarts_total",
  "ALERTS",
  ...Object.values(RUNNER_METRICS),
]);

type Node = ReturnType<typeof parser.parse>["topNode"];

/** The raw-series selectors of an expression: metric name and its equality/regex matchers' label names and values. */
function selectors(expr: string): { metric: string; matchers: Record<string, string> }[] {
  const found: { metric: string; matchers: Record<string, string> }[] = [];
  const visit = (node: Node) => {
    if (node.name === "VectorSelector") {
      const identifier = node.getChild("Identifier");
      const matchers: Record<string, string> = {};
      const list = node.getChild("LabelMatchers");
      for (let m = list?.firstChild ?? null; m !== null; m = m.nextSibling) {
        const label = m.getChild("LabelName");
        const value = m.getChild("StringLiteral");
        if (label && value) matchers[expr.slice(label.from, label.to)] = JSON.parse(expr.slice(value.from, value.to)) as string;
      }
      if (identifier) found.push({ metric: expr.slice(identifier.from, identifier.to), matchers });
    }
    for (let child = node.firstChild; child !== null; child = child.nextSibling) visit(child);
  };
  visit(parser.parse(expr).topNode);
  return found;
}

/** Metric name -> label names, from a Prometheus text exposition. */
function exposition(text: string): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const line of text.split("\n")) {
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? /);
    if (match === null) continue;
    const labels = series.get(match[1]!) ?? new Set<string>();
    for (const pair of (match[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(pair[1]!);
    series.set(match[1]!, labels);
  }
  return series;
}

let fleet: DemoFleet;
/** Job -> metric -> label names, as the fleet serves them. */
const served = new Map<string, Map<string, Set<string>>>();

beforeAll(async () => {
  fleet = await startDemoFleet(env.services);
  // Two steps of workload, with one error and one failed job per service so every label value appears.
  for (const service of fleet.services.values()) service.injectFaults({ errorRatio: 0.5, jobFailureRatio: 0.5 });
  await new Promise((r) => setTimeout(r, 300));
  for (const target of fleet.targets) {
    const text = await (await fetch(`http://${target.address}${target.metricsPath}`)).text();
    served.set(target.job, exposition(text));
  }
});
afterAll(() => fleet?.stop());

describe("the demo fleet of the dev catalog", () => {
  const rules = env.ruleFiles.filter((f) => f.fileName !== "platform.yaml").flatMap((f) => f.groups.flatMap((g) => g.rules));
  const reads = [
    ...new Map(
      rules
        .flatMap((r) => selectors(r.expr))
        .filter((s) => !isRecordedMetric(s.metric) && !NOT_APPLICATION.has(s.metric))
        .map((s) => [JSON.stringify(s), s]),
    ).values(),
  ];

  it("reads at least the metrics of every kind of rule", () => {
    expect(reads.map((r) => r.metric)).toEqual(
      expect.arrayContaining([
        "divan_http_requests_total",
        "divan_redis_up",
        "divan_socketio_clients",
        "divan_jobs_runs_total",
        "queue_depth",
        "redis_up",
        "media_uploads_total",
      ]),
    );
  });

  it.each(reads.map((r) => [`${r.metric}${JSON.stringify(r.matchers)}`, r] as const))("serves %s", (_, read) => {
    const job = read.matchers.job;
    expect(job).toBeDefined();
    const metrics = served.get(job!);
    expect(metrics).toBeDefined();
    expect(metrics!.has(read.metric)).toBe(true);
    const labels = Object.keys(read.matchers).filter((l) => l !== "job");
    expect([...metrics!.get(read.metric)!].filter((l) => labels.includes(l)).sort()).toEqual(labels.sort());
  });

  it("exports exactly the metric families divan-api's spec declares", () => {
    const spec = env.services.find((s) => s.name === "divan-api")!;
    const families = new Set([...served.get(spec.metrics.job)!.keys()].map((name) => name.replace(/_(bucket|sum|count)$/, "")));
    const declared = [
      spec.metrics.requests,
      spec.metrics.durationHistogram,
      ...spec.dependencies.flatMap((d) => (d.kind === "service" ? [] : [d.upMetric, ...(d.latencyMetric ? [d.latencyMetric] : [])])),
      spec.sockets!.clientsMetric,
      spec.jobs!.runsMetric,
    ];
    // prom-client names a counter's family without `_total`; the samples carry it.
    expect([...families].map((f) => f.replace(/_total$/, "")).sort()).toEqual([...new Set(declared.map((d) => d.replace(/_total$/, "")))].sort());
    expect(served.get(spec.metrics.job)!.get(spec.metrics.requests)).toEqual(
      new Set([spec.metrics.routeLabel, spec.metrics.methodLabel, spec.metrics.codeLabel]),
    );
  });
});

describe("fault injection over HTTP", () => {
  const post = (service: string, path: string, body: unknown) =>
    fetch(`${fleet.service(service).url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("rejects unknown faults, out-of-range values and dependencies the service does not have", async () => {
    const response = await post("divan-api", "/faults", { errorRatio: 2, dependencyDown: ["core-redis"], meltdown: true });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: string[] };
    expect(error).toEqual(
      expect.arrayContaining([
        "errorRatio: must be in [0, 1]",
        "dependencyDown.0: must be a dependency of divan-api (divan-redis, divan-postgres)",
        expect.stringMatching(/^meltdown: not a fault/),
      ]),
    );
  });

  it("merges patches and resets", async () => {
    await post("divan-api", "/faults/reset", {});
    await post("divan-api", "/faults", { latencySeconds: 1 });
    const body = await (await post("divan-api", "/faults", { socketDrop: 0.5 })).json();
    expect(body).toMatchObject({ latencySeconds: 1, socketDrop: 0.5, errorRatio: 0 });
    expect(await (await post("divan-api", "/faults/reset", {})).json()).toMatchObject({ latencySeconds: 0, socketDrop: 0 });
  });

  it("downs a shared exporter dependency for every service that declares it", async () => {
    const exporter = fleet.targets.find((t) => t.job === "core-redis-exporter")!;
    const redisUp = async () => (await (await fetch(`http://${exporter.address}${exporter.metricsPath}`)).text()).match(/^redis_up (\d)/m)?.[1];
    expect(await redisUp()).toBe("1");
    await post("workers", "/faults", { dependencyDown: ["core-redis"] });
    expect(await redisUp()).toBe("0");
    await new Promise((r) => setTimeout(r, 300));
    const coreApi = await (await fetch(`${fleet.service("core-api").url}/metrics`)).text();
    expect(coreApi).toMatch(/^http_requests_total\{[^}]*code="503"[^}]*\} [1-9]/m);
    await post("workers", "/faults/reset", {});
    expect(await redisUp()).toBe("1");
  });
});

describe("health endpoints", () => {
  const get = (path: string) => fetch(`${fleet.service("core-api").url}${path}`);
  const post = (body: unknown) =>
    fetch(`${fleet.service("core-api").url}/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("answers readiness 200, then 503 while readinessFailing is set; liveness stays 200", async () => {
    expect((await get("/health/ready")).status).toBe(200);
    expect((await post({ readinessFailing: true })).status).toBe(200);
    expect((await get("/health/ready")).status).toBe(503);
    expect((await get("/health/live")).status).toBe(200);
    await post({ readinessFailing: false });
    expect((await get("/health/ready")).status).toBe(200);
  });

  it("rejects a readinessFailing that is not a boolean", async () => {
    const response = await post({ readinessFailing: "yes" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string[] }).error).toEqual([expect.stringMatching(/^readinessFailing: /)]);
  });
});

describe("a fleet beside real dependencies", () => {
  let real: DemoFleet;
  let coreRedisDown = false;
  beforeAll(async () => {
    real = await startDemoFleet(
      env.services.filter((s) => ["core-api", "workers"].includes(s.name)),
      { realDependencies: { exporterJobs: ["core-redis-exporter", "core-postgres-exporter"], isDown: (name) => name === "core-redis" && coreRedisDown } },
    );
  });
  afterAll(() => real.stop());

  it("simulates no exporter job a real exporter serves", () => {
    expect(real.targets.map((t) => t.job).sort()).toEqual(["core-api", "workers"]);
  });

  it("answers 503 while a real dependency is down", async () => {
    coreRedisDown = true;
    await new Promise((r) => setTimeout(r, 300));
    const metrics = await (await fetch(`${real.service("core-api").url}/metrics`)).text();
    coreRedisDown = false;
    expect(metrics).toMatch(/^http_requests_total\{[^}]*code="503"[^}]*\} [1-9]/m);
  });
});
