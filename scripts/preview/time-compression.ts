/**
 * Preview-only time compression: every duration that decides *when* an alert fires or resolves is
 * divided by one factor, so that minutes of the environment's timing take seconds on a laptop.
 *
 * Why every duration and not only `for:`: an alert resolves only once the fault has left the
 * windows of its expression. Dividing `for:` alone detects fast but keeps 5m error-rate windows
 * and the 30m short window of the 6x SLO page, so a resolve would still take 5 to 30 minutes and
 * the measured times would describe no real environment. Dividing uniformly keeps the ratios of the
 * real timing (10 scrapes per 5m rate window, `for:` against evaluation interval, group wait
 * against evaluation interval), so a measured time times the factor estimates the environment's.
 *
 * What is divided (on copies; generated/ is never touched):
 * - rules: `for:`, `keep_firing_for:`, group `interval:`, and in PromQL every range `[5m]`,
 *   subquery `[1h:5m]` and `offset 5m`, plus the horizon (seconds) of `predict_linear`;
 * - Prometheus: scrape and evaluation intervals, `--query.lookback-delta`, `--rules.alert.resend-delay`;
 * - Alertmanager: `group_wait`, `group_interval`, `repeat_interval`, `resolve_timeout`.
 * What is not: label matchers, thresholds, the structure of every expression, the routing tree,
 * inhibit rules and mute timings (wall-clock intervals). Quantities measured in seconds of elapsed
 * time (a queue's oldest-message age) must be reported in compressed seconds by the workload: the
 * demo's `timeScale` does that. Per-second rates (the 0.1 req/s traffic guard) stay per real second.
 * Recorded series keep their names (`...:ratio_rate1h` then holds a 1m window at factor 60).
 * Rules reading the wall clock (`time()`, `@`) cannot be compressed: the preview leaves them out,
 * with the rules reading what they record, and lists them (`withoutWallClockRules`).
 */
import { parser } from "@prometheus-io/lezer-promql";
import type { AlertmanagerConfig, Route } from "../../alertmanager";
import { durationSeconds, isDuration, parseDuration, type Duration } from "../../model/duration";
import type { Rule, RuleFile, RuleGroup } from "../../kit/rule-types";
import { vectorSelectors } from "../../kit/promql-syntax";

/** The preview's default factor: one minute of the environment's timing takes one second. */
export const PREVIEW_TIME_FACTOR = 60;
/** Above this a 30s scrape interval would fall under 100 ms. */
export const MAX_TIME_FACTOR = 300;

/** Throws unless `factor` is a usable compression factor (1 = the environment's real timing). */
export function assertTimeFactor(factor: number): void {
  if (!Number.isFinite(factor) || factor < 1 || factor > MAX_TIME_FACTOR) {
    throw new Error(`time factor must be a number in [1, ${MAX_TIME_FACTOR}] (1 keeps the real timing), got ${factor}`);
  }
}

const UNITS_MS: readonly [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/** A Prometheus/Alertmanager duration for whole milliseconds: 4_320_000 -> `1h12m`, 833 -> `833ms`, 0 -> `0s`. */
export function formatDurationMs(ms: number): Duration {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`milliseconds must be a non-negative integer, got ${ms}`);
  if (ms === 0) return "0s";
  let rest = ms;
  let text = "";
  for (const [unit, size] of UNITS_MS) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return parseDuration(text);
}

/** Milliseconds of a duration string (`5m`, `1h30m`, `500ms`). */
export function durationMs(text: string): number {
  return Math.round(durationSeconds(parseDuration(text)) * 1000);
}

/** `text` divided by `factor`, rounded to the millisecond; a non-zero duration stays at least `floorMs`. */
export function compressDuration(text: string, factor: number, floorMs = 1): Duration {
  const ms = durationMs(text);
  return formatDurationMs(ms === 0 ? 0 : Math.max(floorMs, Math.round(ms / factor)));
}

type Node = ReturnType<typeof parser.parse>["topNode"];

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (let child = node.firstChild; child !== null; child = child.nextSibling) walk(child, visit);
}

