/**
 * The alert pipeline end to end, on Debian's real Prometheus 2.42 and Alertmanager 0.25 on
 * loopback, fed the dev environment's generated rules and Alertmanager config (receivers
 * redirected to an in-process webhook sink, time compressed 60x) and the demo services of the
 * whole catalog. Faults are injected over the demo's HTTP API; what must arrive at the sink, with
 * which labels, at which receiver, and what Alertmanager must inhibit, is checked phase by phase.
 * Detection and resolve times are measured and printed at the end.
 *
 * The phases share one pipeline and run in order; each waits with a deadline, never a fixed sleep.
 * `E2E_ENVIRONMENT=prod npx jest test/e2e` runs it against another environment's routing.
 */
import { existsSync } from "node:fs";
import type { ServiceSpec } from "../../signals/service-spec";
import { WATCHDOG_TIMING } from "../../alertmanager";
import { DEPENDENCY_DOWN_ALERTS } from "../../signals";
import type { FaultPatch } from "../../demo-service";
import { alertmanagerAlerts, pollUntil, prometheusAlerts, prometheusQuery, type AlertmanagerAlert } from "../../scripts/preview/apis";
import { startAlertPipeline, type AlertPipeline } from "../../scripts/preview/pipeline";
import { isProcessAlive } from "../../scripts/preview/processes";
import { durationMs } from "../../scripts/preview/time-compression";
import { hasLabels, type Delivery, type DeliveryQuery } from "../../scripts/preview/webhook-sink";
import { FaultTimings, secondsBetween } from "./fault-timings";
import { SELECTOR_EXCEPTIONS, isExcepted } from "./selector-exceptions";
import { ruleSelectors, unmatchedSelectors } from "./selector-coverage";
import { pgConnect } from "../../scripts/preview/pg-wire";
import {
  bloatTable,
  exec,
  fillRedis,
  flushRedis,
  forceDeadlock,
  holdConflictingLock,
  openConnectionsToLimit,
  pgTarget,
  type HeldFault,
} from "../support/dependency-faults";

const ENVIRONMENT = process.env.E2E_ENVIRONMENT ?? "dev";
const API = "divan-api";
const WORKERS = "workers";
const CORE_API = "core-api";
/** The canaries the e2e breaks: edge's login flow (its login step), feed's home feed. */
const EDGE = "edge";
const FEED = "feed";
const LOGIN = { canary: "login", step: "login" } as const;
const HOME_FEED = "home-feed";

let pipeline: AlertPipeline;
let timings: FaultTimings;

const startedAtMs = Date.now();
const CORE_REDIS = "core-redis";
const CORE_POSTGRES = "core-postgres";

const profile = () => pipeline.environment.profile;
const specOf = (name: string): ServiceSpec => pipeline.environment.services.find((s) => s.name === name)!;
/** A canary flow of a service, as the environment runs it. */
const flowOf = (service: string, canary: string) => {
  const found = specOf(service).canaries.find((c) => c.name === canary);
  if (found === undefined) throw new Error(`${service} must declare the canary ${canary}`);
  return found;
};
const receiversOf = (name: string) => profile().alerting.teams[specOf(name).team];
/** Whether the environment's receiver sends resolved notifications (an email receiver usually does not). */
const sendsResolved = (receiver: string) => profile().alerting.receivers[receiver]?.sendResolved ?? true;
const runbook = (alertname: string) => `${profile().runbookBaseUrl}/${alertname}.md`;
/** Seconds of the environment's timing, compressed: what the pipeline really waits. */
const compressedSeconds = (duration: string) => durationMs(duration) / pipeline.timing.factor / 1000;

/** The real dependency by name (redis-server or Postgres and its exporter). */
const real = (name: string) => pipeline.dependencies!.dependency(name);

/** The sum of an instant query's values, or undefined when it returns nothing. */
async function querySum(expr: string): Promise<number | undefined> {
  const result = await prometheusQuery(pipeline.prometheus.url, expr);
  return result.length === 0 ? undefined : result.reduce((sum, r) => sum + r.value, 0);
}

/** Waits until `expr`'s sum satisfies `ok`; returns it. */
function metricUntil(expr: string, ok: (value: number) => boolean, what: string, timeoutMs = 20_000): Promise<number> {
  return pollUntil(
    async () => {
      const value = await querySum(expr);
      return value !== undefined && ok(value) ? value : undefined;
    },
    `${what} (${expr})`,
    timeoutMs,
  );
}

/** Whether the loaded rules hold an alert of this name (for the alerts being written alongside this test). */
function alertLoaded(alertname: string): boolean {
  const skipped = new Set(pipeline.skippedRules.map((r) => `${r.group}\u0000${r.rule}`));
  return pipeline.environment.ruleFiles.some((f) =>
    f.groups.some((g) => g.rules.some((r) => "alert" in r && r.alert === alertname && !skipped.has(`${g.name}\u0000${r.alert}`))),
  );
}

/**
 * The alerts of issue 16 each real fault must raise, by the names its contract gives. The rules are
 * written alongside this test: an alert not yet in the environment's rules is noted and skipped;
 * once its rule is loaded, the fault's test also waits for it at the sink (contract labels,
 * runbook) and for its resolve, and records both times. This table is where their names plug in.
 */
