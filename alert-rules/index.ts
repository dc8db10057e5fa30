/**
 * The pure rule library: typed service specs in, Prometheus rule files and promtool tests out.
 * Nothing here imports cdktf or constructs.
 */
export { ALERT_NAMES, ALL_ALERT_NAMES, type AlertName } from "./alert-names";
export { META_SEVERITY, SEVERITIES, type AlertSeverity, type Severity } from "./severity";
export type { AlertingRule, Labels, RecordingRule, Rule, RuleContext, RuleFile, RuleGroup } from "./types";
export { isAlertingRule, isRecordingRule } from "./types";
export {
  buildPlatformRuleGroups,
  buildRuleFiles,
  buildServiceRuleGroups,
  PLATFORM_RULE_FILE,
  PROMETHEUS_RULE_LABELS,
  serviceRuleFileName,
} from "./rule-files";
export { buildPromtoolTestFiles, PROMTOOL_EVALUATION_INTERVAL } from "./promtool/test-files";
export type { PromtoolTestFile, PromtoolTestGroup } from "./promtool/types";
export { renderYaml } from "./render";
export {
  defineService,
  parseServiceSpec,
  serviceSpecSchema,
  ServiceSpecError,
  type ServiceSpec,
  type ServiceSpecInput,
  type SloSpec,
} from "./service-spec";
export { alertingRule, recordingRule } from "./rule";
export { BASE_RATE_WINDOW, DEFAULT_BURN_RATE_ALERTS, SLO_WINDOWS, type BurnRateAlert, type SloWindow } from "./burn-rate";
export { SLO_SERIES } from "./slo";
export { RED_SERIES } from "./red";
export { PLATFORM_OWNER } from "./meta";
export { rangeReads, isRecordedMetric, promqlSyntaxError, type RangeRead } from "./promql-syntax";
