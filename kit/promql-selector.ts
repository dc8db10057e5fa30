/**
 * A plain PromQL vector selector read back into its parts with the PromQL grammar
 * (@prometheus-io/lezer-promql): `sync_runs_total{status="failed"}` is the metric
 * `sync_runs_total` and the matcher `status="failed"`. Anything else (a function, an aggregation,
 * a range, an offset, an `@`, arithmetic) is no plain selector, and is said so.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { firstParseError } from "./promql-syntax";
import type { LabelMatcher, MatchOp } from "./promql";

type Node = ReturnType<typeof parser.parse>["topNode"];

/** A selector's parts, in source order. */
export interface ParsedSelector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

/** The selector's parts, or what keeps `expr` from being a plain selector (`is no plain selector: ...`). */
export type SelectorReading = { readonly selector: ParsedSelector } | { readonly problem: string };

const OPERATORS: Readonly<Record<string, MatchOp>> = { EqlSingle: "=", Neq: "!=", EqlRegex: "=~", NeqRegex: "!~" };

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'" };

/** The value of a PromQL string literal (double, single or back quotes), or undefined for an escape this does not read. */
function stringValue(literal: string): string | undefined {
  const inner = literal.slice(1, -1);
  if (literal.startsWith("`")) return inner;
  let unreadable = false;
  const value = inner.replace(/\\(.)/gs, (_, c: string) => {
    const replacement = ESCAPES[c];
    if (replacement === undefined) unreadable = true;
    return replacement ?? "";
  });
  return unreadable ? undefined : value;
}

function text(node: Node, expr: string): string {
  return expr.slice(node.from, node.to);
}

/** One matcher of `LabelMatchers`, or a problem. */
function matcherOf(node: Node, expr: string): LabelMatcher | string {
  const nameNode = node.getChild("LabelName") ?? node.getChild("QuotedLabelName")?.getChild("StringLiteral") ?? null;
  const opNode = node.getChild("MatchOp")?.firstChild ?? null;
  const valueNode = node.getChildren("StringLiteral").at(-1) ?? null;
  if (nameNode === null || opNode === null || valueNode === null || valueNode === nameNode) return `cannot read the matcher ${text(node, expr)}`;
  const label = nameNode.name === "LabelName" ? text(nameNode, expr) : stringValue(text(nameNode, expr));
  const value = stringValue(text(valueNode, expr));
  const op = OPERATORS[opNode.name];
  if (label === undefined || value === undefined || op === undefined) return `cannot read the matcher ${text(node, expr)}`;
  return { label, op, value };
}

/**
 * `expr` read as one plain vector selector with a metric name, e.g. `metric{a="b",c!~"d"}`;
 * otherwise the problem, naming what the expression is instead.
 */
export function readVectorSelector(expr: string): SelectorReading {
  if (expr.trim() === "") return { problem: "is empty" };
  const tree = parser.parse(expr);
  const error = firstParseError(tree, expr);
  if (error !== undefined) return { problem: `is not valid PromQL (${error})` };
  const top = tree.topNode.firstChild;
  if (top === null || top.nextSibling !== null) return { problem: "is not one expression" };
  if (top.name !== "VectorSelector") return { problem: `is no plain selector: it is ${describeNode(top)}` };
  const identifier = top.getChild("Identifier");
  if (identifier === null) return { problem: "is no plain selector: it names no metric before its matchers" };
  const matchers: LabelMatcher[] = [];
  const problems: string[] = [];
  for (let child = top.getChild("LabelMatchers")?.firstChild ?? null; child !== null; child = child.nextSibling) {
    if (child.name !== "UnquotedLabelMatcher" && child.name !== "QuotedLabelMatcher") continue;
    const matcher = matcherOf(child, expr);
    if (typeof matcher === "string") problems.push(matcher);
    else matchers.push(matcher);
  }
  if (problems.length > 0) return { problem: problems.join("; ") };
  return { selector: { metric: text(identifier, expr), matchers } };
}

/** What an expression is, in words, from its top node. */
function describeNode(node: Node): string {
  switch (node.name) {
    case "FunctionCall":
      return "a function call";
    case "AggregateExpr":
      return "an aggregation";
    case "MatrixSelector":
      return "a range selector";
    case "SubqueryExpr":
      return "a subquery";
    case "OffsetExpr":
      return "a selector with an offset";
    case "StepInvariantExpr":
      return "a selector with an @ modifier";
    case "BinaryExpr":
      return "a binary expression";
    case "ParenExpr":
      return "an expression in parentheses";
    case "UnaryExpr":
      return "a unary expression";
    case "NumberDurationLiteral":
    case "StringLiteral":
      return "a literal";
    default:
      return `a ${node.name}`;
  }
}
