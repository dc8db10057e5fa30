import { DashboardCursorSync, VariableRefresh, VariableSort } from "@grafana/grafana-foundation-sdk/dashboard";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { buildDashboards, dashboardUid, GENERATED_TAG, SERVICE_DASHBOARD_TAG, serviceDashboardKey, type DashboardArtifact } from "../../dashboards";
import { logqlSyntaxError, panelTargets, querySyntaxProblems } from "../../kit/dashboards/query-syntax";
import { assembleDashboard } from "../../kit/dashboards/dashboard";
import { timeseriesPanel } from "../../kit/dashboards/panels";
import { loadProfiles } from "../../environments";
import { buildGrafanaDatasources } from "../../helm-values/grafana-datasources";
import { datasourceReferences } from "../../artifacts/cross-object-invariants";
import { serviceCatalog } from "../../services";

const [prod] = loadProfiles(["prod"]);
const input = { runbookBaseUrl: prod!.runbookBaseUrl, namespace: prod!.namespace };
const dashboards = buildDashboards(serviceCatalog(), input);
const byUid = (uid: string) => dashboards.find((d) => d.uid === uid)!;
const panelsOf = (d: DashboardArtifact) => d.model.panels as any[];
const named = (d: DashboardArtifact, title: string) => panelsOf(d).filter((p) => p.title === title);

describe.each(dashboards.map((d) => [d.uid, d] as const))("dashboard %s", (_uid, d) => {
  it("parses every PromQL target with the PromQL grammar and every LogQL target with the LogQL grammar", () => {
    const targets = panelTargets(panelsOf(d));
    expect(targets.length).toBeGreaterThan(0);
    expect(querySyntaxProblems(panelsOf(d))).toEqual([]);
  });

  it("names only provisioned datasources", () => {
    const provisioned = new Set(buildGrafanaDatasources(prod!).map((s) => s.uid));
    const refs = datasourceReferences(d.model, d.uid);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect({ ref, provisioned: provisioned.has(ref.uid) }).toEqual({ ref, provisioned: true });
  });

  it("has unique panel ids and a grid within 24 columns without overlaps", () => {
    const panels = panelsOf(d);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x + w).toBeLessThanOrEqual(24);
      for (let cx = x; cx < x + w; cx++) {
        for (let cy = y; cy < y + h; cy++) {
          const cell = `${cx},${cy}`;
          expect(cells.has(cell) ? `${p.title} overlaps at ${cell}` : null).toBeNull();
          cells.add(cell);
        }
      }
    }
  });

  it("gives every time series and stat panel a unit", () => {
    for (const p of panelsOf(d).filter((p) => p.type === "timeseries" || p.type === "stat")) {
      expect({ panel: p.title, unit: typeof p.fieldConfig?.defaults?.unit }).toEqual({ panel: p.title, unit: "string" });
      expect(p.fieldConfig.defaults.unit.length).toBeGreaterThan(0);
    }
  });

  it("carries the house settings: UTC, 1m refresh, the last 6h, shared crosshair, read-only, the Services dropdown", () => {
    expect(d.model).toMatchObject({
      timezone: "utc",
      editable: false,
      graphTooltip: DashboardCursorSync.Crosshair,
      refresh: "1m",
      time: { from: "now-6h", to: "now" },
    });
    expect((d.model.tags as string[])[0]).toBe(GENERATED_TAG);
    expect(d.model.links).toEqual([
      expect.objectContaining({ title: "Services", type: "dashboards", tags: [SERVICE_DASHBOARD_TAG], asDropdown: true, keepTime: true, includeVars: false }),
    ]);
  });

  it("draws thresholds as dashed lines on exactly the time series that have some, and opens every panel link in a new tab", () => {
    for (const p of panelsOf(d).filter((p) => p.type === "timeseries")) {
      const hasSteps = p.fieldConfig.defaults.thresholds.steps.length > 1;
      expect({ panel: p.title, style: p.fieldConfig.defaults.custom.thresholdsStyle }).toEqual({
        panel: p.title,
        style: hasSteps ? { mode: "dashed" } : undefined,
      });
    }
    for (const link of panelsOf(d).flatMap((p) => p.links ?? [])) expect(link).toMatchObject({ type: "link", targetBlank: true, url: expect.any(String) });
  });

  it("holds nothing Grafana rewrites on save, and a uid derived from its key", () => {
    expect(d.model).not.toHaveProperty("id");
    expect(d.model).not.toHaveProperty("version");
    expect(d.model.uid).toBe(d.uid);
    expect(d.uid).toBe(dashboardUid(d.key));
    expect(d.uid.length).toBeLessThanOrEqual(40);
  });
});

