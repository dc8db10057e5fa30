import { parse, parseAllDocuments } from "yaml";
import { parseServiceSpec, type ServiceSpecInput } from "../../signals/service-spec";
import { buildCatalog } from "../../signals/catalog";
import { exportOpenSlo, renderOpenSloYaml, DEADLINE_SKIP_REASON } from "../../signals/slo/openslo-export";
import { importOpenSlo, OpenSloImportError } from "../../signals/slo/openslo-import";
import { sliQueries } from "../../signals/slo/sli";
import { ledger } from "./slo-kinds-fixture";

const FILE = "teams/billing.yaml";

const SERVICE = `
apiVersion: openslo/v1
kind: Service
metadata:
  name: billing
  labels:
    observability-stack/team: web
    observability-stack/namespace: shop
    costCentre: project1
spec:
  description: Invoices.
`;

/** An SLO document with an inline ratio SLI on `bad`/`total` queries; `spec` lines replace or add to the defaults. */
function slo(name: string, extra = ""): string {
  return `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
  service: billing
  indicator:
    metadata:
      name: ${name}-sli
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: invoices_total{result="failed"}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: invoices_total
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
${extra}`;
}

const stream = (...docs: string[]) => docs.join("\n---\n");

/** The problem lines of a rejected file; fails when it is accepted. */
function problems(text: string): readonly string[] {
  try {
    importOpenSlo(FILE, text);
  } catch (error) {
    if (error instanceof OpenSloImportError) return error.problems;
    throw error;
  }
  throw new Error("expected the file to be rejected");
}

