import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import { DataqueryBuilder as LokiQueryBuilder } from "@grafana/grafana-foundation-sdk/loki";
import { DataqueryBuilder as PromQueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { DATASOURCES } from "./datasource-refs";

/** One query of a panel: PromQL against Prometheus (the default) or LogQL against Loki. */
export interface QuerySpec {
  readonly expr: string;
  /** Legend template, e.g. `{{route}}`. @default - Grafana's (the series labels) */
  readonly legend?: string;
  /** @default "prometheus" */
  readonly language?: "promql" | "logql";
  /** An instant query (stat and table panels); range otherwise. @default false */
  readonly instant?: boolean;
}

/** `A`, `B`, ... for the n-th query of a panel. */
export function refId(index: number): string {
  return String.fromCharCode(65 + index);
}

/** PromQL query against the provisioned Prometheus. */
export function promQuery(spec: QuerySpec, index: number): cog.Builder<cog.Dataquery> {
  const query = new PromQueryBuilder().datasource(DATASOURCES.prometheus).expr(spec.expr).refId(refId(index));
  if (spec.legend !== undefined) query.legendFormat(spec.legend);
  return spec.instant ? query.instant() : query.range();
}

/** LogQL query against the provisioned Loki. */
export function lokiQuery(spec: QuerySpec, index: number): cog.Builder<cog.Dataquery> {
  const query = new LokiQueryBuilder().datasource(DATASOURCES.loki).expr(spec.expr).refId(refId(index));
  if (spec.legend !== undefined) query.legendFormat(spec.legend);
  return query;
}

/** The query builders of a panel, `refId`s in order. */
export function queryBuilders(specs: readonly QuerySpec[]): cog.Builder<cog.Dataquery>[] {
  return specs.map((spec, i) => (spec.language === "logql" ? lokiQuery(spec, i) : promQuery(spec, i)));
}