describe("the dashboard set", () => {
  it("covers the platform views and one dashboard per service, each in its owner's folder", () => {
    expect(
      dashboards
        .filter((d) => d.folder === "platform")
        .map((d) => d.title)
        .sort(),
    ).toEqual([
      "Canaries",
      "Dependencies: Redis and Postgres",
      "Jobs and queues",
      "Observability stack health",
      "Platform overview",
      "Probes",
      "SLOs and error budgets",
      "Sockets and chat",
    ]);
    for (const service of serviceCatalog()) {
      const d = byUid(`obs-service-${service.name}`);
      expect(d.folder).toBe(service.team);
      expect(d.key).toBe(`service-${service.name}`);
    }
  });

  it("keeps the keys, and so the uids, the dashboards were created with", () => {
    // Changing one of these replaces the dashboard in Grafana and breaks its bookmarks.
    const keys = [
      "canaries",
      "dependencies-redis-and-postgres",
      "jobs-and-queues",
      "observability-stack-health",
      "platform-overview",
      "probes",
      "slos-and-error-budgets",
      "sockets-and-chat",
      ...serviceCatalog().map((s) => `service-${s.name}`),
    ];
    expect(Object.fromEntries(dashboards.map((d) => [d.key, d.uid]))).toEqual(Object.fromEntries(keys.map((key) => [key, `obs-${key}`])));
  });

  it("is the same on a second build: uids and bytes", () => {
    const again = buildDashboards(serviceCatalog(), input);
    expect(again.map((d) => d.uid)).toEqual(dashboards.map((d) => d.uid));
    expect(again.map((d) => JSON.stringify(d.model))).toEqual(dashboards.map((d) => JSON.stringify(d.model)));
  });

  it("draws divan-api's alert thresholds (5% 5xx, 400 ms p95) and links their runbooks", () => {
    const d = byUid("obs-service-divan-api");
    const [errors] = named(d, "5xx ratio").filter((p) => p.type === "timeseries");
    expect(errors.fieldConfig.defaults.unit).toBe("percentunit");
    expect(errors.fieldConfig.defaults.thresholds.steps).toEqual([
      { value: null, color: "green" },
      { value: 0.05, color: "red" },
    ]);
    expect(errors.links.map((l: any) => l.url)).toContain("https://runbooks.example.com/observability/ServiceHighErrorRate.md");
    const [latency] = named(d, "Latency quantiles");
    expect(latency.fieldConfig.defaults.thresholds.steps[1]).toEqual({ value: 0.4, color: "red" });
    // The service's own metric and label names are used as it declares them.
    const byRoute = named(d, "5xx ratio by route")[0];
    expect(byRoute.targets[0].expr).toContain('divan_http_requests_total{job="divan-api", route=~"$route", method=~"$method", status=~"5.."}');
    expect((d.model.templating as any).list.map((v: any) => v.name)).toEqual(["route", "method"]);
  });

  it("reads a service's sockets and jobs from the recorded series its alerts are built on", () => {
    const d = byUid("obs-service-divan-api");
    expect(named(d, "Connected clients by namespace")[0].targets[0].expr).toBe('service_socket:clients:sum{service="divan-api"}');
    expect(named(d, "Failure ratio by job")[0].targets[0].expr).toBe(
      'service_job:failures:rate5m{service="divan-api"} / on (service, job_name) service_job:runs:rate5m{service="divan-api"}',
    );
    expect(named(d, "Failure ratio by job")[0].fieldConfig.defaults.thresholds.steps[1]).toEqual({ value: 0.1, color: "red" });
  });

  it("links each service's panels to Explore on its logs and traces", () => {
    const d = byUid("obs-service-edge");
    const urls = named(d, "5xx ratio").flatMap((p) => (p.links ?? []).map((l: any) => decodeURIComponent(l.url)));
    expect(urls).toContainEqual(expect.stringContaining('"expr":"{service_name=\\"edge\\"}"'));
    expect(urls).toContainEqual(expect.stringContaining('"query":"{resource.service.name=\\"edge\\"}"'));
  });

  it("shows every SLO's burn rate per window against the alert factors, its budget and time to exhaustion", () => {
    const d = byUid("obs-slos-and-error-budgets");
    expect((d.model.templating as any).list.map((v: any) => [v.name, v.definition])).toEqual([
      ["service", "label_values(slo:objective:ratio, service)"],
      ["slo", 'label_values(slo:objective:ratio{service=~"$service"}, slo)'],
    ]);
    const burns = panelsOf(d).filter((p) => String(p.title).startsWith("Burn rate over "));
    expect(burns.map((p) => p.title)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map((w) => `Burn rate over ${w}`));
    for (const p of burns) expect(p.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 1, 3, 6, 14.4]);
    expect(burns[2].targets[0].expr).toBe(
      'slo:sli_error:ratio_rate1h{service=~"$service", slo=~"$slo"} / on (service, slo) (1 - slo:objective:ratio{service=~"$service", slo=~"$slo"})',
    );
    expect(named(d, "Error budget remaining")[0].fieldConfig.defaults.unit).toBe("percentunit");
    expect(named(d, "Time to exhaustion (1h trend)")[0].fieldConfig.defaults.unit).toBe("s");
  });

  it("keeps the platform dashboards independent of the catalog: the same with one service or all", () => {
    const platform = (services: ReturnType<typeof serviceCatalog>) =>
      buildDashboards(services, input)
        .filter((d) => d.folder === "platform")
        .map((d) => JSON.stringify(d.model));
    expect(platform(serviceCatalog().slice(0, 1))).toEqual(platform(serviceCatalog()));
  });

  it("shows a service's own SLO rows with its alert factors, in its dashboard", () => {
    const d = byUid("obs-service-edge");
    const burn = named(d, "Burn rate by window");
    // One per SLO of edge: availability, login availability and latency, reflect delivery p95 and median.
    expect(burn).toHaveLength(5);
    expect(burn[0].targets.map((t: any) => t.legendFormat)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    expect(burn[0].fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 1, 3, 6, 14.4]);
    // The median's own factors.
    expect(burn[4].fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 1.4, 1.8]);
  });

  it("lays out the platform overview: firing counts, every service's RED in its unit, every SLO's budget", () => {
    const d = byUid("obs-platform-overview");
    expect(panelsOf(d).map((p) => [p.type, p.title, p.fieldConfig?.defaults?.unit, p.gridPos])).toEqual([
      ["row", "Now", undefined, { h: 1, w: 24, x: 0, y: 0 }],
      ["stat", "Firing critical alerts", "short", { h: 5, w: 8, x: 0, y: 1 }],
      ["stat", "Firing warnings", "short", { h: 5, w: 8, x: 8, y: 1 }],
      ["stat", "SLOs out of budget", "short", { h: 5, w: 8, x: 16, y: 1 }],
      ["row", "Services", undefined, { h: 1, w: 24, x: 0, y: 6 }],
      ["timeseries", "Request rate", "reqps", { h: 8, w: 8, x: 0, y: 7 }],
      ["timeseries", "5xx ratio", "percentunit", { h: 8, w: 8, x: 8, y: 7 }],
      ["timeseries", "p95 latency", "s", { h: 8, w: 8, x: 16, y: 7 }],
      ["row", "SLO status", undefined, { h: 1, w: 24, x: 0, y: 15 }],
      ["stat", "Error budget remaining", "percentunit", { h: 6, w: 24, x: 0, y: 16 }],
    ]);
    const stats = panelsOf(d).filter((p) => p.type === "stat");
    expect(stats.map((p) => p.fieldConfig.defaults.thresholds.steps.map((s: any) => [s.value, s.color]))).toEqual([
      [
        [null, "green"],
        [1, "red"],
      ],
      [
        [null, "green"],
        [1, "orange"],
      ],
      [
        [null, "green"],
        [1, "red"],
      ],
      [
        [null, "red"],
        [0.25, "orange"],
        [0.5, "green"],
      ],
    ]);
    for (const p of stats) expect(p.targets).toEqual([expect.objectContaining({ instant: true, range: false })]);
    expect(d.model.templating).toEqual({});
  });

  it("gives divan-api's panels the unit of what they measure", () => {
    const unitOf = (type: string, title: string) =>
      panelsOf(byUid("obs-service-divan-api")).find((p) => p.type === type && p.title === title)!.fieldConfig.defaults.unit;
    expect(
      [
        ["stat", "Requests"],
        ["stat", "5xx ratio"],
        ["stat", "p95 latency"],
        ["stat", "Firing alerts"],
        ["timeseries", "Runs and failures by job"],
        ["stat", "Up"],
        ["stat", "Time to exhaustion (1h burn)"],
      ].map(([type, title]) => unitOf(type!, title!)),
    ).toEqual(["reqps", "percentunit", "s", "short", "ops", "bool_on_off", "h"]);
  });

  it("templates divan-api's RED rows by route and method, over its own counter", () => {
    const variable = (name: string, label: string, query: string) => ({
      type: "query",
      name,
      label,
      datasource: { type: "prometheus", uid: "prometheus" },
      query: { qryType: 1, query, refId: "PrometheusVariableQueryEditor-VariableQuery" },
      definition: query,
      refresh: VariableRefresh.OnTimeRangeChanged,
      sort: VariableSort.AlphabeticalAsc,
      multi: true,
      includeAll: true,
      allValue: ".*",
    });
    expect((byUid("obs-service-divan-api").model.templating as any).list).toEqual([
      expect.objectContaining(variable("route", "Route", 'label_values(divan_http_requests_total{job="divan-api"}, route)')),
      expect.objectContaining(variable("method", "Method", 'label_values(divan_http_requests_total{job="divan-api", route=~"$route"}, method)')),
    ]);
  });

  it("ends divan-api's dashboard with its error logs from Loki, linked to Explore", () => {
    const [logs] = panelsOf(byUid("obs-service-divan-api")).filter((p) => p.type === "logs");
    expect(logs).toMatchObject({
      title: "Error logs of divan-api",
      datasource: { type: "loki", uid: "loki" },
      targets: [{ refId: "A", datasource: { type: "loki", uid: "loki" }, expr: '{service_name="divan-api"} |~ "(?i)(error|exception|panic)"' }],
      options: { showTime: true, wrapLogMessage: true, enableLogDetails: true },
      gridPos: { w: 24, h: 10, x: 0 },
    });
    expect(logs.links.map((l: any) => l.title)).toEqual(["Logs of divan-api (Explore)", "Traces of divan-api (Explore)"]);
  });
});