describe("OpenSLO import", () => {
  it("reads a Service and an SLO with an inline ratio SLI as a ratio SLO, the core from the Service's labels", () => {
    expect(importOpenSlo(FILE, stream(SERVICE, slo("invoices")))).toEqual([
      {
        name: "billing",
        team: "web",
        namespace: "shop",
        red: { enabled: false },
        slos: [
          {
            name: "invoices",
            kind: "ratio",
            objective: 0.99,
            numerator: { metric: "invoices_total", matchers: { result: "failed" } },
            numeratorCounts: "bad",
            denominator: { metric: "invoices_total", matchers: {} },
          },
        ],
      },
    ]);
  });

  it("reads an SLI document by indicatorRef, targetPercent, the calendar month in UTC, tier, job and the product's annotations", () => {
    const text = stream(
      `
apiVersion: openslo/v1
kind: Service
metadata:
  name: billing
  labels:
    observability-stack/team: web
    observability-stack/namespace: shop
    observability-stack/tier: tier-2
    observability-stack/job: billing-exporter
`,
      `
apiVersion: openslo/v1
kind: SLI
metadata:
  name: paid
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        metricSourceRef: prometheus
        spec:
          query: 'payments_total{job="billing-exporter", outcome="paid"}'
    total:
      metricSource:
        type: Prometheus
        spec:
          query: attempts_total{kind="card",region='eu'}
`,
      `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: billing-payments
  displayName: Payments go through
  annotations:
    observability-stack/slo: payments
    observability-stack/min-events-per-second: "0.5"
    observability-stack/burn-rate-alerts: '[{"severity":"critical","factor":10,"longWindow":"1h","shortWindow":"5m"}]'
    example.org/dashboard: https://grafana.example.com/d/1
spec:
  service: billing
  indicatorRef: paid
  timeWindow:
    - duration: 1M
      calendar:
        startTime: 2024-03-01 00:00:00
        timeZone: UTC
  budgetingMethod: Occurrences
  objectives:
    - displayName: three nines
      targetPercent: 99.9
`,
    );
    expect(importOpenSlo(FILE, text)).toEqual([
      {
        name: "billing",
        team: "web",
        namespace: "shop",
        tier: "tier-2",
        metrics: { job: "billing-exporter" },
        red: { enabled: false },
        slos: [
          {
            name: "payments",
            kind: "ratio",
            objective: 0.999,
            period: "calendar-month",
            numerator: { metric: "payments_total", matchers: { outcome: "paid" } },
            numeratorCounts: "good",
            denominator: { metric: "attempts_total", matchers: { kind: "card", region: "eu" } },
            minEventsPerSecond: 0.5,
            burnRateAlerts: [{ severity: "critical", factor: 10, longWindow: "1h", shortWindow: "5m" }],
          },
        ],
      },
    ]);
  });

  it("maps every rolling window the product has", () => {
    for (const duration of ["7d", "28d", "30d", "90d"]) {
      const [service] = importOpenSlo(FILE, stream(SERVICE, slo("invoices", `  timeWindow:\n    - duration: ${duration}\n      isRolling: true`)));
      expect([duration, parseServiceSpec(service).slos[0]!.period]).toEqual([duration, duration]);
    }
  });

  it("gives a file's services to the catalog, which checks them as it checks TypeScript services", () => {
    const services = importOpenSlo(FILE, stream(SERVICE, slo("invoices")));
    expect(buildCatalog(services).map((s) => [s.name, s.slos.map((x) => [x.name, x.kind, x.period, x.objective])])).toEqual([
      ["billing", [["invoices", "ratio", "30d", 0.99]]],
    ]);
  });

  it("fails naming each field the product cannot express, its value and its document, all at once", () => {
    const text = stream(
      SERVICE,
      `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: latency
spec:
  service: billing
  indicator:
    metadata:
      name: latency-sli
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: 2024-03-01 00:00:00
        timeZone: Europe/Berlin
  budgetingMethod: Timeslices
  objectives:
    - op: lte
      value: 0.25
      target: 0.95
      timeSliceTarget: 0.9
      timeSliceWindow: 1m
    - target: 0.99
`,
      `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: errors
spec:
  service: billing
  indicator:
    metadata:
      name: errors-sli
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Datadog
            spec:
              query: sum:errors{*}.as_count()
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(requests_total[5m]))
  timeWindow:
    - duration: 14d
      isRolling: true
  budgetingMethod: RatioTimeslices
  objectives:
    - target: 0.99
  alertPolicies:
    - fast-burn
`,
    );
    expect(problems(text)).toEqual([
      'spec.indicator.spec.thresholdMetric is not supported: an SLI here is good and total events, a ratioMetric of counters, got {"metricSource":{"type":"Prometheus","spec":{"query":"histogram_quantile(0.95... (SLO "latency", document 2 of teams/billing.yaml)',
      'spec.timeWindow[0].calendar.timeZone must be UTC: the product\'s month starts on the 1st at 00:00 UTC, got "Europe/Berlin" (SLO "latency", document 2 of teams/billing.yaml)',
      'spec.budgetingMethod must be Occurrences: the product budgets good and total events (Timeslices and RatioTimeslices are not supported), got "Timeslices" (SLO "latency", document 2 of teams/billing.yaml)',
      'spec.objectives must hold one objective: an SLO of the product has one (declare an SLO per objective), got [{"op":"lte","value":0.25,"target":0.95,"timeSliceTarget":0.9,"timeSliceWindo... (SLO "latency", document 2 of teams/billing.yaml)',
      'spec.indicator.spec.ratioMetric.bad.metricSource.type must be Prometheus, the product\'s metrics store (a metricSourceRef alone is not read), got "Datadog" (SLO "errors", document 3 of teams/billing.yaml)',
      'spec.indicator.spec.ratioMetric.bad.metricSource.spec.query must be a plain selector of a counter, metric{label="value",...}; this one is not valid PromQL (at offset 11 near "sum:errors{*}.as_count("), got "sum:errors{*}.as_count()" (SLO "errors", document 3 of teams/billing.yaml)',
      'spec.indicator.spec.ratioMetric.total.metricSource.spec.query must be a plain selector of a counter, metric{label="value",...}; this one is no plain selector: it is an aggregation, got "sum(rate(requests_total[5m]))" (SLO "errors", document 3 of teams/billing.yaml)',
      'spec.timeWindow[0].duration must be 7d, 28d, 30d, 90d for a rolling window (1M on the calendar), got "14d" (SLO "errors", document 3 of teams/billing.yaml)',
      'spec.budgetingMethod must be Occurrences: the product budgets good and total events (Timeslices and RatioTimeslices are not supported), got "RatioTimeslices" (SLO "errors", document 3 of teams/billing.yaml)',
      'spec.alertPolicies must be left out: the product builds its burn-rate alerts (annotation observability-stack/burn-rate-alerts), got ["fast-burn"] (SLO "errors", document 3 of teams/billing.yaml)',
    ]);
  });

  it("fails on an objective's threshold and time-slice fields, an unknown field, selectors that match by regex or another job, and other source fields", () => {
    const raw = `
apiVersion: openslo/v1
kind: SLI
metadata:
  name: raw-ratio
spec:
  ratioMetric:
    counter: false
    rawType: success
    raw:
      metricSource:
        type: Prometheus
        spec:
          query: job:success:ratio
`;
    const text = stream(
      SERVICE,
      raw,
      slo("one", "").replace("objectives:\n    - target: 0.99", "objectives:\n    - target: 0.99\n      op: gte\n      timeSliceWindow: 5m"),
      slo("two").replace("indicator:\n    metadata:\n      name: two-sli\n    spec:", "indicatorRef: raw-ratio\n  unused:\n    spec:"),
      slo("three")
        .replace('invoices_total{result="failed"}', 'invoices_total{result=~"failed|timeout",job="other"}')
        .replace("query: invoices_total\n", 'query: invoices_total{job="billing"}\n              step: 60\n'),
    );
    expect(problems(text)).toEqual([
      'spec.unused is not a known field (SLO "two", document 4 of teams/billing.yaml)',
      'spec.objectives[0].op is only for a thresholdMetric, which is not supported, got "gte" (SLO "one", document 3 of teams/billing.yaml)',
      'spec.objectives[0].timeSliceWindow is only for Timeslices budgeting, which is not supported, got "5m" (SLO "one", document 3 of teams/billing.yaml)',
      'spec.indicator.spec.ratioMetric.bad.metricSource.spec.query must match labels by equality only (label="value"), not result=~"failed|timeout", got "invoices_total{result=~\\"failed|timeout\\",job=\\"other\\"}" (SLO "three", document 5 of teams/billing.yaml)',
      'spec.indicator.spec.ratioMetric.bad.metricSource.spec.query must select the service\'s scrape job "billing" or leave job out (every series is matched on it), not job="other", got "invoices_total{result=~\\"failed|timeout\\",job=\\"other\\"}" (SLO "three", document 5 of teams/billing.yaml)',
      'spec.indicator.spec.ratioMetric.total.metricSource.spec.step is not supported: a Prometheus metric source has only query here, got 60 (SLO "three", document 5 of teams/billing.yaml)',
    ]);
  });

  it("fails naming an SLI document's raw ratio and gauge in the SLI document, and an SLI no SLO names", () => {
    const text = stream(
      SERVICE,
      `
apiVersion: openslo/v1
kind: SLI
metadata:
  name: raw-ratio
spec:
  ratioMetric:
    counter: false
    rawType: success
    raw:
      metricSource:
        type: Prometheus
        spec:
          query: job:success:ratio
`,
      `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: by-ref
spec:
  service: billing
  indicatorRef: raw-ratio
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
`,
    );
    expect(problems(text)).toEqual([
      'spec.ratioMetric.raw is not supported: a precomputed ratio has no events to budget; give good or bad, and total, got {"metricSource":{"type":"Prometheus","spec":{"query":"job:success:ratio"}}} (SLI "raw-ratio", document 2 of teams/billing.yaml)',
      'spec.ratioMetric.rawType is not supported: it goes with raw, got "success" (SLI "raw-ratio", document 2 of teams/billing.yaml)',
      'spec.ratioMetric.counter must be true: the product reads counters, not gauges, got false (SLI "raw-ratio", document 2 of teams/billing.yaml)',
    ]);
    const unused = text.replace("indicatorRef: raw-ratio", "indicatorRef: raw-ratio\n  indicator: {}").replace("name: raw-ratio", "name: spare");
    expect(problems(unused)).toEqual(
      expect.arrayContaining(['metadata.name must be named by an SLO\'s indicatorRef, got "spare" (SLI "spare", document 2 of teams/billing.yaml)']),
    );
  });

  it("fails on documents it does not read, a missing Service, unknown references and missing labels", () => {
    const text = stream(
      `
apiVersion: openslo/v1
kind: Service
metadata:
  name: billing
  labels:
    observability-stack/team: [web, data]
    observability-stack/owner: alice
`,
      `
apiVersion: openslo/v1
kind: DataSource
metadata:
  name: prometheus
spec:
  type: Prometheus
`,
      `
apiVersion: openslo/v2alpha
kind: SLO
metadata:
  name: future
spec: {}
`,
      slo("orphan").replace("service: billing", "service: payments"),
      slo("by-ref").replace("indicator:\n    metadata:\n      name: by-ref-sli\n    spec:", "indicatorRef: missing\n  x:\n    spec:").replace("  x:\n", "  "),
    );
    const lines = problems(text);
    expect(lines).toEqual(
      expect.arrayContaining([
        'kind must be one of Service, SLO, SLI, got "DataSource" (DataSource "prometheus", document 2 of teams/billing.yaml)',
        'apiVersion must be one of openslo/v1, got "openslo/v2alpha" (SLO "future", document 3 of teams/billing.yaml)',
        'spec.service must name a Service document of the file (billing), got "payments" (SLO "orphan", document 4 of teams/billing.yaml)',
        'metadata.labels.observability-stack/owner is not a known label (observability-stack/team, observability-stack/namespace, observability-stack/tier, observability-stack/job), got "alice" (Service "billing", document 1 of teams/billing.yaml)',
        'metadata.labels.observability-stack/team must be set to one value, got ["web","data"] (Service "billing", document 1 of teams/billing.yaml)',
        'metadata.labels.observability-stack/namespace must be set to one value, got nothing (Service "billing", document 1 of teams/billing.yaml)',
      ]),
    );
  });

  it("fails with the service schema's problems, naming the document field each came from, and returns nothing", () => {
    const text = stream(
      SERVICE.replace("team: web", "team: finance"),
      slo("Invoices_SLO", "  timeWindow:\n    - duration: 7d\n      isRolling: true").replace("target: 0.99", "target: 0"),
    );
    expect(problems(text)).toEqual([
      'team must be a declared team (platform, social, web, core, data, ai, growth, media; declared in model/teams.ts), got "finance" (service "billing", from metadata.labels.observability-stack/team of Service "billing", document 1 of teams/billing.yaml)',
      'slos[0].name must be kebab-case (a-z, 0-9 and \'-\'), got "Invoices_SLO" (service "billing", slo "Invoices_SLO", from metadata.name of SLO "Invoices_SLO", document 2 of teams/billing.yaml)',
      'slos[0].objective must be in (0, 1), got 0 (service "billing", slo "Invoices_SLO", from spec.objectives[0].target of SLO "Invoices_SLO", document 2 of teams/billing.yaml)',
    ]);
  });

  it("fails on YAML that does not parse, naming the document", () => {
    expect(problems(stream(SERVICE, "kind: [SLO"))).toEqual([expect.stringMatching(/^document 2 of teams\/billing\.yaml is not valid YAML: /)]);
  });
});

