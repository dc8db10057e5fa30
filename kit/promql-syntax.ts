/**
 * PromQL checked with the grammar Prometheus' own UI uses (@prometheus-io/lezer-promql): every rule
 * expression is parsed when its rule is built, and the parse tree answers questions such as "which
 * raw series does this read, over how long a range?".
 */
import { parser } from "@prometheus-io/lezer-promql";
import { durationSeconds, isDuration } from "../model/duration";

type Tree = ReturnType<typeof parser.parse>;
type Node = Tree["topNode"];

/** A lezer parse tree's walk, as any lezer grammar (PromQL, LogQL) returns it. */
export interface LezerTree {
  cursor(): { readonly type: { readonly isError: boolean }; readonly from: number; next(): boolean };
}

/** The first error node of a lezer parse of `text` as `at <offset> near "<text>"`, or undefined. */
export function firstParseError(tree: LezerTree, text: string): string | undefined {
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) {
      const near = text.slice(Math.max(0, cursor.from - 12), cursor.from + 12).replace(/\s+/g, " ");
      return `at offset ${cursor.from} near ${JSON.stringify(near)}`;
    }
  } while (cursor.next());
  return undefined;
}

/** The first syntax error of `expr` as `at <offset> near "<text>"`, or undefined when it parses. */
export function promqlSyntaxError(expr: string): string | undefined {
  if (expr.trim() === "") return "empty expression";
  return firstParseError(parser.parse(expr), expr);
}

/** Throws `malformed PromQL in <kind> "<name>": <where>` unless `expr` parses. */
export function assertPromql(expr: string, ruleKind: "alert" | "record", ruleName: string): void {
  const error = promqlSyntaxError(expr);
  if (error !== undefined) {
    throw new Error(`malformed PromQL in ${ruleKind} "${ruleName}": ${error}, got ${JSON.stringify(expr)}`);
  }
}

/** One place an expression reads series over a time range. */
export interface RangeRead {
  /** `range` for `m[5m]`, `subquery` for `(expr)[1h:5m]`. */
  readonly kind: "range" | "subquery";
  /** The metric names read (for a subquery: every metric inside it). */
  readonly metrics: readonly string[];
  /** Length of the range in seconds (Infinity when it is not a plain duration). */
  readonly seconds: number;
  /** The expression text of this read. */
  readonly text: string;
}

/** True for a recorded series by the naming convention `level:metric:operations`. */
export function isRecordedMetric(name: string): boolean {
  return name.includes(":");
}

/** Visits `node` and its descendants, depth first, in source order. */
function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (let child = node.firstChild; child !== null; child = child.nextSibling) walk(child, visit);
}

function metricsUnder(node: Node, expr: string): string[] {
  const names: string[] = [];
  walk(node, (n) => {
    if (n.name !== "VectorSelector") return;
    const identifier = n.getChild("Identifier");
    // `{__name__="x"}` selectors have no identifier: reported as "" (never treated as recorded).
    names.push(identifier ? expr.slice(identifier.from, identifier.to) : "");
  });
  return names;
}

function rangeSeconds(node: Node | null, expr: string): number {
  if (node === null) return Number.POSITIVE_INFINITY;
  const text = expr.slice(node.from, node.to).trim();
  return isDuration(text) ? durationSeconds(text) : Number.POSITIVE_INFINITY;
}

/**
 * How far back from its evaluation time `expr` reads samples, in seconds: for each selector, its
 * range plus every offset and subquery range around it (`x[1h] offset 2d` reads 2d1h back; `x`
 * alone reads only the present, 0). A recorded series read at an offset needs only its own
 * samples that old, not what its rule read when it wrote them. A selector with a duration this
 * cannot read (a negative offset) is not counted.
 */
export function lookbackSeconds(expr: string): number {
  let longest = 0;
  walk(parser.parse(expr).topNode, (node) => {
    if (node.name !== "VectorSelector") return;
    let back = 0;
    for (let n = node.parent; n !== null; n = n.parent) {
      if (n.name === "MatrixSelector" || n.name === "SubqueryExpr") back += rangeSeconds(n.getChildren("DurationExpr")[0] ?? null, expr);
      else if (n.name === "OffsetExpr") back += rangeSeconds(n.getChild("OffsetDurationExpr"), expr);
    }
    if (Number.isFinite(back)) longest = Math.max(longest, back);
  });
  return longest;
}

/** Every range read of `expr`: matrix selectors and subqueries, in source order. */
export function rangeReads(expr: string): RangeRead[] {
  const reads: RangeRead[] = [];
  walk(parser.parse(expr).topNode, (node) => {
    if (node.name !== "MatrixSelector" && node.name !== "SubqueryExpr") return;
    reads.push({
      kind: node.name === "MatrixSelector" ? "range" : "subquery",
      metrics: metricsUnder(node, expr),
      // The range is the first duration of both forms (`[5m]`, `[1h:5m]`).
      seconds: rangeSeconds(node.getChildren("DurationExpr")[0] ?? null, expr),
      text: expr.slice(node.from, node.to),
    });
  });
  return reads;
}

/** One instant vector selector of an expression: `metric{matchers}` as written, without range or offset. */
export interface VectorSelectorRead {
  /** The metric name ("" for a `{__name__="x"}` selector, which has no identifier). */
  readonly metric: string;
  /** The selector's text, e.g. `up{job="divan-api"}`: a valid `match[]` for the series API. */
  readonly text: string;
}

/** Every vector selector of `expr` (inside ranges, subqueries and functions alike), in source order. */
export function vectorSelectors(expr: string): VectorSelectorRead[] {
  const reads: VectorSelectorRead[] = [];
  walk(parser.parse(expr).topNode, (node) => {
    if (node.name !== "VectorSelector") return;
    const identifier = node.getChild("Identifier");
    reads.push({ metric: identifier ? expr.slice(identifier.from, identifier.to) : "", text: expr.slice(node.from, node.to) });
  });
  return reads;
}
