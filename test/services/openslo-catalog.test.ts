import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { buildRuleFiles } from "../../rules";
import { isAlertingRule } from "../../kit/rule-types";
import { serviceCatalog } from "../../services";
import { run } from "../../scripts/openslo";
import { importOpenSlo } from "../../signals/slo/openslo-import";
import { CTX } from "../support/context";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "services/openslo/data-sync.yaml");

describe("the OpenSLO example file (spec 004's data sync)", () => {
  const dataSync = serviceCatalog().find((s) => s.name === "data-sync")!;

  it("joins the catalog: team core in namespace machinemate, failed sync runs over all runs at 99% over 28d", () => {
    expect([dataSync.team, dataSync.namespace, dataSync.red.enabled, dataSync.metrics.job]).toEqual(["core", "machinemate", false, "data-sync"]);
    expect(dataSync.slos).toEqual([
      expect.objectContaining({
        name: "sync-success",
        kind: "ratio",
        objective: 0.99,
        period: "28d",
        periodDays: 28,
        numerator: { metric: "sync_runs_total", matchers: { status: "failed" } },
        numeratorCounts: "bad",
        denominator: { metric: "sync_runs_total", matchers: {} },
      }),
    ]);
  });

  it("gets the SLO's recorded SLI on its scrape job and a page and a ticket burn-rate alert for team core", () => {
    const rules = buildRuleFiles([dataSync], CTX)[0]!.groups.flatMap((g) => g.rules);
    expect(JSON.stringify(rules)).toContain('rate(sync_runs_total{job=\\"data-sync\\",status=\\"failed\\"}[5m])');
    const burns = rules.filter(isAlertingRule).filter((r) => r.alert === "SLOErrorBudgetBurn");
    expect(burns.map((r) => [r.labels.slo, r.labels.team, r.labels.severity])).toEqual([
      ["sync-success", "core", "critical"],
      ["sync-success", "core", "warning"],
    ]);
  });
});

describe("the README's OpenSLO section", () => {
  it("shows a file that imports to the same service as the example file", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## OpenSLO")))![1]!;
    expect(importOpenSlo("README.md", yaml)).toEqual(importOpenSlo(EXAMPLE, fs.readFileSync(EXAMPLE, "utf8")));
  });

  it("shows the problems of a threshold SLO budgeted by Timeslices as the import reports them", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## OpenSLO"));
    const shown = /```\n(invalid OpenSLO file[\s\S]*?)```/.exec(section)![1]!.trimEnd().split("\n");
    const latency = [
      "apiVersion: openslo/v1",
      "kind: SLO",
      "metadata:",
      "  name: sync-latency",
      "spec:",
      "  service: data-sync",
      "  indicator:",
      "    metadata:",
      "      name: sync-duration",
      "    spec:",
      "      thresholdMetric:",
      "        metricSource: { type: Prometheus, spec: { query: 'max(sync_duration_seconds)' } }",
      "  budgetingMethod: Timeslices",
      "  objectives: [{ op: lte, value: 60, target: 0.99, timeSliceTarget: 0.9, timeSliceWindow: 1m }]",
    ].join("\n");
    const file = "services/openslo/data-sync.yaml";
    let lines: readonly string[] = [];
    try {
      importOpenSlo(file, `${fs.readFileSync(EXAMPLE, "utf8")}---\n${latency}\n`);
    } catch (error) {
      lines = (error as { problems: readonly string[] }).problems;
    }
    // The README shows the first two lines, a long value elided as {...}.
    expect(lines.length).toBeGreaterThan(2);
    expect(shown[0]).toBe(`invalid OpenSLO file ${JSON.stringify(file)}:`);
    shown.slice(1).forEach((line, i) => {
      const pattern = line
        .slice(4)
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace("\\{\\.\\.\\.\\}", "\\{.*");
      expect(lines[i]).toMatch(new RegExp(`^${pattern}$`));
    });
  });
});

describe("npm run openslo", () => {
  it("imports the example file and prints the spec a TypeScript service would write", async () => {
    const result = await run(["import", EXAMPLE]);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        name: "data-sync",
        team: "core",
        namespace: "machinemate",
        red: { enabled: false },
        slos: [
          {
            name: "sync-success",
            kind: "ratio",
            objective: 0.99,
            period: "28d",
            numerator: { metric: "sync_runs_total", matchers: { status: "failed" } },
            numeratorCounts: "bad",
            denominator: { metric: "sync_runs_total", matchers: {} },
          },
        ],
      },
    ]);
  });

  it("fails on a file whose service takes a name of the catalog, or whose SLO the product cannot express, with exit code 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openslo-cli-"));
    try {
      const clash = path.join(dir, "clash.yaml");
      fs.writeFileSync(
        clash,
        fs
          .readFileSync(EXAMPLE, "utf8")
          .replace(/name: data-sync\n/, "name: edge\n")
          .replace("service: data-sync", "service: edge"),
      );
      expect(await run(["import", clash])).toEqual({
        code: 1,
        stdout: "",
        stderr: 'invalid service catalog:\n  - name must be unique in the service catalog, got "edge" twice',
      });
      const timeslices = path.join(dir, "timeslices.yaml");
      fs.writeFileSync(timeslices, fs.readFileSync(EXAMPLE, "utf8").replace("budgetingMethod: Occurrences", "budgetingMethod: Timeslices"));
      const refused = await run(["import", timeslices]);
      expect([refused.code, refused.stderr.split("\n")]).toEqual([
        1,
        [
          `invalid OpenSLO file ${JSON.stringify(timeslices)}:`,
          `  - spec.budgetingMethod must be Occurrences: the product budgets good and total events (Timeslices and RatioTimeslices are not supported), got "Timeslices" (SLO "sync-success", document 2 of ${timeslices})`,
        ],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exports every SLO of the catalog, one file per service with --out, which imports back for the ratio SLOs", async () => {
    const printed = await run(["export"]);
    expect(printed.code).toBe(0);
    const documents = parseAllDocuments(printed.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    const sloCount = serviceCatalog().reduce((n, s) => n + s.slos.filter((x) => x.kind !== "deadline").length, 0);
    expect(documents.filter((d) => d.kind === "SLO")).toHaveLength(sloCount);
    expect(documents.filter((d) => d.kind === "Service").map((d) => d.metadata.name)).toEqual(
      serviceCatalog()
        .filter((s) => s.slos.length > 0)
        .map((s) => s.name),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openslo-out-"));
    try {
      const written = await run(["export", "--out", dir]);
      expect([written.code, written.stderr.split("\n").at(-1)]).toEqual([0, `wrote ${documents.filter((d) => d.kind === "Service").length} files to ${dir}`]);
      const back = await run(["import", path.join(dir, "data-sync.yaml")]);
      expect(back.code).toBe(0);
      expect(JSON.parse(back.stdout)[0].slos[0]).toEqual(expect.objectContaining({ name: "sync-success", kind: "ratio", objective: 0.99, period: "28d" }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints its usage for an unknown command, with exit code 2", async () => {
    expect(await run(["publish"])).toEqual({ code: 2, stdout: "", stderr: expect.stringMatching(/^usage: npm run openslo -- export \[--out <dir>\]/) });
    expect((await run(["export", "--out"])).code).toBe(2);
    expect((await run(["import"])).code).toBe(2);
  });
});