describe("OpenSLO export", () => {
  const exported = exportOpenSlo([ledger]);
  const docs = exported.documents.get("ledger")!;
  const sloDoc = (name: string) => docs.find((d) => (d.metadata as { name: string }).name === `ledger-${name}`) as any;

  it("writes the Service with the core as labels, then every SLO it can express, and names the one it skips", () => {
    expect(docs[0]).toEqual({
      apiVersion: "openslo/v1",
      kind: "Service",
      metadata: { name: "ledger", labels: { "observability-stack/team": "data", "observability-stack/namespace": "ledger" } },
      spec: {},
    });
    expect(docs.slice(1).map((d) => (d.metadata as { name: string }).name)).toEqual([
      "ledger-import-duration",
      "ledger-ai-errors",
      "ledger-ai-success",
      "ledger-sync-freshness",
      "ledger-sync-age",
      "ledger-lag-median",
    ]);
    expect(exported.skipped).toEqual([{ service: "ledger", slo: "digest", reason: DEADLINE_SKIP_REASON }]);
  });

  it("writes a latency SLO as the threshold's bucket over the histogram's count, with its period and custom burn alerts", () => {
    expect(sloDoc("import-duration")).toEqual({
      apiVersion: "openslo/v1",
      kind: "SLO",
      metadata: { name: "ledger-import-duration", annotations: { "observability-stack/slo": "import-duration", "observability-stack/kind": "latency" } },
      spec: {
        service: "ledger",
        indicator: {
          metadata: { name: "ledger-import-duration" },
          spec: {
            ratioMetric: {
              counter: true,
              good: { metricSource: { type: "Prometheus", spec: { query: 'job_duration_ms_bucket{job="ledger",job_type="import",le=~"60000|60000\\\\.0"}' } } },
              total: { metricSource: { type: "Prometheus", spec: { query: 'job_duration_ms_count{job="ledger",job_type="import"}' } } },
            },
          },
        },
        timeWindow: [{ duration: "90d", isRolling: true }],
        budgetingMethod: "Occurrences",
        objectives: [{ target: 0.95 }],
      },
    });
    expect(sloDoc("lag-median").metadata.annotations["observability-stack/burn-rate-alerts"]).toBe(
      '[{"severity":"critical","factor":1.8,"longWindow":"1h","shortWindow":"5m"},{"severity":"warning","factor":1.2,"longWindow":"6h","shortWindow":"30m"}]',
    );
  });

  it("exports the counters the product's own SLI reads, job matcher included", () => {
    for (const name of ["import-duration", "ai-errors", "ai-success", "lag-median"]) {
      const spec = ledger.slos.find((s) => s.name === name)!;
      const ratio = sloDoc(name).spec.indicator.spec.ratioMetric;
      const numerator = (ratio.good ?? ratio.bad).metricSource.spec.query;
      const queries = sliQueries(ledger, spec);
      // A bad numerator is read inside good = total - bad.
      expect([name, queries.goodRate]).toEqual([name, expect.stringContaining(`rate(${numerator}[5m])`)]);
      expect([name, queries.totalRate]).toEqual([name, expect.stringContaining(`rate(${ratio.total.metricSource.spec.query}[5m])`)]);
    }
  });

  it("approximates freshness by a threshold on the data's age in Timeslices of 1m, and says so", () => {
    const doc = sloDoc("sync-freshness");
    expect(doc.spec.indicator.spec).toEqual({
      thresholdMetric: {
        metricSource: { type: "Prometheus", spec: { query: 'time() - max(sync_last_success_timestamp_seconds{job="ledger",table="favorites"})' } },
      },
    });
    expect(doc.spec.timeWindow).toEqual([{ duration: "1M", isRolling: false, calendar: { startTime: "2020-01-01 00:00:00", timeZone: "UTC" } }]);
    expect(doc.spec.budgetingMethod).toBe("Timeslices");
    expect(doc.spec.objectives).toEqual([{ op: "lte", value: 120, target: 0.99, timeSliceTarget: 1, timeSliceWindow: "1m" }]);
    expect(doc.metadata.annotations["observability-stack/approximation"]).toMatch(/^the product counts each second the data is fresh/);
    expect(sloDoc("sync-age").spec.indicator.spec.thresholdMetric.metricSource.spec.query).toBe('min(sync_lag_seconds{job="ledger"})');
  });

  it("renders one YAML stream whose documents parse back to what was exported", () => {
    const text = renderOpenSloYaml(docs);
    expect(parseAllDocuments(text).map((d) => d.toJS())).toEqual(docs);
    expect(parse(text.split("---\n")[0]!)).toEqual(docs[0]);
  });
});

