/**
 * The catalog's SLOs whose burn-rate alerts are not the defaults (edge's reflect-delivery median),
 * promtool-tested on their own rule groups with every severity, labels and annotations complete:
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
});
