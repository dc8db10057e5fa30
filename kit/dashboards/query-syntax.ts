/**
 * Dashboard queries checked with the grammars Grafana's own editors use: PromQL with
 * @prometheus-io/lezer-promql (through the rule library's check) and LogQL with @grafana/lezer-logql.
 * Grafana variables are replaced by sample values first, as Grafana does before sending a query.
 */
import { parser as logqlParser } from "@grafana/lezer-logql";
import { firstParseError, promqlSyntaxError } from "../promql-syntax";

/** Sample values for Grafana's variables: intervals become a duration, `$name` a plain word. */
export function interpolateGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range|auto)\b/g, "5m")
    .replace(/\$\{(\w+)(:\w+)?\}/g, "$1")
    .replace(/\$(\w+)/g, "$1");
}

/** The first LogQL syntax error as `at <offset> near "<text>"`, or undefined when it parses. */
export function logqlSyntaxError(expr: string): string | undefined {
  const text = interpolateGrafanaVariables(expr);
  if (text.trim() === "") return "empty expression";
  return firstParseError(logqlParser.parse(text), text);
}

/** The first PromQL syntax error of a dashboard query (variables interpolated), or undefined. */
export function dashboardPromqlSyntaxError(expr: string): string | undefined {
  return promqlSyntaxError(interpolateGrafanaVariables(expr));
}

/** A query of a built panel. */
export interface PanelTarget {
  readonly panelTitle: string;
  readonly datasourceType: string;
  readonly expr: string;
}

/** Every query of a dashboard model's panels, with its panel and datasource type. */
export function panelTargets(panels: readonly unknown[]): PanelTarget[] {
  return panels.flatMap((panel) => {
    const p = panel as { title?: string; targets?: { expr?: string; datasource?: { type?: string } }[] };
    return (p.targets ?? []).map((t) => ({ panelTitle: p.title ?? "", datasourceType: t.datasource?.type ?? "", expr: t.expr ?? "" }));
  });
}

/** Problems (empty when fine) of a dashboard's queries: each names the panel and the query. */
export function querySyntaxProblems(panels: readonly unknown[]): string[] {
  return panelTargets(panels).flatMap((t) => {
    const error = t.datasourceType === "loki" ? logqlSyntaxError(t.expr) : dashboardPromqlSyntaxError(t.expr);
    return error === undefined
      ? []
      : [`panel "${t.panelTitle}": malformed ${t.datasourceType === "loki" ? "LogQL" : "PromQL"} ${error}, got ${JSON.stringify(t.expr)}`];
  });
}