describe("dashboard validation", () => {
  it("fails when a panel's PromQL is malformed, naming the dashboard and the panel", () => {
    const broken = timeseriesPanel({ title: "Broken", unit: units.Seconds, queries: [{ expr: "sum(rate(x[5m])" }] });
    expect(() => assembleDashboard({ key: "t", title: "T", description: "", folder: "platform", rows: [{ title: "r", panels: [broken] }] })).toThrow(
      /dashboard "T" has malformed queries:\n {2}- panel "Broken": malformed PromQL at offset \d+/,
    );
  });

  it("recognises malformed LogQL", () => {
    expect(logqlSyntaxError('{service_name="x"} |~ "error"')).toBeUndefined();
    expect(logqlSyntaxError('{service_name="x" |~')).toMatch(/^at offset \d+/);
  });

  it("keeps uids within Grafana's 40 characters, stable for long keys", () => {
    const long = "service-a-service-name-that-goes-on-and-on-and-on";
    expect(dashboardUid(long)).toHaveLength(40);
    expect(dashboardUid(long)).toMatch(/^obs-service-a-service-name-that-[0-9a-f]{8}$/);
    expect(dashboardUid(long)).toBe(dashboardUid(long));
    expect(dashboardUid(`${long}-2`)).not.toBe(dashboardUid(long));
  });

  it("keeps the uid when a dashboard is retitled: it derives from the key alone", () => {
    const definition = { key: "checkout-funnel", description: "", folder: "platform", rows: [] };
    const before = assembleDashboard({ ...definition, title: "Checkout funnel" });
    const after = assembleDashboard({ ...definition, title: "Checkout: funnel and drop-offs" });
    expect([before.uid, after.uid]).toEqual(["obs-checkout-funnel", "obs-checkout-funnel"]);
    expect([before.model.uid, after.model.uid]).toEqual(["obs-checkout-funnel", "obs-checkout-funnel"]);
    expect([before.model.title, after.model.title]).toEqual(["Checkout funnel", "Checkout: funnel and drop-offs"]);
  });

  it("derives a service dashboard's key from the service name", () => {
    expect(serviceDashboardKey({ name: "divan-api" })).toBe("service-divan-api");
    expect(dashboardUid(serviceDashboardKey({ name: "divan-api" }))).toBe("obs-service-divan-api");
  });

  it.each(["Platform overview", "platform_overview", "-probes", "probes-", "slos--budgets", ""])("fails when the key is not kebab-case: %j", (key) => {
    expect(() => assembleDashboard({ key, title: "Platform overview", description: "", folder: "platform", rows: [] })).toThrow(
      `dashboard key must be kebab-case (a-z and 0-9, words joined by single "-"), got ${JSON.stringify(key)} (dashboard "Platform overview")`,
    );
  });
});
