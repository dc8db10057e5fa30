/**
 * An alert a service overrides is routed by its new labels: workers' q_import backlog (critical by
 * its override, spec 002) reaches team data's pager, the other queues' backlogs its ticket
 * receiver; checked by amtool against each environment's real config, with the labels of the rules
 * as built.
 */
import { buildAlertmanagerConfig, renderAlertmanagerYaml } from "../../alertmanager";
import { resolveReceivers } from "../../alertmanager/route-resolution";
import { isAlertingRule } from "../../kit/rule-types";
import { buildServiceRuleGroups } from "../../rules";
import { serviceCatalog } from "../../services";
import { CTX } from "../support/context";
import { routeReceivers, tempDir } from "./amtool";
import { alertingOf, PROFILE_NAMES, SERVICES } from "./fixtures";

const dir = tempDir("alertmanager-overrides-");
afterAll(() => dir.remove());

const workers = serviceCatalog().find((s) => s.name === "workers")!;
const backlog = buildServiceRuleGroups(workers, CTX)
  .flatMap((g) => g.rules.filter(isAlertingRule))
  .filter((r) => r.alert === "QueueBacklogHigh");
const labelsOf = (queue: string) => ({ alertname: "QueueBacklogHigh", ...backlog.find((r) => r.labels.queue === queue)!.labels });

describe.each(PROFILE_NAMES)("overridden alerts in the %s Alertmanager config", (name) => {
  const alerting = alertingOf(name);
  const config = buildAlertmanagerConfig(alerting, SERVICES, { secretsDir: `${dir.path}/secrets` });
  const file = dir.write(`${name}.yaml`, renderAlertmanagerYaml(config));
  const { pager, ticket } = alerting.teams.data;

  it("pages team data on q_import's backlog (amtool and the synth-time resolver agree)", () => {
    expect(routeReceivers(file, labelsOf("q_import"))).toEqual([pager]);
    expect(resolveReceivers(config.route, labelsOf("q_import"))).toEqual([pager]);
  });

  it.each(["q_score", "q_simulate", "q_digest"])("opens a ticket for %s's backlog", (queue) => {
    expect(routeReceivers(file, labelsOf(queue))).toEqual([ticket]);
  });
});