const REAL_FAULT_ALERTS = {
  evictions: { fault: "core-redis filled past maxmemory", alert: "RedisEvictions", dependency: CORE_REDIS },
  lockWaits: { fault: "core-postgres lock held, a statement waiting", alert: "PostgresLockWaits", dependency: CORE_POSTGRES },
  deadlocks: { fault: "core-postgres deadlock", alert: "PostgresDeadlocks", dependency: CORE_POSTGRES },
  bloat: { fault: "core-postgres table 90% dead tuples", alert: "PostgresTableBloat", dependency: CORE_POSTGRES },
} as const;
type PlannedAlert = keyof typeof REAL_FAULT_ALERTS;

/** If the planned alert is loaded, waits for its first firing delivery since `sinceMs` and checks its contract. */
async function plannedAlertFires(key: PlannedAlert, sinceMs: number): Promise<Delivery | undefined> {
  const { fault, alert, dependency } = REAL_FAULT_ALERTS[key];
  if (!alertLoaded(alert)) {
    console.log(`${alert} is not in ${ENVIRONMENT}'s rules yet: "${fault}" is checked on the exporter's metrics only`);
    return undefined;
  }
  const d = await delivered({ labels: { alertname: alert, dependency }, status: "firing", sinceMs }, 60);
  expectContract(d, d.alert.labels.service!, d.alert.labels.severity!);
  timings.add({
    fault,
    alert: `${alert} ${d.alert.labels.severity} (${d.alert.labels.service})`,
    receiver: d.receiver,
    detectionSeconds: secondsBetween(sinceMs, d.receivedAtMs),
  });
  return d;
}

/** If the planned alert is loaded, waits for its resolve since `clearedAtMs` (when its receiver sends resolved ones). */
async function plannedAlertResolves(key: PlannedAlert, clearedAtMs: number): Promise<void> {
  const { fault, alert, dependency } = REAL_FAULT_ALERTS[key];
  if (!alertLoaded(alert)) return;
  const fired = pipeline.sink.deliveries({ labels: { alertname: alert, dependency }, status: "firing" })[0]!;
  const row = `${alert} ${fired.alert.labels.severity} (${fired.alert.labels.service})`;
  if (!sendsResolved(fired.receiver)) return timings.resolved(fault, row, undefined, "receiver sends no resolved");
  const r = await delivered({ labels: { alertname: alert, dependency, service: fired.alert.labels.service! }, status: "resolved", sinceMs: clearedAtMs }, 90);
  timings.resolved(fault, row, secondsBetween(clearedAtMs, r.receivedAtMs));
}

/** POSTs a fault patch to a demo service, as a person would with curl; returns when it is in effect. */
async function inject(service: string, patch: FaultPatch | "reset"): Promise<number> {
  const url = `${pipeline.demo.service(service).url}/faults${patch === "reset" ? "/reset" : ""}`;
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(patch === "reset" ? {} : patch) });
  expect(response.status).toBe(200);
  return Date.now();
}

/** The first delivery of `query`, waiting up to `timeoutSeconds`. */
function delivered(query: DeliveryQuery, timeoutSeconds: number): Promise<Delivery> {
  return pipeline.sink.waitFor(query, timeoutSeconds * 1000);
}

/** Alertmanager's alert with these labels, once it holds one. */
function amAlert(alerts: readonly AlertmanagerAlert[], labels: Record<string, string>): AlertmanagerAlert | undefined {
  return alerts.find((a) => hasLabels(a.labels, labels));
}

/** Checks the contract labels and runbook of a delivered alert (DESIGN.md section 4). */
function expectContract(delivery: Delivery, service: string, severity: string): void {
  const alertname = delivery.alert.labels.alertname!;
  expect(delivery.alert.labels).toMatchObject({ service, team: specOf(service).team, severity });
  expect(delivery.alert.annotations.runbook_url).toBe(runbook(alertname));
  expect(delivery.alert.annotations.summary).toBeTruthy();
  expect(delivery.alert.annotations.description).toBeTruthy();
  // The URL the sink was called at names the receiver Alertmanager chose.
  expect(delivery.notification.pathReceiver).toBe(delivery.receiver);
}

beforeAll(async () => {
  pipeline = await startAlertPipeline({ environment: ENVIRONMENT });
  timings = new FaultTimings(pipeline.timing.factor);
  // Prometheus starts with healthy SLO history (backfilled) and every target scraped; let the raw
  // 5m rate windows (5s compressed) fill before the first fault.
  const scrapedSinceMs = Date.now();
  await pollUntil(
    async () => {
      const alerts = await prometheusAlerts(pipeline.prometheus.url);
      const filled = Date.now() - scrapedSinceMs > (2 * durationMs("5m")) / pipeline.timing.factor;
      return filled && alerts.every((a) => a.labels.alertname === "Watchdog") ? true : undefined;
    },
    "a quiet, scraped pipeline",
    30_000,
  );
}, 90_000);

afterAll(async () => {
  if (timings !== undefined && timings.all().length > 0) {
    console.log(
      `Alert pipeline timings, environment ${ENVIRONMENT}, time compressed ${pipeline.timing.factor}x ` +
        `(scrape/eval ${pipeline.timing.scrapeInterval}); the x${pipeline.timing.factor} columns estimate the environment's own timing. ` +
        `Whole run: ${secondsBetween(startedAtMs, Date.now()).toFixed(0)} s.\n\n${timings.table()}`,
    );
  }
  await pipeline?.stop();
}, 60_000);

