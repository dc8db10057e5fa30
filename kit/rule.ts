/**
 * The two rule constructors every builder goes through: they parse the expression (a malformed one
 * throws naming the rule), enforce the label and annotation contract of DESIGN.md section 4, and
 * inject `runbook_url` in exactly one place.
 */
import { isDuration, type Duration } from "../model/duration";
import { LABEL_NAME_PATTERN } from "../model/schema-primitives";
import { ALERT_NAME_PATTERN, runbookUrl } from "./runbook-url";
import { assertPromql } from "./promql-syntax";
import { META_SEVERITY, SEVERITIES, type AlertSeverity } from "../model/severity";
import type { AlertingRule, Labels, RecordingRule, RuleContext } from "./rule-types";

const RECORD_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = LABEL_NAME_PATTERN;

/** Labels with keys sorted, so rendered YAML never depends on insertion order. */
export function sortedLabels(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function assertLabelNames(labels: Labels, where: string): void {
  for (const name of Object.keys(labels)) {
    if (!LABEL_NAME.test(name)) throw new Error(`label name must match ${LABEL_NAME}, got ${JSON.stringify(name)} (${where})`);
  }
}

/** Input of {@link recordingRule}. */
export interface RecordingRuleProps {
  /** Name of the recorded series, `level:metric:operations`. */
  readonly record: string;
  readonly expr: string;
  /**
   * Labels added to every recorded series.
   * @default - none
   */
  readonly labels?: Labels;
}

/** A recording rule whose name and expression are checked. */
export function recordingRule(props: RecordingRuleProps): RecordingRule {
  if (!RECORD_NAME.test(props.record)) {
    throw new Error(`record must be a metric name such as level:metric:operations, got ${JSON.stringify(props.record)}`);
  }
  assertPromql(props.expr, "record", props.record);
  if (props.labels === undefined || Object.keys(props.labels).length === 0) return { record: props.record, expr: props.expr };
  assertLabelNames(props.labels, `record "${props.record}"`);
  return { record: props.record, expr: props.expr, labels: sortedLabels(props.labels) };
}

/** Input of {@link alertingRule}. */
export interface AlertingRuleProps {
  readonly alert: string;
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires.
   * @default - fires at the first evaluation that returns a series
   */
  readonly for?: Duration;
  readonly severity: AlertSeverity;
  /** The `service` label: who the alert is about. */
  readonly service: string;
  /** The `team` label: who is notified. */
  readonly team: string;
  /**
   * Further static labels (`slo`, `dependency`, `queue`, ...).
   * @default - none
   */
  readonly labels?: Labels;
  /** One line; may use `{{ $labels.<name> }}`. */
  readonly summary: string;
  /** What is happening and what it means, with `{{ $labels.<name> }}` context. */
  readonly description: string;
}

/** The annotations of an alert: summary, description and the one injected `runbook_url`. */
export function alertAnnotations(alert: string, summary: string, description: string, ctx: RuleContext): Labels {
  return { summary, description, runbook_url: runbookUrl(ctx.runbookBaseUrl, alert) };
}

/**
 * An alerting rule carrying `severity`, `service`, `team`, `summary`, `description` and
 * `runbook_url`. Throws when the name is not PascalCase, the expression does not parse or
 * `for` is not a duration.
 */
export function alertingRule(props: AlertingRuleProps, ctx: RuleContext): AlertingRule {
  if (!ALERT_NAME_PATTERN.test(props.alert)) {
    throw new Error(`alert must be a PascalCase name such as QueueBacklogHigh, got ${JSON.stringify(props.alert)}`);
  }
  assertPromql(props.expr, "alert", props.alert);
  if (props.for !== undefined && !isDuration(props.for)) {
    throw new Error(`for must be a duration such as 10m, got ${JSON.stringify(props.for)} (alert "${props.alert}")`);
  }
  if (!(SEVERITIES as readonly string[]).includes(props.severity) && props.severity !== META_SEVERITY) {
    throw new Error(`severity must be one of ${[...SEVERITIES, META_SEVERITY].join(", ")}, got ${JSON.stringify(props.severity)} (alert "${props.alert}")`);
  }
  for (const [name, text] of [
    ["summary", props.summary],
    ["description", props.description],
  ] as const) {
    if (text.trim() === "") throw new Error(`${name} must not be empty (alert "${props.alert}")`);
  }
  const extra = props.labels ?? {};
  assertLabelNames(extra, `alert "${props.alert}"`);
  const labels = sortedLabels({ ...extra, severity: props.severity, service: props.service, team: props.team });
  return {
    alert: props.alert,
    expr: props.expr,
    ...(props.for !== undefined && props.for !== "0s" ? { for: props.for } : {}),
    labels,
    annotations: alertAnnotations(props.alert, props.summary, props.description, ctx),
  };
}
