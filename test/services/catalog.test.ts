import { buildRuleFiles } from "../../rules";
import { isAlertingRule } from "../../kit/rule-types";
import { parseServiceSpec, type ServiceSpec } from "../../signals/service-spec";
import { serviceCatalog } from "../../services";

const CTX = { environment: "dev", runbookBaseUrl: "https://runbooks.example.com/observability" };
const byName = (name: string): ServiceSpec => serviceCatalog().find((s) => s.name === name)!;
const [divanApi, edge, workers] = ["divan-api", "edge", "workers"].map(byName) as [ServiceSpec, ServiceSpec, ServiceSpec];

/** The rules of a service's own rule file. */
const serviceRules = (service: ServiceSpec) =>
  buildRuleFiles([service], CTX)
    .find((f) => f.fileName === `${service.name}.yaml`)!
    .groups.flatMap((g) => g.rules);

describe("service catalog", () => {
  it("lists every service once, sorted by name", () => {
    expect(serviceCatalog().map((s) => s.name)).toEqual([
      "ai-coach",
      "core-api",
      "data-sync",
      "divan-api",
      "edge",
      "feed",
      "machinemate-api",
      "media",
      "mobile-release-health",
      "notifications",
      "workers",
    ]);
  });

  it("holds validated specs: parsing one again changes nothing", () => {
    for (const service of serviceCatalog()) expect(parseServiceSpec(service)).toEqual(service);
  });

  it("gives each service an owning team", () => {
    expect(Object.fromEntries(serviceCatalog().map((s) => [s.name, s.team]))).toEqual({
      "ai-coach": "ai",
      "core-api": "core",
      "data-sync": "core",
      "divan-api": "social",
      edge: "web",
      feed: "social",
      "machinemate-api": "core",
      media: "media",
      "mobile-release-health": "core",
      notifications: "growth",
      workers: "data",
    });
  });

  it("serves divan-api's divan_ metrics without renaming them", () => {
    expect(divanApi.metrics).toMatchObject({ requests: "divan_http_requests_total", codeLabel: "status", routeLabel: "route", methodLabel: "method" });
    expect(divanApi.red.errorRatio).toEqual({ warning: { maxRatio: 0.05, for: "10m" } });
    expect(divanApi.red.latencyP95).toEqual({ warning: { maxSeconds: 0.4, for: "15m" } });
    expect(divanApi.dependencies).toMatchObject([
      { kind: "redis", name: "divan-redis", upMetric: "divan_redis_up", latencyMetric: "divan_redis_latency_seconds" },
      { kind: "postgres", name: "divan-postgres", upMetric: "divan_postgres_up" },
    ]);
    expect(divanApi.sockets?.clientsMetric).toBe("divan_socketio_clients");
    expect(divanApi.jobs?.runsMetric).toBe("divan_jobs_runs_total");
  });

  /** `service/slo kind objective period threshold`, one line per SLO of the spec journeys. */
  const journey = (service: ServiceSpec) =>
    service.slos.map((s) => {
      const threshold = s.kind === "latency" ? ` <=${s.latencyThresholdSeconds}s` : s.kind === "freshness" ? ` age<=${s.maxAgeSeconds}s` : "";
      return `${service.name}/${s.name} ${s.kind} ${s.objective} ${s.period}${threshold}`;
    });

  it("declares spec 002's edge journeys: login availability and p95 250 ms, availability over every route, reflect delivery median 1.5 s and p95 3 s", () => {
    expect(journey(edge)).toEqual([
      "edge/availability availability 0.999 90d",
      "edge/login-availability availability 0.999 90d",
      "edge/login-latency latency 0.95 90d <=0.25s",
      "edge/reflect-delivery-p95 latency 0.95 90d <=3s",
      "edge/reflect-delivery-median latency 0.5 90d <=1.5s",
    ]);
    const all = edge.slos.find((s) => s.name === "availability") as { routes?: string[] };
    expect(all.routes).toBeUndefined();
  });

  it("declares spec 002's worker journeys (trade import 60 s, simulation 3 s cold and 1 s warm, weekly digest by Monday 09:00 UTC) and ai-coach's SLIs", () => {
    expect([...journey(workers), ...journey(byName("ai-coach"))]).toEqual([
      "workers/trade-import-duration latency 0.95 90d <=60s",
      "workers/simulation-cold-p95 latency 0.95 90d <=3s",
      "workers/simulation-warm-p95 latency 0.95 90d <=1s",
      "workers/weekly-digest deadline 0.99 90d",
      "ai-coach/errors ratio 0.99 30d",
      "ai-coach/latency latency 0.95 30d <=3s",
    ]);
    const digest = workers.slos.find((s) => s.name === "weekly-digest")!;
    expect(digest.kind === "deadline" && digest.deadline).toEqual({ every: "week", weekday: "monday", timeUtc: "09:00" });
  });

  it("declares spec 004's machinemate journeys: availability 99.9%, /api/v1/* p95 400 ms, favorites and history fresh within 2 minutes", () => {
    const machinemate = byName("machinemate-api");
    expect(journey(machinemate)).toEqual([
      "machinemate-api/availability availability 0.999 calendar-month",
      "machinemate-api/api-v1-latency latency 0.95 30d <=0.4s",
      "machinemate-api/favorites-sync-freshness freshness 0.99 30d age<=120s",
      "machinemate-api/history-sync-freshness freshness 0.99 30d age<=120s",
    ]);
    const rules = serviceRules(machinemate);
    const latency = rules.find((r) => "record" in r && r.record === "slo:sli_total:rate5m" && r.labels?.slo === "api-v1-latency")!;
    expect(latency.expr).toContain('handler=~"/api/v1/.*"');
  });

  it("alerts on core-api's 5xx above 2% over 5 minutes (spec 003) beside its burn-rate alerts", () => {
    const alerts = serviceRules(byName("core-api")).filter(isAlertingRule);
    const tier = alerts.filter((a) => a.alert === "HttpErrorRateThresholdExceeded").map((a) => [a.labels.threshold, a.labels.severity, a.for]);
    expect(tier).toEqual([["errors-5m", "warning", "5m"]]);
  });

  it("watches the four worker queues: depth, age, failures and dead letters", () => {
    expect(workers.queues.map((q) => q.name)).toEqual(["q_import", "q_score", "q_simulate", "q_digest"]);
    expect(workers.queues.every((q) => q.deadLetterMetric === "queue_dead_letter_messages")).toBe(true);
    expect(workers.red.enabled).toBe(false);
    const alerts = buildRuleFiles([workers], CTX)[1]!.groups.flatMap((g) => g.rules.filter(isAlertingRule));
    expect(alerts.filter((a) => a.labels.queue === "q_import").map((a) => a.alert)).toEqual([
      "QueueBacklogHigh",
      "QueueOldestMessageAgeHigh",
      "QueueSLABreachForecast",
      "DeadLetterGrowing",
    ]);
  });

  it("pages on q_import's backlog (spec 002, ImportBacklogGrowing) and opens tickets for the other queues' backlogs", () => {
    const alerts = buildRuleFiles([workers], CTX)[1]!.groups.flatMap((g) => g.rules.filter(isAlertingRule));
    const backlog = alerts.filter((a) => a.alert === "QueueBacklogHigh").map((a) => [a.labels.queue, a.labels.severity, a.labels.team, a.for, a.expr]);
    expect(backlog).toEqual([
      ["q_import", "critical", "data", "15m", 'service_queue:depth:max{service="workers",queue="q_import"} > 200'],
      ["q_score", "warning", "data", "15m", 'service_queue:depth:max{service="workers",queue="q_score"} > 500'],
      ["q_simulate", "warning", "data", "15m", 'service_queue:depth:max{service="workers",queue="q_simulate"} > 200'],
      ["q_digest", "warning", "data", "15m", 'service_queue:depth:max{service="workers",queue="q_digest"} > 10000'],
    ]);
  });

  it("pages on ai-coach's errors above 5% for 10m over all endpoints (spec 002, AIErrorRateHigh)", () => {
    const alerts = buildRuleFiles([byName("ai-coach")], CTX)[0]!.groups.flatMap((g) => g.rules.filter(isAlertingRule));
    const page = alerts.filter((a) => a.alert === "HttpErrorRateThresholdExceeded").map((a) => [a.labels.threshold, a.labels.severity, a.for]);
    expect(page).toEqual([["ai-errors", "critical", "10m"]]);
  });

  it("alerts machinemate-api when p95 of /api/v1/* exceeds 450 ms in any 5-minute window (spec 004)", () => {
    const spec = byName("machinemate-api");
    const alerts = buildRuleFiles([spec], CTX)[0]!.groups.flatMap((g) => g.rules.filter(isAlertingRule));
    const tier = alerts.filter((a) => a.alert === "HttpLatencyThresholdExceeded");
    expect(tier.map((a) => [a.labels.threshold, a.labels.severity, a.for])).toEqual([["api-v1-p95", "warning", undefined]]);
    expect(tier[0]!.expr).toContain('http_request_duration_seconds_bucket{job="machinemate-api",handler=~"/api/v1/.*"}[5m]');
    expect(spec.metrics.buckets).toEqual(expect.arrayContaining([0.4, 0.45]));
  });

  it("reads ai-coach's own metrics (spec 002): errors counted apart, durations in milliseconds, and alerts when they are absent", () => {
    const aiCoach = byName("ai-coach");
    const rules = buildRuleFiles([aiCoach], CTX)[0]!.groups.flatMap((g) => g.rules);
    const text = JSON.stringify(rules);
    expect(text).toContain('rate(ai_request_errors_total{job=\\"ai-coach\\"}[5m])');
    expect(text).toContain('rate(ai_request_duration_ms_bucket{job=\\"ai-coach\\"}[5m])');
    expect(text).not.toContain("http_requests_total");
    const absent = rules.filter(isAlertingRule).filter((r) => r.alert === "HttpMetricAbsent");
    expect(absent.map((r) => r.labels.metric)).toEqual(["ai_request_total", "ai_request_duration_ms_bucket"]);
  });

  it("keeps crash-free sessions at 99.5% from Sentry release health: every session but a crashed one is good (spec 004)", () => {
    const mobile = byName("mobile-release-health");
    expect(mobile.slos.map((s) => (s.kind === "events" ? [s.objective, s.metric, s.outcomeLabel, s.goodOutcomes] : null))).toEqual([
      [0.995, "app_sessions_total", "status", ["healthy", "errored", "abnormal"]],
    ]);
    const alerts = buildRuleFiles([mobile], CTX)[0]!.groups.flatMap((g) => g.rules.filter(isAlertingRule));
    expect([...new Set(alerts.map((a) => a.alert))].sort()).toEqual([
      "PodRestartingFrequently",
      "SLIMetricAbsent",
      "SLOErrorBudgetBurn",
      "TargetScrapeMissing",
    ]);
  });

  it("alerts ai-coach's p95 per endpoint and its error rate at 5%", () => {
    const aiCoach = byName("ai-coach");
    expect([aiCoach.metrics.routeLabel, aiCoach.red.alertPer, aiCoach.red.errorRatio.warning?.maxRatio]).toEqual(["endpoint", "route", 0.05]);
  });

  it("sets the SLOs of feed, notifications and media from spec 000", () => {
    const slo = (name: string) =>
      byName(name).slos.map((s) => [s.kind, s.objective, s.kind === "latency" ? s.latencyThresholdSeconds : s.kind === "events" ? s.metric : null]);
    expect(slo("feed")).toEqual([["latency", 0.95, 0.5]]);
    expect(slo("notifications")).toEqual([["events", 0.98, "notifications_push_deliveries_total"]]);
    expect(slo("media")).toEqual([["events", 0.99, "media_uploads_total"]]);
  });

  it("shares dependency names where services share an instance, so inhibition covers both", () => {
    const deps = (name: string) => byName(name).dependencies.map((d) => d.name);
    expect(deps("core-api")).toEqual(deps("workers"));
  });
});
