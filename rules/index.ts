/** Rule files and their promtool tests for an environment, assembled from every kind of signal. */
export { buildPlatformRuleGroups, buildRuleFiles, buildServiceRuleGroups, PLATFORM_RULE_FILE, PROMETHEUS_RULE_LABELS, serviceRuleFileName } from "./rule-files";
export { buildPromtoolTestFiles, PROMTOOL_EVALUATION_INTERVAL } from "./promtool-test-files";
