/**
 * Plain Prometheus rule objects, shaped exactly as a rule file (`groups:`) and a PrometheusRule's
 * `spec.groups` hold them. Builders return these; nothing here knows about cdktf.
 */
import type { Duration } from "../model/duration";

/** A label set: label name -> value. */
export type Labels = Readonly<Record<string, string>>;

/** A recording rule: `record` is the new series' name, `labels` are added to each of its series. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Labels;
}

/**
 * An alerting rule. `keep_firing_for` is part of the type for completeness, but the builders never
 * set it: Prometheus 2.42 (the `promtool` the tests run) rejects it.
 */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration the expression must hold before the alert fires; omitted means at once. */
  readonly for?: Duration;
  readonly keep_firing_for?: Duration;
  readonly labels: Labels;
  readonly annotations: Labels;
}

/** Either kind of rule. */
export type Rule = RecordingRule | AlertingRule;

/** A rule group: rules evaluated in order, every `interval` (the global one when omitted). */
export interface RuleGroup {
  readonly name: string;
  readonly interval?: Duration;
  readonly rules: readonly Rule[];
}

/** One rule file: `<fileName>` holds `groups:`; also one PrometheusRule object. */
export interface RuleFile {
  readonly fileName: string;
  readonly groups: readonly RuleGroup[];
}

/** What rule builders need to know of the environment they build for. */
export interface RuleContext {
  /** Environment name (`dev`, `prod`, ...). */
  readonly environment: string;
  /** Base URL the runbooks are published under; `runbook_url` = base + `/<AlertName>.md`. */
  readonly runbookBaseUrl: string;
}

/** True for alerting rules. */
export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return "alert" in rule;
}

/** True for recording rules. */
export function isRecordingRule(rule: Rule): rule is RecordingRule {
  return "record" in rule;
}
