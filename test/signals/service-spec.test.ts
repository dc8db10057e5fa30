import { DEFAULT_BURN_RATE_ALERTS } from "../../signals/slo/burn-rate";
import { parseServiceSpec } from "../../signals/service-spec";
import { specProblems } from "../support/spec-problems";
import { DEFAULT_BUCKETS } from "../../model/service-core";
import { SIGNAL_KINDS } from "../../signals";

const minimal = { name: "edge", team: "web", namespace: "edge" };

describe("parseServiceSpec", () => {
  it("has the core's fields and one field per kind of the registry, nothing else", () => {
    const kindFields = SIGNAL_KINDS.flatMap((k) => (k.part !== undefined && "field" in k.part ? [k.part.field] : []));
    const core = ["name", "team", "namespace", "metrics", "scrape", "podNamePattern", "alertOverrides", "dependencies"];
    expect(Object.keys(parseServiceSpec(minimal)).sort()).toEqual(
      [...core, ...kindFields].filter((f) => f !== "jobs" && f !== "sockets" && f !== "migrations").sort(),
    );
  });

  it("resolves every default of a minimal service", () => {
    // toMatchObject: a kind added later brings its own default, tested with the kind.
    expect(parseServiceSpec(minimal)).toMatchObject({
      name: "edge",
      team: "web",
      namespace: "edge",
      metrics: {
        requests: "http_requests_total",
        codeLabel: "code",
        routeLabel: "route",
        methodLabel: "method",
        durationHistogram: "http_request_duration_seconds",
        buckets: [...DEFAULT_BUCKETS],
        job: "edge",
      },
      red: {
        enabled: true,
        errorRatio: { warning: { maxRatio: 0.05, for: "10m" } },
        latencyP95: { warning: { maxSeconds: 0.4, for: "15m" } },
        minRequestsPerSecond: 0.1,
        alertPer: "service",
      },
      slos: [],
      dependencies: [],
      queues: [],
      probes: {},
      canaries: [],
      scrape: { kind: "serviceMonitor", port: "http", path: "/metrics", selector: { "app.kubernetes.io/name": "edge" } },
      podNamePattern: "edge-.*",
    });
  });

  it("resolves SLO, dependency and queue defaults", () => {
    const spec = parseServiceSpec({
      ...minimal,
      metrics: { job: "edge-bff" },
      slos: [{ name: "availability", kind: "availability", objective: 0.999 }],
      dependencies: [
        { kind: "redis", name: "cache", upMetric: "redis_up" },
        { kind: "postgres", name: "db", upMetric: "pg_up", job: "pg-exporter" },
        { kind: "service", name: "core-api" },
      ],
      queues: [{ name: "q_import", depthMetric: "queue_depth", ageMetric: "queue_age_seconds", slaSeconds: 300, maxDepth: 200 }],
    });
    expect(spec.slos).toEqual([
      {
        name: "availability",
        kind: "availability",
        objective: 0.999,
        period: "30d",
        periodDays: 30,
        minEventsPerSecond: 0.1,
        burnRateAlerts: [...DEFAULT_BURN_RATE_ALERTS],
      },
    ]);
    expect(spec.dependencies).toEqual([
      // Read through their exporters (redis_up, pg_up): failure modes on, with their defaults.
      {
        kind: "redis",
        name: "cache",
        upMetric: "redis_up",
        job: "edge-bff",
        labels: {},
        latencyThresholdSeconds: 0.2,
        failureModes: { evictions: { maxPerSecond: 0, for: "5m" }, memory: { maxUsedRatio: 0.9, for: "5m" }, clients: { maxUsedRatio: 0.9, for: "5m" } },
      },
      {
        kind: "postgres",
        name: "db",
        upMetric: "pg_up",
        job: "pg-exporter",
        labels: {},
        latencyThresholdSeconds: 0.3,
        failureModes: {
          locks: { modes: ["accessexclusivelock", "exclusivelock", "sharerowexclusivelock", "sharelock"], maxHeld: 0, for: "5m" },
          deadlocks: { max: 0 },
          longTransactions: { maxSeconds: 600, for: "2m" },
          bloat: { maxRatio: 0.3, minDeadTuples: 10000, for: "15m" },
          rollbacks: { maxRatio: 0.1, for: "10m" },
        },
      },
      { kind: "service", name: "core-api" },
    ]);
    expect(spec.queues).toEqual([
      {
        name: "q_import",
        queueLabel: "queue",
        depthMetric: "queue_depth",
        ageMetric: "queue_age_seconds",
        slaSeconds: 300,
        maxDepth: 200,
        forecastHorizonSeconds: 3600,
      },
    ]);
  });

  const problems = specProblems;

  it("fails when an objective is not in (0, 1)", () => {
    const input = { ...minimal, slos: [{ name: "availability", kind: "availability", objective: 1.5 }] };
    expect(() => parseServiceSpec(input)).toThrow(/objective must be in \(0, 1\), got 1\.5 \(service "edge", slo "availability"\)/);
  });

  it("fails when a burn-rate window is unknown", () => {
    const slo = {
      name: "availability",
      kind: "availability",
      objective: 0.999,
      burnRateAlerts: [{ severity: "critical", factor: 14.4, longWindow: "4h", shortWindow: "5m" }],
    };
    expect(problems({ ...minimal, slos: [slo] })).toEqual([
      'slos[0].burnRateAlerts[0].longWindow must be one of 5m, 30m, 1h, 2h, 6h, 1d, 3d, got "4h" (service "edge", slo "availability")',
    ]);
  });

  it("fails when a short window is not shorter than its long window", () => {
    const slo = {
      name: "availability",
      kind: "availability",
      objective: 0.999,
      burnRateAlerts: [{ severity: "critical", factor: 14.4, longWindow: "1h", shortWindow: "6h" }],
    };
    expect(() => parseServiceSpec({ ...minimal, slos: [slo] })).toThrow(
      /slos\[0\]\.burnRateAlerts\[0\]\.shortWindow must be shorter than longWindow, got "6h"/,
    );
  });

  it("fails when the latency threshold is not a bucket boundary", () => {
    const slo = { name: "login-latency", kind: "latency", objective: 0.95, latencyThresholdSeconds: 0.3 };
    expect(() => parseServiceSpec({ ...minimal, slos: [slo] })).toThrow(
      /slos\[0\]\.latencyThresholdSeconds must be one of the histogram's bucket boundaries \(0\.005, .*, 10\), got 0\.3 \(service "edge", slo "login-latency"\)/,
    );
  });

  it("fails when a burn rate can never be reached at the objective", () => {
    const slo = { name: "login-latency", kind: "latency", objective: 0.9, latencyThresholdSeconds: 0.25 };
    expect(() => parseServiceSpec({ ...minimal, slos: [slo] })).toThrow(
      /slos\[0\]\.objective must keep every burn-rate threshold below 1, an error ratio's maximum \(14\.4 x \(1 - objective\) = 1\.44\), got 0\.9/,
    );
  });

  it("fails when the SLO kind is unknown", () => {
    expect(() => parseServiceSpec({ ...minimal, slos: [{ name: "x", kind: "availabilty", objective: 0.99 }] })).toThrow(
      /slos\[0\]\.kind must be one of availability, latency, events, ratio, freshness, deadline, got "availabilty"/,
    );
  });

  it("fails when the p95 threshold is outside the histogram's buckets", () => {
    expect(() => parseServiceSpec({ ...minimal, red: { latencyP95: { warning: { maxSeconds: 20 } } } })).toThrow(
      /red\.latencyP95\.warning\.maxSeconds must be within the histogram's buckets \[0\.005, 10\), or p95 can never cross it, got 20/,
    );
  });

  it("fails when buckets are not ascending", () => {
    expect(() => parseServiceSpec({ ...minimal, metrics: { buckets: [1, 0.5] } })).toThrow(/metrics\.buckets must be strictly ascending, got \[1,0\.5\]/);
  });

  it("fails when names repeat", () => {
    const slo = { name: "availability", kind: "availability", objective: 0.999 };
    const dependencies = [
      { kind: "redis", name: "cache", upMetric: "redis_up" },
      { kind: "postgres", name: "cache", upMetric: "pg_up" },
    ];
    expect(problems({ ...minimal, slos: [slo, slo], dependencies })).toEqual([
      'dependencies[1].name must be unique among the service\'s dependencies, got "cache" (service "edge", postgres "cache")',
      'slos[1].name must be unique among the service\'s SLOs, got "availability" (service "edge", slo "availability")',
    ]);
  });

  it("fails when the team is not a declared team (model/teams.ts)", () => {
    expect(problems({ ...minimal, team: "finance" })).toEqual([
      'team must be a declared team (platform, social, web, core, data, ai, growth, media; declared in model/teams.ts), got "finance" (service "edge")',
    ]);
  });

  it("fails on unknown fields and wrong types, one line each", () => {
    expect(problems({ name: "Edge", team: 3, namespace: "edge", slo: [] })).toEqual([
      'name must be kebab-case (a-z, 0-9 and \'-\'), got "Edge" (service "Edge")',
      'team must be a string, got 3 (service "Edge")',
      'slo is not a known field (service "Edge")',
    ]);
  });

  it("fails when a dependency field has the wrong type, naming the dependency", () => {
    const input = { ...minimal, dependencies: [{ kind: "redis", name: "cache", upMetric: "redis_up", latencyThresholdSeconds: "fast" }] };
    expect(() => parseServiceSpec(input)).toThrow(/dependencies\[0\]\.latencyThresholdSeconds must be a number, got "fast" \(service "edge", redis "cache"\)/);
  });

  it("fails when a dependency's kind is unknown, listing the kinds the registry has", () => {
    expect(problems({ ...minimal, dependencies: [{ kind: "mysql", name: "db" }] })).toEqual([
      'dependencies[0].kind must be one of service, redis, postgres, got "mysql" (service "edge", mysql "db")',
    ]);
  });

  it("fails when a service depends on itself", () => {
    expect(problems({ ...minimal, dependencies: [{ kind: "service", name: "edge" }] })).toEqual([
      'dependencies[0].name must name another service, not the service itself, got "edge" (service "edge", service "edge")',
    ]);
  });

  it("names the canary and step a problem is in", () => {
    const step = { name: "home", request: { url: "/health" } };
    const canary = {
      name: "login",
      description: "d",
      baseUrl: "https://edge.example.com",
      every: "5m",
      steps: [step, { ...step, name: "feed", budget: "0s" }],
    };
    expect(problems({ ...minimal, canaries: [canary, { ...canary, name: "signup", baseUrl: "ftp://x" }] })).toEqual([
      'canaries[0].steps[1].budget must be longer than 0s, got "0s" (service "edge", canary "login", step "feed")',
      'canaries[1].baseUrl must be an http(s) URL, got "ftp://x" (service "edge", canary "signup")',
      'canaries[1].steps[1].budget must be longer than 0s, got "0s" (service "edge", canary "signup", step "feed")',
    ]);
  });

  it("fails when a queue's forecast horizon is too short to warn ahead", () => {
    const queue = { name: "q", depthMetric: "d", ageMetric: "a", slaSeconds: 60, maxDepth: 10, forecastHorizonSeconds: 60 };
    expect(() => parseServiceSpec({ ...minimal, queues: [queue] })).toThrow(
      /queues\[0\]\.forecastHorizonSeconds must be at least 900 \(15m\), got 60 \(service "edge", queue "q"\)/,
    );
  });
});
