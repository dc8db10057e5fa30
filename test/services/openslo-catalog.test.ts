import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { buildRuleFiles } from "../../rules";
import { isAlertingRule } from "../../kit/rule-types";
import { serviceCatalog } from "../../services";
import { run } from "../../scripts/openslo";
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