describe(`the ${ENVIRONMENT} alert pipeline on a real Prometheus and Alertmanager`, () => {
  it("starts quiet: every demo target is scraped and only Watchdog has reached the sink", () => {
    const alertnames = new Set(pipeline.sink.notifications().flatMap((n) => n.payload.alerts.map((a) => a.labels.alertname)));
    expect([...alertnames]).toEqual(["Watchdog"]);
  });

  describe("every selector of every loaded rule (issue 16, item 5)", () => {
    it("matches at least one series the real exporters, the probes or the demo services expose, but for the listed fault-only exceptions", async () => {
      const loaded = new Set(pipeline.ruleFiles.map((f) => f.split("/").pop()!));
      const skipped = new Set(pipeline.skippedRules.map((r) => `${r.file}\u0000${r.rule}`));
      const selectors = ruleSelectors(pipeline.environment.ruleFiles.filter((f) => loaded.has(f.fileName))).filter(
        (s) => !skipped.has(`${s.file}\u0000${s.rule}`),
      );
      expect(selectors.length).toBeGreaterThan(100);
      const unmatched = await unmatchedSelectors(pipeline.prometheus.url, selectors, Math.floor(startedAtMs / 1000));
      // Every selector a healthy preview cannot match is listed with its reason; anything else is a misspelt metric or label.
      expect(unmatched.filter((s) => !isExcepted(s)).map((s) => `${s.file} ${s.rule}: ${s.selector}`)).toEqual([]);
      // And every exception still applies to some rule, so the list cannot go stale.
      const used = SELECTOR_EXCEPTIONS.filter((e) => unmatched.some((s) => isExcepted(s, [e])));
      expect(used.map((e) => e.metric)).toEqual(SELECTOR_EXCEPTIONS.map((e) => e.metric));
    }, 60_000);
  });

  describe("a full outage of divan-api (every request answered 500)", () => {
    let injectedAtMs: number;
    let sloPage: Delivery;

    it("pages divan-api's team with SLOErrorBudgetBurn (critical) and tickets ServiceHighErrorRate", async () => {
      injectedAtMs = await inject(API, { errorRatio: 1 });
      const slo = specOf(API).slos[0]!;
      sloPage = await delivered(
        { labels: { alertname: "SLOErrorBudgetBurn", service: API, severity: "critical" }, status: "firing", sinceMs: injectedAtMs },
        30,
      );
      expect(sloPage.receiver).toBe(receiversOf(API).pager);
      expectContract(sloPage, API, "critical");
      expect(sloPage.alert.labels.slo).toBe(slo.name);
      timings.add({
        fault: "full outage (errorRatio 1)",
        alert: "SLOErrorBudgetBurn critical",
        receiver: sloPage.receiver,
        detectionSeconds: secondsBetween(injectedAtMs, sloPage.receivedAtMs),
      });

      // divan-api alerts its 5xx ratio at the severities its spec gives (warning only): a ticket.
      const severity = Object.keys(specOf(API).red.errorRatio)[0]!;
      const errorRate = await delivered({ labels: { alertname: "ServiceHighErrorRate", service: API, severity }, status: "firing", sinceMs: injectedAtMs }, 45);
      expect(errorRate.receiver).toBe(severity === "critical" ? receiversOf(API).pager : receiversOf(API).ticket);
      expectContract(errorRate, API, severity);
      timings.add({
        fault: "full outage (errorRatio 1)",
        alert: `ServiceHighErrorRate ${severity}`,
        receiver: errorRate.receiver,
        detectionSeconds: secondsBetween(injectedAtMs, errorRate.receivedAtMs),
      });
    }, 90_000);

    it("inhibits the matching SLOErrorBudgetBurn warning (same alertname, service and slo) while the critical fires", async () => {
      const labels = { alertname: "SLOErrorBudgetBurn", service: API, slo: sloPage.alert.labels.slo! };
      const { warning, critical } = await pollUntil(
        async () => {
          const alerts = await alertmanagerAlerts(pipeline.alertmanager.url);
          const warning = amAlert(alerts, { ...labels, severity: "warning" });
          const critical = amAlert(alerts, { ...labels, severity: "critical" });
          return warning?.status.state === "suppressed" && critical !== undefined ? { warning, critical } : undefined;
        },
        "Alertmanager to hold the SLO burn warning as inhibited",
        20_000,
      );
      expect(warning.status.inhibitedBy).toEqual([critical.fingerprint]);
      expect(critical.status.state).toBe("active");
      expect(pipeline.sink.deliveries({ labels: { ...labels, severity: "warning" }, sinceMs: injectedAtMs })).toEqual([]);
    }, 30_000);

    it("sends resolved notifications to the same receivers once divan-api recovers, and only then lets the warning through", async () => {
      const clearedAtMs = await inject(API, "reset");
      const severity = Object.keys(specOf(API).red.errorRatio)[0]!;
      const errorRate = await delivered({ labels: { alertname: "ServiceHighErrorRate", service: API }, status: "resolved", sinceMs: clearedAtMs }, 60);
      expect(errorRate.receiver).toBe(severity === "critical" ? receiversOf(API).pager : receiversOf(API).ticket);
      timings.resolved("full outage (errorRatio 1)", `ServiceHighErrorRate ${severity}`, secondsBetween(clearedAtMs, errorRate.receivedAtMs));

      const page = await delivered(
        { labels: { alertname: "SLOErrorBudgetBurn", service: API, severity: "critical" }, status: "resolved", sinceMs: clearedAtMs },
        90,
      );
      expect(page.receiver).toBe(receiversOf(API).pager);
      expect(page.alert.fingerprint).toBe(sloPage.alert.fingerprint);
      timings.resolved("full outage (errorRatio 1)", "SLOErrorBudgetBurn critical", secondsBetween(clearedAtMs, page.receivedAtMs));

      // No warning of the burn reached anyone while the page was firing.
      const pageEndedMs = Date.parse(page.alert.endsAt);
      const warnings = pipeline.sink.deliveries({
        labels: { alertname: "SLOErrorBudgetBurn", service: API, severity: "warning" },
        status: "firing",
        sinceMs: injectedAtMs,
      });
      expect(warnings.filter((w) => w.receivedAtMs < pageEndedMs)).toEqual([]);
    }, 150_000);
  });

  describe("latency, socket drop, job failures (divan-api), backlog growth (workers), login broken (edge) and slow journeys (feed), injected together", () => {
    const cases = (): { fault: string; alert: string; service: string; severity: string; labels: Record<string, string> }[] => [
      { fault: "latency +1s", alert: "ServiceHighLatencyP95", service: API, severity: "warning", labels: {} },
      { fault: "socket drop 80%", alert: "SocketClientsDrop", service: API, severity: "warning", labels: { namespace: "/" } },
      { fault: "job failures 50%", alert: "JobFailureSurge", service: API, severity: "warning", labels: {} },
      { fault: "backlog +50 msg/s", alert: "QueueOldestMessageAgeHigh", service: WORKERS, severity: "critical", labels: { queue: "q_score" } },
      // q_import's backlog pages (spec 002, an alertOverrides entry of workers); the other queues' open tickets.
      { fault: "backlog +50 msg/s", alert: "QueueBacklogHigh", service: WORKERS, severity: "critical", labels: { queue: "q_import" } },
      { fault: "backlog +50 msg/s", alert: "QueueSLABreachForecast", service: WORKERS, severity: "warning", labels: { queue: "q_digest" } },
      // Canaries (issue 17): the runner's login flow fails on edge, every journey endpoint of feed is 0.6 s slower.
      { fault: "edge login 500", alert: "CanaryFailing", service: EDGE, severity: "critical", labels: { canary: LOGIN.canary } },
      { fault: "feed journeys +0.6 s", alert: "CanarySlow", service: FEED, severity: "warning", labels: { canary: HOME_FEED } },
    ];
    const receiverFor = (service: string, severity: string) => (severity === "critical" ? receiversOf(service).pager : receiversOf(service).ticket);
    let injectedAtMs: number;

    it("notifies each alert to its service's team, with its labels and runbook", async () => {
      injectedAtMs = await inject(API, { latencySeconds: 1, socketDrop: 0.8, jobFailureRatio: 0.5 });
      await inject(WORKERS, { backlogGrowthPerSecond: 50 });
      await inject(EDGE, { canaryStepsFailing: [`${LOGIN.canary}/${LOGIN.step}`] });
      await inject(FEED, { canaryStepsSlowSeconds: 0.6 });
      const deliveries = await Promise.all(
        cases().map((c) =>
          delivered({ labels: { alertname: c.alert, service: c.service, severity: c.severity, ...c.labels }, status: "firing", sinceMs: injectedAtMs }, 60),
        ),
      );
      cases().forEach((c, i) => {
        const d = deliveries[i]!;
        expect(d.receiver).toBe(receiverFor(c.service, c.severity));
        expectContract(d, c.service, c.severity);
        timings.add({
          fault: c.fault,
          alert: `${c.alert} ${c.severity}${c.labels.queue ? ` (${c.labels.queue})` : ""}`,
          receiver: d.receiver,
          detectionSeconds: secondsBetween(injectedAtMs, d.receivedAtMs),
        });
      });
      // The forecast warns before the breach: q_digest's oldest message passes its SLA only later.
      const digest = specOf(WORKERS).queues.find((q) => q.name === "q_digest")!;
      const forecast = deliveries[5]!;
      expect(secondsBetween(injectedAtMs, forecast.receivedAtMs)).toBeLessThan(digest.slaSeconds / pipeline.timing.factor);
      // CanaryFailing fired on the runner's count of failed runs, each failing at the login step on its status.
      const failures = `canary_step_failures_total{service="${EDGE}",canary="${LOGIN.canary}",step="${LOGIN.step}",reason="status"}`;
      expect(await querySum(failures)).toBeGreaterThanOrEqual(flowOf(EDGE, LOGIN.canary).failAfterRuns);
    }, 90_000);

    it("resolves the socket drop by itself once the drop is older than its 5m window", async () => {
      const resolved = await delivered({ labels: { alertname: "SocketClientsDrop", service: API }, status: "resolved", sinceMs: injectedAtMs }, 60);
      expect(resolved.receivedAtMs).toBeGreaterThan(injectedAtMs);
      timings.resolved(
        "socket drop 80%",
        "SocketClientsDrop warning",
        secondsBetween(injectedAtMs, resolved.receivedAtMs),
        "from injection, clients still down",
      );
    }, 70_000);

    it("sends resolved notifications for the others once the faults are cleared", async () => {
      const clearedAtMs = await inject(API, "reset");
      await inject(WORKERS, "reset");
      await inject(EDGE, "reset");
      await inject(FEED, "reset");
      const rest = cases().filter((c) => c.alert !== "SocketClientsDrop");
      const silent = rest.filter((c) => !sendsResolved(receiverFor(c.service, c.severity)));
      const loud = rest.filter((c) => sendsResolved(receiverFor(c.service, c.severity)));
      const deliveries = await Promise.all(
        loud.map((c) => delivered({ labels: { alertname: c.alert, service: c.service, ...c.labels }, status: "resolved", sinceMs: clearedAtMs }, 60)),
      );
      loud.forEach((c, i) => {
        expect(deliveries[i]!.receiver).toBe(receiverFor(c.service, c.severity));
        timings.resolved(
          c.fault,
          `${c.alert} ${c.severity}${c.labels.queue ? ` (${c.labels.queue})` : ""}`,
          secondsBetween(clearedAtMs, deliveries[i]!.receivedAtMs),
        );
      });
      // A receiver configured without resolved notifications gets none: the redirect keeps that.
      for (const c of silent) {
        timings.resolved(c.fault, `${c.alert} ${c.severity}${c.labels.queue ? ` (${c.labels.queue})` : ""}`, undefined, "receiver sends no resolved");
        expect(pipeline.sink.deliveries({ labels: { alertname: c.alert, service: c.service }, status: "resolved", sinceMs: injectedAtMs })).toEqual([]);
      }
    }, 90_000);
  });

  describe("a dependency down inhibits the alerts of the services that depend on it", () => {
    const isDownAlert = (a: AlertmanagerAlert) => DEPENDENCY_DOWN_ALERTS.includes(a.labels.alertname!);
    let injectedAtMs: number;

    it("pages RedisDown to each dependent's team: divan-redis (simulated) for divan-api, the real core-redis for core-api and workers", async () => {
      injectedAtMs = await inject(API, { dependencyDown: ["divan-redis"] });
      // core-redis is a real redis-server watched through its exporter: stopping it downs it for core-api and workers alike.
      await real(CORE_REDIS).stopServer();
      await metricUntil(`redis_up{job="${real(CORE_REDIS).job}"}`, (v) => v === 0, "the real redis_exporter to report Redis down");
      const expected = [
        { service: API, dependency: "divan-redis" },
        { service: CORE_API, dependency: "core-redis" },
        { service: WORKERS, dependency: "core-redis" },
      ];
      const pages = await Promise.all(
        expected.map((e) => delivered({ labels: { alertname: "RedisDown", severity: "critical", ...e }, status: "firing", sinceMs: injectedAtMs }, 30)),
      );
      expected.forEach((e, i) => {
        expect(pages[i]!.receiver).toBe(receiversOf(e.service).pager);
        expectContract(pages[i]!, e.service, "critical");
        timings.add({
          fault: `${e.dependency} down`,
          alert: `RedisDown critical (${e.service})`,
          receiver: pages[i]!.receiver,
          detectionSeconds: secondsBetween(injectedAtMs, pages[i]!.receivedAtMs),
        });
      });
    }, 45_000);

    it("holds the dependents' alerts (error rate, job failures) as inhibited by RedisDown, and notifies none of them", async () => {
      const dependents = [
        { alertname: "ServiceHighErrorRate", service: API, dependency: "divan-redis" },
        { alertname: "JobFailureSurge", service: API, dependency: "divan-redis" },
        { alertname: "ServiceHighErrorRate", service: CORE_API, dependency: "core-redis" },
        { alertname: "JobFailureSurge", service: WORKERS, dependency: "core-redis" },
      ];
      const alerts = await pollUntil(
        async () => {
          const all = await alertmanagerAlerts(pipeline.alertmanager.url);
          const found = dependents.map((d) => amAlert(all, { alertname: d.alertname, service: d.service }));
          return found.every((a) => a?.status.state === "suppressed") ? all : undefined;
        },
        "the dependents' alerts to fire and be inhibited",
        // ServiceHighErrorRate holds `for` 10m (10s compressed) before it fires at all.
        30_000 + 1000 * compressedSeconds("10m"),
      );
      for (const d of dependents) {
        const sources = alerts.filter((a) => a.labels.alertname === "RedisDown" && a.labels.dependency === d.dependency).map((a) => a.fingerprint);
        expect(amAlert(alerts, { alertname: d.alertname, service: d.service })!.status.inhibitedBy.some((fp) => sources.includes(fp))).toBe(true);
      }
      // Every other alert of those services is inhibited too; the down alerts themselves are not.
      for (const a of alerts.filter((x) => [API, CORE_API, WORKERS].includes(x.labels.service!))) {
        expect({ alert: a.labels.alertname, state: a.status.state }).toEqual({ alert: a.labels.alertname, state: isDownAlert(a) ? "active" : "suppressed" });
      }
      for (const d of dependents) {
        expect(pipeline.sink.deliveries({ labels: { alertname: d.alertname, service: d.service }, status: "firing", sinceMs: injectedAtMs })).toEqual([]);
      }
      // Observation, not a requirement: SLOErrorBudgetBurn has no `for`, so a page raised before RedisDown's 2m `for` ends is not muted.
      const early = pipeline.sink.deliveries({
        labels: { alertname: "SLOErrorBudgetBurn", service: API, severity: "critical" },
        status: "firing",
        sinceMs: injectedAtMs,
      });
      console.log(
        `SLO page of divan-api during divan-redis down: ${early.length === 0 ? "inhibited" : `notified ${secondsBetween(injectedAtMs, early[0]!.receivedAtMs).toFixed(1)} s after the fault, before RedisDown fired`}`,
      );
    }, 60_000);

    it("resolves RedisDown once the dependencies are back", async () => {
      const clearedAtMs = await inject(API, "reset");
      await real(CORE_REDIS).startServer();
      for (const [service, dependency] of [
        [API, "divan-redis"],
        [CORE_API, "core-redis"],
        [WORKERS, "core-redis"],
      ] as const) {
        const resolved = await delivered({ labels: { alertname: "RedisDown", service, dependency }, status: "resolved", sinceMs: clearedAtMs }, 30);
        expect(resolved.receiver).toBe(receiversOf(service).pager);
        timings.resolved(`${dependency} down`, `RedisDown critical (${service})`, secondsBetween(clearedAtMs, resolved.receivedAtMs));
      }
    }, 45_000);
  });

  describe("connection-pool exhaustion of core-postgres (core-api watches its pool)", () => {
    const POOL = { alertname: "PostgresConnectionsNearLimit", service: CORE_API, dependency: "core-postgres" };
    const FAULT = "core-postgres: connections opened up to max_connections";
    let injectedAtMs: number;

    let connections: Awaited<ReturnType<typeof openConnectionsToLimit>> | undefined;

    afterAll(async () => connections?.release());

    it("pages core-api's team with PostgresConnectionsNearLimit (critical), the warning held as inhibited by it", async () => {
      injectedAtMs = Date.now();
      // Real sessions, opened until the real Postgres refuses one: every slot of max_connections is taken.
      connections = await openConnectionsToLimit(pgTarget(real(CORE_POSTGRES).port));
      expect(connections.refusal).toMatch(/too many clients/);
      const job = real(CORE_POSTGRES).job;
      const max = await metricUntil(`pg_settings_max_connections{job="${job}"}`, (v) => v > 0, "max_connections from the exporter");
      await metricUntil(`sum(pg_stat_activity_count{job="${job}"})`, (v) => v >= max, "pg_stat_activity_count to reach max_connections");
      const page = await delivered({ labels: { ...POOL, severity: "critical" }, status: "firing", sinceMs: injectedAtMs }, 30);
      expect(page.receiver).toBe(receiversOf(CORE_API).pager);
      expectContract(page, CORE_API, "critical");
      timings.add({
        fault: FAULT,
        alert: "PostgresConnectionsNearLimit critical",
        receiver: page.receiver,
        detectionSeconds: secondsBetween(injectedAtMs, page.receivedAtMs),
      });
      // The warning (80%, for 10m) fires as well and the page mutes it: same alertname, service and dependency.
      const alerts = await pollUntil(
        async () => {
          const all = await alertmanagerAlerts(pipeline.alertmanager.url);
          return amAlert(all, { ...POOL, severity: "warning" })?.status.state === "suppressed" ? all : undefined;
        },
        "the pool warning to fire and be inhibited",
        30_000 + 1000 * compressedSeconds("10m"),
      );
      const critical = amAlert(alerts, { ...POOL, severity: "critical" })!;
      expect(amAlert(alerts, { ...POOL, severity: "warning" })!.status.inhibitedBy).toContain(critical.fingerprint);
      expect(pipeline.sink.deliveries({ labels: { ...POOL, severity: "warning" }, status: "firing", sinceMs: injectedAtMs })).toEqual([]);
    }, 60_000);

    it("resolves the page once the connections are back to normal", async () => {
      await connections!.release();
      connections = undefined;
      const clearedAtMs = Date.now();
      const resolved = await delivered({ labels: { ...POOL, severity: "critical" }, status: "resolved", sinceMs: clearedAtMs }, 30);
      expect(resolved.receiver).toBe(receiversOf(CORE_API).pager);
      timings.resolved(FAULT, "PostgresConnectionsNearLimit critical", secondsBetween(clearedAtMs, resolved.receivedAtMs));
    }, 45_000);
  });

  describe("the real core-postgres stopping", () => {
    const dependents = [CORE_API, WORKERS];
    // A failed phase must not leave Postgres down for the next ones.
    afterAll(() => real(CORE_POSTGRES).startServer());
    it("pages PostgresDown to core-api's and workers' teams once the real exporter reports pg_up 0, and resolves once Postgres is back", async () => {
      await real(CORE_POSTGRES).stopServer();
      const stoppedAtMs = Date.now();
      await metricUntil(`pg_up{job="${real(CORE_POSTGRES).job}"}`, (v) => v === 0, "the real postgres_exporter to report Postgres down");
      const pages = await Promise.all(
        dependents.map((service) =>
          delivered(
            { labels: { alertname: "PostgresDown", severity: "critical", service, dependency: CORE_POSTGRES }, status: "firing", sinceMs: stoppedAtMs },
            30,
          ),
        ),
      );
      dependents.forEach((service, i) => {
        expect(pages[i]!.receiver).toBe(receiversOf(service).pager);
        expectContract(pages[i]!, service, "critical");
        timings.add({
          fault: "core-postgres stopped",
          alert: `PostgresDown critical (${service})`,
          receiver: pages[i]!.receiver,
          detectionSeconds: secondsBetween(stoppedAtMs, pages[i]!.receivedAtMs),
        });
      });

      await real(CORE_POSTGRES).startServer();
      const backAtMs = Date.now();
      await metricUntil(`pg_up{job="${real(CORE_POSTGRES).job}"}`, (v) => v === 1, "the real postgres_exporter to reconnect");
      for (const service of dependents) {
        const resolved = await delivered(
          { labels: { alertname: "PostgresDown", service, dependency: CORE_POSTGRES }, status: "resolved", sinceMs: backAtMs },
          30,
        );
        expect(resolved.receiver).toBe(receiversOf(service).pager);
        timings.resolved("core-postgres stopped", `PostgresDown critical (${service})`, secondsBetween(backAtMs, resolved.receivedAtMs));
      }
    }, 90_000);
  });

  describe("core-api's readiness failing, probed by the real blackbox exporter", () => {
    it("pages ReadinessProbeFailing to core-api's team with the spec's readiness URL as instance, and resolves once it is ready again", async () => {
      const url = specOf(CORE_API).probes.readinessUrl!;
      const injectedAtMs = await inject(CORE_API, { readinessFailing: true });
      await metricUntil(`probe_success{job="blackbox",instance="${url}"}`, (v) => v === 0, "blackbox to see the readiness fail");
      const page = await delivered({ labels: { alertname: "ReadinessProbeFailing", service: CORE_API }, status: "firing", sinceMs: injectedAtMs }, 30);
      expect(page.receiver).toBe(receiversOf(CORE_API).pager);
      expectContract(page, CORE_API, "critical");
      expect(page.alert.labels.instance).toBe(url);
      timings.add({
        fault: "core-api readiness 503",
        alert: "ReadinessProbeFailing critical",
        receiver: page.receiver,
        detectionSeconds: secondsBetween(injectedAtMs, page.receivedAtMs),
      });

      const clearedAtMs = await inject(CORE_API, "reset");
      const resolved = await delivered({ labels: { alertname: "ReadinessProbeFailing", service: CORE_API }, status: "resolved", sinceMs: clearedAtMs }, 30);
      expect(resolved.receiver).toBe(receiversOf(CORE_API).pager);
      timings.resolved("core-api readiness 503", "ReadinessProbeFailing critical", secondsBetween(clearedAtMs, resolved.receivedAtMs));
    }, 70_000);
  });

  describe("faults made real on core-redis and core-postgres, seen on the real exporters' metrics", () => {
    let held: HeldFault | undefined;
    afterEach(async () => {
      await held?.release();
      held = undefined;
    });

    it("filling Redis past maxmemory evicts keys: redis_evicted_keys_total increases", async () => {
      const { port, job } = real(CORE_REDIS);
      const before = (await querySum(`redis_evicted_keys_total{job="${job}"}`)) ?? 0;
      const madeAtMs = Date.now();
      expect(await fillRedis(port)).toEqual([]);
      await metricUntil(`redis_evicted_keys_total{job="${job}"}`, (v) => v > before, "evictions");
      expect(await querySum(`redis_memory_max_bytes{job="${job}"}`)).toBeGreaterThan(0);
      // Sustained write pressure, as an overfull cache sees it: RedisEvictions needs evictions over its
      // whole `for`, and one burst leaves the rate's window within seconds.
      let writing = true;
      const pressure = (async () => {
        for (let round = 0; writing; round++) {
          // New key names each round: rewriting existing keys takes no new memory and evicts nothing.
          expect(await fillRedis(port, 2000, 1024, `e2e:pressure:${round}`)).toEqual([]);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      try {
        await plannedAlertFires("evictions", madeAtMs);
      } finally {
        writing = false;
        await pressure;
      }
      await flushRedis(port);
      await plannedAlertResolves("evictions", Date.now());
    }, 150_000);

    it("a lock held while another statement waits for it shows in pg_locks_count", async () => {
      const { port, job } = real(CORE_POSTGRES);
      const madeAtMs = Date.now();
      held = await holdConflictingLock(pgTarget(port));
      // The holder's ACCESS EXCLUSIVE lock, granted; the waiter's ACCESS SHARE request, not granted (counted too).
      expect(await metricUntil(`sum(pg_locks_count{job="${job}",mode="accessexclusivelock"})`, (v) => v >= 1, "the held lock")).toBeGreaterThanOrEqual(1);
      // The second statement really waits: its lock request is not granted.
      const observer = await pgConnect(pgTarget(port));
      const waiting = await exec(observer, "SELECT count(*) FROM pg_locks WHERE NOT granted");
      await observer.close();
      expect(Number(waiting.rows[0]![0])).toBeGreaterThanOrEqual(1);
      await plannedAlertFires("lockWaits", madeAtMs);
      await held.release();
      held = undefined;
      await metricUntil(`sum(pg_locks_count{job="${job}",mode="accessexclusivelock"})`, (v) => v === 0, "the lock released");
      await plannedAlertResolves("lockWaits", Date.now());
    }, 150_000);

    it("a deadlock between two transactions increments pg_stat_database_deadlocks", async () => {
      const { port, job } = real(CORE_POSTGRES);
      const selector = `pg_stat_database_deadlocks{job="${job}",datname="postgres"}`;
      const before = await metricUntil(selector, (v) => v >= 0, "the deadlock counter");
      const madeAtMs = Date.now();
      // Postgres aborts exactly one of the two transactions with SQLSTATE 40P01.
      expect(await forceDeadlock(pgTarget(port))).toEqual(["40P01"]);
      await metricUntil(selector, (v) => v === before + 1, "one more deadlock");
      await plannedAlertFires("deadlocks", madeAtMs);
      await plannedAlertResolves("deadlocks", Date.now());
    }, 150_000);

    it("a table left with 90% dead tuples shows in the bloat custom query: pg_table_bloat_ratio", async () => {
      const { port, job } = real(CORE_POSTGRES);
      const madeAtMs = Date.now();
      // 18,000 dead tuples: above PostgresTableBloat's default floor of 10,000.
      held = await bloatTable(pgTarget(port), 20_000);
      const ratio = await metricUntil(`pg_table_bloat_ratio{job="${job}",relname="e2e_bloat"}`, (v) => v >= 0.85, "the bloat ratio", 30_000);
      expect(ratio).toBeLessThanOrEqual(1);
      await plannedAlertFires("bloat", madeAtMs);
      await held.release();
      held = undefined;
      await metricUntil(`pg_table_bloat_ratio{job="${job}",relname="e2e_bloat"}`, (v) => v < 0.1, "the ratio after VACUUM", 30_000);
      await plannedAlertResolves("bloat", Date.now());
    }, 150_000);
  });

  describe("canaries: the canary runner's flows against the demo services (issue 17)", () => {
    it("runs every flow of the environment, in the runner and on the blackbox exporter, and each passes while the demos are healthy", async () => {
      const runnerFlows = pipeline.canaryRunner!.config.flows;
      expect(runnerFlows.length).toBeGreaterThan(3);
      const passing = await metricUntil(`count(canary_flow_success == 1)`, (v) => v === runnerFlows.length, "every runner flow to pass");
      expect(passing).toBe(runnerFlows.length);
      expect(flowOf(EDGE, LOGIN.canary).failAfterRuns).toBe(2);
      // And the single-request flows, as Probes of the real blackbox exporter (machinemate-api's /health and /api/v1/machines).
      expect(pipeline.canaryProbes.map((p) => `${p.service}/${p.canary}`)).toEqual(["machinemate-api/health", "machinemate-api/machines"]);
      await metricUntil(`count(probe_success{job="canary"} == 1)`, (v) => v === pipeline.canaryProbes.length, "every blackbox flow to pass");
    }, 30_000);
  });

  describe("the divan-api demo and the canary runner stopping", () => {
    it("fires TargetScrapeMissing and CanaryNotRunning (edge's login, within twice its schedule) to the teams' ticket receivers, and resolves both once back", async () => {
      await Promise.all([pipeline.demo.stopService(API), pipeline.canaryRunner!.stop()]);
      const stoppedAtMs = Date.now();
      const [missing, notRunning] = await Promise.all([
        delivered({ labels: { alertname: "TargetScrapeMissing", service: API }, status: "firing", sinceMs: stoppedAtMs }, 30),
        delivered({ labels: { alertname: "CanaryNotRunning", service: EDGE, canary: LOGIN.canary }, status: "firing", sinceMs: stoppedAtMs }, 40),
      ]);
      expect(missing.receiver).toBe(receiversOf(API).ticket);
      expectContract(missing, API, "warning");
      expect(missing.alert.labels.job).toBe(specOf(API).metrics.job);
      timings.add({
        fault: "demo stopped",
        alert: "TargetScrapeMissing warning",
        receiver: missing.receiver,
        detectionSeconds: secondsBetween(stoppedAtMs, missing.receivedAtMs),
      });
      expect(notRunning.receiver).toBe(receiversOf(EDGE).ticket);
      expectContract(notRunning, EDGE, "warning");
      const detection = secondsBetween(stoppedAtMs, notRunning.receivedAtMs);
      expect(detection).toBeGreaterThanOrEqual(compressedSeconds(flowOf(EDGE, LOGIN.canary).every));
      timings.add({ fault: "canary runner stopped", alert: "CanaryNotRunning warning", receiver: notRunning.receiver, detectionSeconds: detection });

      await Promise.all([pipeline.demo.startService(API), pipeline.canaryRunner!.start()]);
      const backAtMs = Date.now();
      const [resolved, runnerBack] = await Promise.all([
        delivered({ labels: { alertname: "TargetScrapeMissing", service: API }, status: "resolved", sinceMs: backAtMs }, 30),
        delivered({ labels: { alertname: "CanaryNotRunning", service: EDGE, canary: LOGIN.canary }, status: "resolved", sinceMs: backAtMs }, 40),
      ]);
      expect(resolved.receiver).toBe(receiversOf(API).ticket);
      timings.resolved("demo stopped", "TargetScrapeMissing warning", secondsBetween(backAtMs, resolved.receivedAtMs));
      timings.resolved("canary runner stopped", "CanaryNotRunning warning", secondsBetween(backAtMs, runnerBack.receivedAtMs));
    }, 90_000);
  });

  describe("the dead man's switch", () => {
    it("has received Watchdog on every compressed group interval throughout", () => {
      const beats = pipeline.sink.deliveries({ labels: { alertname: "Watchdog" }, status: "firing" });
      expect(new Set(beats.map((b) => b.receiver))).toEqual(new Set([profile().alerting.deadMansSwitch]));
      const interval = compressedSeconds(WATCHDOG_TIMING.group_interval);
      const gaps = beats.slice(1).map((b, i) => secondsBetween(beats[i]!.receivedAtMs, b.receivedAtMs));
      const span = secondsBetween(beats[0]!.receivedAtMs, Date.now());
      expect(beats.length).toBeGreaterThan(span / interval / 2);
      expect(Math.max(...gaps)).toBeLessThan(interval * 5);
      expect(secondsBetween(beats[beats.length - 1]!.receivedAtMs, Date.now())).toBeLessThan(interval * 5);
    });
  });

  describe("stopping the pipeline", () => {
    it("ends Prometheus, Alertmanager and the canary runner, closes the demo and the sink, and removes its files", async () => {
      const { prometheus, alertmanager, workDir, sink } = pipeline;
      const demoUrl = pipeline.demo.service(API).url;
      const runnerPid = pipeline.canaryRunner!.daemon().pid;
      await pipeline.stop();
      expect(isProcessAlive(runnerPid)).toBe(false);
      expect(isProcessAlive(prometheus.pid)).toBe(false);
      expect(isProcessAlive(alertmanager.pid)).toBe(false);
      for (const d of pipeline.dependencies!.dependencies) {
        expect({ dependency: d.name, running: d.isRunning(), exporter: isProcessAlive(d.exporter.pid) }).toEqual({
          dependency: d.name,
          running: false,
          exporter: false,
        });
      }
      expect(isProcessAlive(pipeline.dependencies!.blackbox!.pid)).toBe(false);
      expect(existsSync(workDir)).toBe(false);
      await expect(fetch(`${demoUrl}/metrics`)).rejects.toThrow();
      await expect(fetch(sink.url)).rejects.toThrow();
    }, 30_000);
  });
});
