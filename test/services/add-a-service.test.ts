import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { generatedFiles } from "../../artifacts/generated-files";
import { isAlertingRule } from "../../kit/rule-types";
import { resolveReceivers } from "../../alertmanager/route-resolution";
import { buildAllArtifacts } from "../../app";
import { loadOpenSloServices, serviceCatalog, SERVICES } from "../../services";
import { buildCatalog } from "../../signals/catalog";
import { defineService, parseServiceSpec, type ServiceSpec, type ServiceSpecInput } from "../../signals/service-spec";
import { importOpenSlo } from "../../signals/slo/openslo-import";

const ROOT = path.resolve(__dirname, "../..");

/** The "Add a service" example of the README, as written there. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Add a service"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README has no ts example under ## Add a service");
  return match[1]!;
}

/** Loads the README example as services/<file> would be, returning its validated spec. */
function loadReadmeExample(): ServiceSpec {
  const file = path.join(ROOT, "services", `readme-example-${process.pid}.ts`);
  fs.writeFileSync(file, readmeExample());
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return parseServiceSpec(Object.values(require(file) as Record<string, ServiceSpecInput>)[0]);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe("adding a service with one defineService call (the README example)", () => {
  const spec = loadReadmeExample();
  const before = generatedFiles(buildAllArtifacts(undefined, serviceCatalog()));
  const withService = buildAllArtifacts(undefined, [...serviceCatalog(), spec]);
  const after = generatedFiles(withService);
  const envs = withService.map((a) => a.profile.name);

  it("needs no more than 25 lines for a typical HTTP service", () => {
    expect(readmeExample().trimEnd().split("\n").length).toBeLessThanOrEqual(25);
    expect(spec.name).toBe("checkout");
  });

  it("adds its rules, promtool tests, scrape and probe objects and dashboard in every environment, and changes nothing else", () => {
    const added = [...after.keys()].filter((f) => !before.has(f)).sort();
    expect(added).toEqual(
      envs
        .flatMap((env) => [
          `${env}/dashboards/obs-service-checkout.json`,
          `${env}/monitors/checkout.yaml`,
          `${env}/rules/checkout.yaml`,
          `${env}/rules/tests/checkout.yaml`,
        ])
        .sort(),
    );
    // Its routing: its Postgres dependency adds one inhibition rule to Alertmanager's configuration
    // (deployed through kube-prometheus-stack's values); every other file is byte for byte the same.
    const changed = [...before.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
    expect(changed).toEqual(envs.flatMap((env) => [`${env}/alertmanager.yaml`, `${env}/values/kube-prometheus-stack.yaml`]).sort());
    for (const env of envs) {
      const old = parse(before.get(`${env}/alertmanager.yaml`)!);
      const now = parse(after.get(`${env}/alertmanager.yaml`)!);
      expect({ ...now, inhibit_rules: undefined }).toEqual({ ...old, inhibit_rules: undefined });
      expect(now.inhibit_rules.filter((r: unknown) => !old.inhibit_rules.some((o: unknown) => JSON.stringify(o) === JSON.stringify(r)))).toEqual([
        {
          source_matchers: ['alertname=~"PostgresDown|RedisDown"', 'dependency="shop-postgres"'],
          target_matchers: ['service=~"checkout"', 'alertname!~"PostgresDown|RedisDown"'],
        },
      ]);
      const values = (files: Map<string, string>) => parse(files.get(`${env}/values/kube-prometheus-stack.yaml`)!);
      expect({ ...values(after), alertmanager: { ...values(after).alertmanager, config: undefined } }).toEqual({
        ...values(before),
        alertmanager: { ...values(before).alertmanager, config: undefined },
      });
      expect(values(after).alertmanager.config).toEqual(now);
    }
  });

  it.each(["local", "dev", "staging", "prod"])("%s: its alerts route to its team's receivers, with runbook links", (env) => {
    const a = withService.find((x) => x.profile.name === env)!;
    const team = a.profile.alerting.teams[spec.team];
    const alerts = a.ruleFiles.find((f) => f.fileName === "checkout.yaml")!.groups.flatMap((g) => g.rules.filter(isAlertingRule));
    expect(alerts.map((r) => r.alert)).toEqual(
      expect.arrayContaining(["SLOErrorBudgetBurn", "ServiceHighErrorRate", "PostgresDown", "ReadinessProbeFailing", "TargetScrapeMissing"]),
    );
    for (const alert of alerts) {
      const expected = alert.labels.severity === "critical" ? team.pager : team.ticket;
      expect([alert.alert, resolveReceivers(a.alertmanagerConfig.route, { ...alert.labels, alertname: alert.alert })]).toEqual([alert.alert, [expected]]);
      expect(alert.annotations.runbook_url).toBe(`${a.profile.runbookBaseUrl}/${alert.alert}.md`);
    }
  });

  it("scrapes it with a ServiceMonitor and probes its readiness URL, labelled for Prometheus' selectors", () => {
    const monitors = withService.find((x) => x.profile.name === "prod")!.monitorFiles.find((f) => f.fileName === "checkout.yaml")!;
    expect(monitors.manifests.map((m) => [m.kind, m.metadata.name])).toEqual([
      ["ServiceMonitor", "checkout"],
      ["Probe", "checkout-health"],
    ]);
    const [monitor, probe] = monitors.manifests as any[];
    expect(monitor.metadata.labels.release).toBe("kube-prometheus-stack");
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ["shop"] });
    expect(monitor.spec.selector).toEqual({ matchLabels: { "app.kubernetes.io/name": "checkout" } });
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: "http", path: "/metrics" });
    // The job label the rules select on, whatever the Service is called.
    expect(monitor.spec.endpoints[0].relabelings).toContainEqual({ action: "replace", targetLabel: "job", replacement: "checkout" });
    expect(probe.spec.targets.staticConfig.static).toEqual(["http://checkout.shop.svc:8080/health/ready"]);
    expect(probe.spec.prober.url).toBe("blackbox-exporter.observability.svc:9115");
  });
});