describe("OpenSLO round trip", () => {
  const input: ServiceSpecInput = {
    name: "ledger",
    team: "data",
    namespace: "ledger",
    tier: "tier-3",
    metrics: { job: "ledger-exporter" },
    red: { enabled: false },
    slos: [
      {
        name: "ai-errors",
        kind: "ratio",
        objective: 0.995,
        period: "calendar-month",
        numerator: { metric: "ai_request_errors_total", matchers: { endpoint: "reflect" } },
        numeratorCounts: "bad",
        denominator: { metric: "ai_request_total", matchers: { endpoint: "reflect" } },
        minEventsPerSecond: 0.25,
        burnRateAlerts: [{ severity: "critical", factor: 10, longWindow: "1h", shortWindow: "5m" }],
      },
      {
        name: "ai-success",
        kind: "ratio",
        objective: 0.99,
        period: "28d",
        numerator: { metric: "ai_request_ok_total", matchers: {} },
        numeratorCounts: "good",
        denominator: { metric: "ai_request_total", matchers: {} },
      },
    ],
  };

  it("imports an exported ratio SLO back to the same spec", () => {
    const spec = parseServiceSpec(input);
    const text = renderOpenSloYaml(exportOpenSlo([spec]).documents.get("ledger")!);
    const [imported, ...rest] = importOpenSlo("ledger.yaml", text);
    expect(rest).toEqual([]);
    expect(parseServiceSpec(imported)).toEqual(spec);
  });
});
