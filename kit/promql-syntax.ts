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
