/** Fixtures of the socket alert: clients of one namespace, steady or falling. */
import type { ServiceCore } from "../../model/service-core";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { gaugeValues, inputSeries } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";
import { isAlertingRule, type RuleContext } from "../../kit/rule-types";
import { socketRuleGroups } from "./rules";
import type { SocketsSpec } from "./spec";

const SOCKET_NAMESPACE = "/fixture";

function socketSeries(service: ServiceCore, s: SocketsSpec, steps: readonly (readonly [number, number])[], total: number): PromtoolSeries[] {
  return [inputSeries(s.clientsMetric, { job: service.metrics.job, [s.namespaceLabel]: SOCKET_NAMESPACE }, gaugeValues(steps, total))];
}

/** A steady 100 clients. */
export function socketHealthySeries(service: ServiceCore, s: SocketsSpec, total: number): PromtoolSeries[] {
  return socketSeries(service, s, [[0, 100]], total);
}

/** Clients fall to under half the drop limit at minute 10. */
export function socketAlertCases(service: ServiceCore, s: SocketsSpec, ctx: RuleContext, total: number): AlertCase[] {
  const rule = socketRuleGroups(service, s, ctx)[0]!.rules.find(isAlertingRule)!;
  const high = Math.max(100, s.minClients * 2);
  const low = Math.floor(high * (1 - s.maxDropRatio) * 0.5);
  return [
    {
      name: `${rule.alert}: fires ${rule.for} after clients fall from ${high} to ${low}`,
      // The drop is seen at minute 10, when the 5m-old value is still the high one.
      target: { rule, exprLabels: { [s.namespaceLabel]: SOCKET_NAMESPACE }, activeAtMinute: 10 },
      series: socketSeries(
        service,
        s,
        [
          [0, high],
          [10, low],
        ],
        total,
      ),
    },
  ];
}
