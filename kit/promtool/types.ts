/**
 * promtool's unit-test file format (Prometheus 2.42 `promtool test rules`), as plain objects.
 * Field names are promtool's, so a file renders as-is (minus `fileName`).
 */
import type { Labels } from "../rule-types";

/** One input series: `metric{labels}` and its values in expanding notation (`0+60x30`, `1+0x9 0+0x20`). */
export interface PromtoolSeries {
  readonly series: string;
  readonly values: string;
}

/** One alert expected at an evaluation time: labels (without `alertname`) and expanded annotations. */
export interface ExpectedAlert {
  readonly exp_labels: Labels;
  readonly exp_annotations: Labels;
}

/** Which alerts of one name fire at `eval_time`; an empty list asserts none does. */
export interface AlertRuleTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly ExpectedAlert[];
}

/** One sample expected from a PromQL query; `labels` as `metric{a="b"}`. */
export interface ExpectedSample {
  readonly labels: string;
  readonly value: number;
}

/** A PromQL query and its exact result at `eval_time`; an empty list asserts an empty result. */
export interface PromqlExprTest {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: readonly ExpectedSample[];
}

/** One test group: its own input series, evaluated from time 0 every `evaluation_interval`. */
export interface PromtoolTestGroup {
  /** Shown by promtool on failure; states what the group proves (and the bound it checks). */
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly PromtoolSeries[];
  readonly alert_rule_test?: readonly AlertRuleTest[];
  readonly promql_expr_test?: readonly PromqlExprTest[];
}

/**
 * One test file, written to `generated/<env>/rules/tests/<fileName>`. `rule_files` are relative to
 * the tests directory (`../divan-api.yaml`); promtool resolves them from the test file.
 */
export interface PromtoolTestFile {
  readonly fileName: string;
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  /**
   * Groups evaluated first at each step, in this order. Without it promtool 2.42 evaluates a file's
   * groups in Go map order, which changes from run to run. @default - map order
   */
  readonly group_eval_order?: readonly string[];
  readonly tests: readonly PromtoolTestGroup[];
}