/** Functions and modifiers whose result depends on the wall clock: compression cannot keep them faithful. */
const WALL_CLOCK = new Set(["time", "timestamp", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"]);

/**
 * `expr` with every range, subquery range/step and offset divided by `factor`, and the horizon of
 * `predict_linear` too; everything else byte for byte. Throws on an expression whose meaning
 * depends on the wall clock (`time()`, `@`), which no factor keeps faithful.
 */
export function compressPromql(expr: string, factor: number): string {
  const edits: { from: number; to: number; text: string }[] = [];
  walk(parser.parse(expr).topNode, (node) => {
    const text = expr.slice(node.from, node.to);
    if (node.type.isError) throw new Error(`PromQL must parse, got an error at offset ${node.from} of ${JSON.stringify(expr)}`);
    if (node.name === "NumberDurationLiteralInDurationContext") {
      const ms = isDuration(text) ? durationMs(text) : Number(text) * 1000;
      if (!Number.isFinite(ms)) throw new Error(`duration must be a number or a duration, got ${JSON.stringify(text)} in ${JSON.stringify(expr)}`);
      edits.push({ from: node.from, to: node.to, text: formatDurationMs(Math.max(1, Math.round(ms / factor))) });
    } else if (node.name === "StepInvariantExpr") {
      throw new Error(`an @ modifier pins a wall-clock time, which compression cannot keep: ${JSON.stringify(text)}`);
    } else if (node.name === "FunctionCall") {
      const name = expr.slice(node.firstChild!.from, node.firstChild!.to);
      if (WALL_CLOCK.has(name)) throw new Error(`${name}() reads the wall clock, which compression cannot keep: ${JSON.stringify(expr)}`);
      if (name === "predict_linear") edits.push(predictLinearHorizon(node, expr, factor));
    }
  });
  return edits.sort((a, b) => b.from - a.from).reduce((out, e) => out.slice(0, e.from) + e.text + out.slice(e.to), expr);
}

/** The edit dividing `predict_linear(v, <seconds>)`'s horizon, which must be a number literal. */
function predictLinearHorizon(call: Node, expr: string, factor: number): { from: number; to: number; text: string } {
  const body = call.getChild("FunctionCallBody");
  const args: Node[] = [];
  for (let child = body?.firstChild ?? null; child !== null; child = child.nextSibling) if (!child.type.isAnonymous) args.push(child);
  const horizon = args[1];
  const text = horizon === undefined ? "" : expr.slice(horizon.from, horizon.to);
  if (horizon === undefined || horizon.name !== "NumberDurationLiteral" || !Number.isFinite(Number(text))) {
    throw new Error(`predict_linear's horizon must be a number of seconds to be compressed, got ${JSON.stringify(text)} in ${JSON.stringify(expr)}`);
  }
  return { from: horizon.from, to: horizon.to, text: String(Number((Number(text) / factor).toFixed(3))) };
}

/** One rule with its durations and expression compressed. */
export function compressRule(rule: Rule, factor: number): Rule {
  const expr = compressPromql(rule.expr, factor);
  if (!("alert" in rule)) return { ...rule, expr };
  return {
    ...rule,
    expr,
    ...(rule.for !== undefined ? { for: compressDuration(rule.for, factor) } : {}),
    ...(rule.keep_firing_for !== undefined ? { keep_firing_for: compressDuration(rule.keep_firing_for, factor) } : {}),
  };
}

/** Copies of the groups, every rule compressed; identical to the input at factor 1. */
export function compressRuleGroups(groups: readonly RuleGroup[], factor: number): RuleGroup[] {
  assertTimeFactor(factor);
  // Factor 1 is the real timing: nothing to divide, and wall-clock rules are faithful as they are.
  if (factor === 1) return [...groups];
  return groups.map((group) => ({
    ...group,
    ...(group.interval !== undefined ? { interval: compressDuration(group.interval, factor) } : {}),
    rules: group.rules.map((rule) => compressRule(rule, factor)),
  }));
}

/** A rule the compressed preview leaves out, and why. */
export interface SkippedRule {
  readonly file: string;
  readonly group: string;
  /** The alert or record name. */
  readonly rule: string;
  readonly reason: string;
}

function ruleName(rule: Rule): string {
  return "alert" in rule ? rule.alert : rule.record;
}

/**
 * The rule files without the rules compression cannot keep faithful (they read the wall clock:
 * `time()`, `@`), nor the rules reading what those record, transitively; groups left empty are
 * dropped. At factor 1 nothing is left out. The files are not compressed here.
 */
export function withoutWallClockRules(files: readonly RuleFile[], factor: number): { files: RuleFile[]; skipped: SkippedRule[] } {
  if (factor === 1) return { files: [...files], skipped: [] };
  const skipped: SkippedRule[] = [];
  const dropped = new Set<Rule>();
  // Record names are shared by services and SLOs (`slo:sli_good:rate5m{service,slo}`): a selector
  // reads a left-out rule's series only when it names that rule's static labels too.
  const droppedRecords: { record: string; labels: readonly string[] }[] = [];
  const readsDropped = (selector: { metric: string; text: string }) =>
    droppedRecords.find((d) => d.record === selector.metric && d.labels.every((l) => selector.text.includes(l)));
  const all = files.flatMap((file) => file.groups.flatMap((group) => group.rules.map((rule) => ({ file: file.fileName, group: group.name, rule }))));
  for (let changed = true; changed;) {
    changed = false;
    for (const entry of all) {
      if (dropped.has(entry.rule)) continue;
      let reason: string | undefined;
      try {
        compressPromql(entry.rule.expr, factor);
      } catch (error) {
        if (/wall.clock/.test(String(error))) reason = "reads the wall clock (time(), @), which compression cannot keep";
        else throw error;
      }
      const reads = reason === undefined ? vectorSelectors(entry.rule.expr).find((s) => readsDropped(s) !== undefined) : undefined;
      if (reads !== undefined) reason = `reads ${reads.text}, recorded by a rule left out`;
      if (reason === undefined) continue;
      dropped.add(entry.rule);
      if (!("alert" in entry.rule)) {
        const labels = Object.entries(entry.rule.labels ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
        droppedRecords.push({ record: entry.rule.record, labels });
      }
      skipped.push({ file: entry.file, group: entry.group, rule: ruleName(entry.rule), reason });
      changed = true;
    }
  }
  const kept = files.map((file) => ({
    ...file,
    groups: file.groups.map((group) => ({ ...group, rules: group.rules.filter((r) => !dropped.has(r)) })).filter((group) => group.rules.length > 0),
  }));
  return { files: kept.filter((file) => file.groups.length > 0), skipped };
}

/** Copies of the rule files, every group compressed. */
export function compressRuleFiles(files: readonly RuleFile[], factor: number): RuleFile[] {
  return files.map((file) => ({ ...file, groups: compressRuleGroups(file.groups, factor) }));
}

/** A route and its children with `group_wait`, `group_interval` and `repeat_interval` compressed. */
export function compressRoute(route: Route, factor: number): Route {
  const timing = (key: "group_wait" | "group_interval" | "repeat_interval") =>
    route[key] === undefined ? {} : { [key]: compressDuration(route[key], factor) };
  return {
    ...route,
    ...timing("group_wait"),
    ...timing("group_interval"),
    ...timing("repeat_interval"),
    ...(route.routes !== undefined ? { routes: route.routes.map((child) => compressRoute(child, factor)) } : {}),
  };
}

/** The config with every notification timing compressed; receivers, matchers, inhibition and mute timings unchanged. */
export function compressAlertmanagerConfig(config: AlertmanagerConfig, factor: number): AlertmanagerConfig {
  assertTimeFactor(factor);
  return {
    ...config,
    global: { ...config.global, resolve_timeout: compressDuration(config.global.resolve_timeout, factor) },
    route: compressRoute(config.route, factor),
  };
}
