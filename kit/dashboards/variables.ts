import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { QueryVariableBuilder, VariableRefresh, VariableSort } from "@grafana/grafana-foundation-sdk/dashboard";
import { DATASOURCES } from "./datasource-refs";

/**
 * A multi-value variable over the values of one label, refreshed with the time range:
 * `label_values(<series>, <label>)`; "All" matches everything (`.*`).
 */
export function labelValuesVariable(name: string, label: string, series: string, title: string): dashboard.VariableModel {
  const query = `label_values(${series}, ${label})`;
  return new QueryVariableBuilder(name)
    .label(title)
    .datasource(DATASOURCES.prometheus)
    .query({ qryType: 1, query, refId: "PrometheusVariableQueryEditor-VariableQuery" })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .build();
}
