/**
 * The pure rule library: typed service specs in, Prometheus rule files and promtool tests out.
 * Nothing here imports cdktf or constructs.
 */
export { ALERT_NAMES, ALL_ALERT_NAMES, type AlertName } from "../signals/alert-names";
export { META_SEVERITY, SEVERITIES, type AlertSeverity, type Severity } from "../model/severity";
export type { AlertingRule, Labels, RecordingRule, Rule, RuleContext, RuleFile, RuleGroup } from "../kit/rule-types";
export { isAlertingRule, isRecordingRule } from "../kit/rule-types";
export {
  buildPlatformRuleGroups,
  buildRuleFiles,
  buildServiceRuleGroups,
  PLATFORM_RULE_FILE,
  PROMETHEUS_RULE_LABELS,
  serviceRuleFileName,
} from "./rule-files";
export { buildPromtoolTestFiles, PROMTOOL_EVALUATION_INTERVAL } from "./promtool-test-files";
export type { PromtoolTestFile, PromtoolTestGroup } from "../kit/promtool/types";
export { renderYaml } from "../kit/render-yaml";
export {
  defineService,
  parseServiceSpec,
  serviceSpecSchema,
  ServiceSpecError,
  type ServiceSpec,
  type ServiceSpecInput,
  type SloSpec,
} from "../signals/service-spec";
export { alertingRule, recordingRule } from "../kit/rule";
export { BASE_RATE_WINDOW, DEFAULT_BURN_RATE_ALERTS, SLO_WINDOWS, type BurnRateAlert, type SloWindow } from "../signals/slo/burn-rate";
export { SLO_SERIES } from "../signals/slo/rules";
export { RED_SERIES } from "../signals/http/rules";
export { PLATFORM_OWNER } from "../signals/meta/rules";
export { rangeReads, isRecordedMetric, promqlSyntaxError, type RangeRead } from "../kit/promql-syntax";
