/**
 * The catalog's SLOs whose burn-rate alerts are not the defaults (edge's reflect-delivery median),
 * promtool-tested on their own rule groups with every severity, labels and annotations complete, and
 * its deadline SLOs (workers' weekly digest) at a 5m step on their own rules:
 * the service's generated test file holds only the page path (signals/slo/promtool.ts,
 * `SloTestScope`), and the default conditions are proven by kind and period in test/signals.
 */
import { buildRuleFiles } from "../../rules";
import { serviceRuleFileName } from "../../rules/rule-files";
import { PROMTOOL_EVALUATION_INTERVAL } from "../../rules/promtool-test-files";
import { DEFAULT_BURN_RATE_ALERTS } from "../../signals/slo/burn-rate";
import { sloBurnTestGroups } from "../../signals/slo/promtool";
import { serviceCatalog } from "../../services";
import { CTX } from "../support/context";
import { expectPromtoolTestPasses } from "../support/promtool";
import { deadlineSuite } from "../../signals/slo/promtool-periods";
import { suiteFiles } from "../../kit/promtool/suite";
import { buildPromtoolTestFiles } from "../../rules";
import { parseServiceSpec } from "../../signals/service-spec";

const custom = serviceCatalog().flatMap((service) =>
  (service.slos ?? [])
    .filter((slo) => JSON.stringify(slo.burnRateAlerts) !== JSON.stringify(DEFAULT_BURN_RATE_ALERTS) && slo.kind !== "deadline")
    .map((slo) => ({ service, slo })),
);

describe("catalog SLOs with their own burn-rate alerts", () => {
  it("include edge's reflect-delivery median", () => {
    expect(custom.map(({ service, slo }) => `${service.name}/${slo.name}`)).toContain("edge/reflect-delivery-median");
  });

  it.each(custom.map((c) => [`${c.service.name}/${c.slo.name}`, c] as const))(
    "%s fires every severity within its bound, resolves, and stays quiet at 1x",
    (_, { service, slo }) => {
      const file = buildRuleFiles([service], CTX).find((f) => f.fileName === serviceRuleFileName(service))!;
      const own = file.groups.filter((g) => g.name === `${service.name}.slo.${slo.name}` || g.name === `${service.name}.slo.${slo.name}.budget`);
      expect(own).toHaveLength(2);
      const fileName = `${service.name}.slo.${slo.name}.yaml`;
      const tests = sloBurnTestGroups(service, slo, CTX, "isolated");
      expectPromtoolTestPasses(
        [{ fileName, groups: own }],
        [{ fileName, rule_files: [`../${fileName}`], evaluation_interval: PROMTOOL_EVALUATION_INTERVAL, tests }],
        fileName,
      );
    },
  );

  const deadlines = serviceCatalog().flatMap((service) => service.slos.flatMap((slo) => (slo.kind === "deadline" ? [{ service, slo }] : [])));

  it("include workers' weekly digest among the deadline SLOs", () => {
    expect(deadlines.map(({ service, slo }) => `${service.name}/${slo.name}`)).toEqual(["workers/weekly-digest"]);
  });

  it.each(deadlines.map((d) => [`${d.service.name}/${d.slo.name}`, d] as const))(
    "%s: 2%% of a batch missing its deadline fails the SLO and resolves, 0.5%% fires nothing",
    (_, { service, slo }) => {
      const { ruleFiles, testFiles } = suiteFiles([deadlineSuite(service, slo, CTX)]);
      expectPromtoolTestPasses(ruleFiles, testFiles, testFiles[0]!.fileName);
    },
    120_000,
  );

  it("lets a service whose only SLO is a deadline build its test file: its burn alerts are proven apart", () => {
    const digest = parseServiceSpec({
      name: "digest",
      team: "data",
      namespace: "digest",
      red: { enabled: false },
      slos: [
        {
          name: "weekly",
          kind: "deadline",
          objective: 0.99,
          deadline: { every: "week", weekday: "monday", timeUtc: "09:00" },
          batchSize: { metric: "digest_batch_users" },
          deliveredOnTime: { metric: "digest_delivered_on_time_users" },
        },
      ],
    });
    expect(buildPromtoolTestFiles([digest], CTX).map((f) => f.fileName)).toContain("digest.yaml");
  });
});
