import { buildRuleFiles } from "../../rules";
import { isAlertingRule } from "../../kit/rule-types";
import { isRecordedMetric, rangeReads } from "../../kit/promql-syntax";
import { serviceCatalog } from "../../services";
import { CTX } from "../support/context";
import { BLACKBOX_METRICS, RUNNER_METRICS } from "../../signals/canary/metrics";

/** The longest range an alert may read raw (non-recorded) series over. */
const MAX_RAW_RANGE_SECONDS = 300;

const alerts = buildRuleFiles(serviceCatalog(), CTX).flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertingRule)));

/**
 * Canary alerts read their flow's raw series over a few runs (up to 3 x 10m): one series per flow,
 * one sample per run (a Probe at the flow's schedule) or per scrape of the one runner, so a few
 * hundred samples at most.
 */
const CANARY_SERIES = new Set<string>([...Object.values(RUNNER_METRICS), ...Object.values(BLACKBOX_METRICS)]);
const isCanaryRead = (read: { text: string; metrics: readonly string[] }) =>
  /job="canary(-runner)?"/.test(read.text) && read.metrics.every((m) => CANARY_SERIES.has(m));

/** Range reads of raw series longer than 5m, matrix selectors and subqueries alike (canary reads aside). */
function longRawReads(expr: string) {
  return rangeReads(expr).filter((read) => read.seconds > MAX_RAW_RANGE_SECONDS && !isCanaryRead(read) && read.metrics.some((m) => !isRecordedMetric(m)));
}

describe("range limit", () => {
  it("no alert expression reads raw series over a range longer than 5m", () => {
    const offenders = alerts.flatMap((rule) => longRawReads(rule.expr).map((read) => `${rule.alert}: ${read.text}`));
    expect(offenders).toEqual([]);
  });

  it("sees the long windows alerts do read, all over recorded series", () => {
    const long = alerts.flatMap((rule) => rangeReads(rule.expr)).filter((read) => read.seconds > MAX_RAW_RANGE_SECONDS && !isCanaryRead(read));
    expect(long.length).toBeGreaterThan(0);
    // SLO alerts read one recorded sample per window (their traffic guard included), no range.
    expect(new Set(long.flatMap((read) => read.metrics))).toEqual(new Set(["service_queue:oldest_message_age_seconds:max"]));
  });

  it("flags raw reads over 5m, in subqueries too", () => {
    expect(longRawReads('increase(kube_pod_container_status_restarts_total{pod="a"}[15m]) > 3').map((r) => r.kind)).toEqual(["range"]);
    expect(longRawReads("max_over_time(rate(http_requests_total[5m])[1h:5m]) > 1").map((r) => r.kind)).toEqual(["subquery"]);
    expect(longRawReads("avg_over_time(slo:sli_error:ratio_rate5m[1h]) > 1")).toEqual([]);
    expect(longRawReads("rate(http_requests_total[5m]) > 1")).toEqual([]);
  });
});