describe("the catalog", () => {
  const valid = (name: string, extra: Partial<ServiceSpecInput> = {}) => defineService({ name, team: "web", namespace: "shop", ...extra });

  it("lists every file of services/ in SERVICES: a service file left out of the list fails here", () => {
    const dir = path.join(ROOT, "services");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = Object.values(require(path.join(dir, file)) as Record<string, unknown>);
      expect([file, exported.length > 0 && exported.every((spec) => SERVICES.includes(spec as ServiceSpecInput))]).toEqual([file, true]);
    }
    // Every OpenSLO file of services/openslo/ too: each declares at least one service, all of them in SERVICES.
    const openslo = fs.readdirSync(path.join(dir, "openslo")).filter((f) => /\.ya?ml$/.test(f));
    const fromYaml = openslo.map((file) => {
      const names = importOpenSlo(file, fs.readFileSync(path.join(dir, "openslo", file), "utf8")).map((s) => s.name);
      expect([file, names.length > 0 && names.every((name) => SERVICES.some((s) => s.name === name))]).toEqual([file, true]);
      return names.length;
    });
    expect(openslo).toEqual(["data-sync.yaml"]);
    expect(SERVICES).toHaveLength(files.length + fromYaml.reduce((a, b) => a + b, 0));
  });

  it("loads OpenSLO files sorted by file name, and reports every file's problems at once", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openslo-"));
    try {
      const service = (name: string) =>
        `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: ${name}\n  labels:\n    observability-stack/team: web\n    observability-stack/namespace: shop\n`;
      fs.writeFileSync(path.join(dir, "b.yaml"), service("alpha"));
      fs.writeFileSync(path.join(dir, "a.yml"), service("zulu"));
      fs.writeFileSync(path.join(dir, "notes.md"), "not read");
      expect(loadOpenSloServices(dir).map((s) => s.name)).toEqual(["zulu", "alpha"]);
      fs.writeFileSync(path.join(dir, "c.yaml"), service("broken").replace("team: web", "owner: web"));
      fs.writeFileSync(path.join(dir, "d.yaml"), "apiVersion: openslo/v1\nkind: Service\nmetadata: {}\n");
      const c = path.join(dir, "c.yaml");
      const d = path.join(dir, "d.yaml");
      expect(() => loadOpenSloServices(dir)).toThrow(
        expect.objectContaining({
          subject: `invalid OpenSLO file ${JSON.stringify(c)}; invalid OpenSLO file ${JSON.stringify(d)}`,
          problems: [
            `metadata.labels.observability-stack/owner is not a known label (observability-stack/team, observability-stack/namespace, observability-stack/tier, observability-stack/job), got "web" (Service "broken", document 1 of ${c})`,
            `metadata.labels.observability-stack/team must be set to one value, got nothing (Service "broken", document 1 of ${c})`,
            `metadata.name must be a string, got nothing (Service, document 1 of ${d})`,
          ],
        }),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails when two services share a name", () => {
    expect(() => buildCatalog([valid("checkout"), valid("checkout")])).toThrow('name must be unique in the service catalog, got "checkout" twice');
  });

  it("fails when a downstream dependency names no service of the catalog", () => {
    const checkout = valid("checkout", { dependencies: [{ kind: "service", name: "payments" }] });
    expect(() => buildCatalog([checkout, valid("cart")])).toThrow(
      'dependencies[0].name must name a service of the catalog, got "payments" (service "checkout"; services: cart, checkout)',
    );
  });

  it("accepts a downstream dependency on a service listed later, and sorts by name", () => {
    const checkout = valid("checkout", { dependencies: [{ kind: "service", name: "payments" }] });
    expect(buildCatalog([valid("payments"), checkout]).map((s) => s.name)).toEqual(["checkout", "payments"]);
  });
});

describe("validation of defined services, with the catalog", () => {
  const valid = { name: "checkout", team: "web", namespace: "shop" };
  const validate = (input: ServiceSpecInput) => buildCatalog([defineService(input)]);

  it("fails when an objective is outside (0, 1)", () => {
    expect(() => validate({ ...valid, slos: [{ name: "availability", kind: "availability", objective: 1.5 }] })).toThrow(
      'slos[0].objective must be in (0, 1), got 1.5 (service "checkout", slo "availability")',
    );
  });

  it("fails when a latency threshold matches no histogram bucket", () => {
    expect(() =>
      validate({
        ...valid,
        metrics: { buckets: [0.1, 0.25, 0.5, 1] },
        slos: [{ name: "latency", kind: "latency", objective: 0.95, latencyThresholdSeconds: 0.3 }],
      }),
    ).toThrow(
      'slos[0].latencyThresholdSeconds must be one of the histogram\'s bucket boundaries (0.1, 0.25, 0.5, 1), got 0.3 (service "checkout", slo "latency")',
    );
  });

  it("fails when the team is empty", () => {
    expect(() => validate({ ...valid, team: "" })).toThrow('team must not be empty: every alert is routed by its team, got "" (service "checkout")');
  });
});
