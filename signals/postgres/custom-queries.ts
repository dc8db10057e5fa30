/**
 * The postgres_exporter custom queries the stack ships with every Postgres exporter it provisions
 * (`--extend.query-path`, read by 0.11 on Debian and 0.20 in the cluster alike). A query named `q`
 * with a column `c` of usage GAUGE exports `q_c`, labelled by the query's LABEL columns.
 *
 * `pg_table_bloat`: per user table of the connected database, dead tuples and their share of all
 * tuples, from `pg_stat_user_tables` (statistics only, no `pgstattuple` extension and no table
 * scan): `pg_table_bloat_ratio{datname,schemaname,relname}` in 0..1 (0 for an empty table) and
 * `pg_table_bloat_dead_tuples{datname,schemaname,relname}`.
 */
import { renderYaml } from "../../kit/render-yaml";

/** The name of the bloat query; its metrics are `pg_table_bloat_<column>`. */
export const POSTGRES_BLOAT_QUERY = "pg_table_bloat";
/** Dead tuples / (live + dead) of a table, 0..1, labelled `datname`, `schemaname`, `relname`. */
export const POSTGRES_BLOAT_METRIC = "pg_table_bloat_ratio";
/** Dead tuples of a table, labelled `datname`, `schemaname`, `relname`. */
export const POSTGRES_DEAD_TUPLES_METRIC = "pg_table_bloat_dead_tuples";
/** The label columns of the bloat metrics. */
export const POSTGRES_BLOAT_LABELS = ["datname", "schemaname", "relname"] as const;

const BLOAT_SQL = [
  "SELECT current_database() AS datname, schemaname, relname,",
  "  n_dead_tup AS dead_tuples,",
  "  CASE WHEN n_live_tup + n_dead_tup = 0 THEN 0",
  "    ELSE n_dead_tup::float / (n_live_tup + n_dead_tup) END AS ratio",
  "FROM pg_stat_user_tables",
].join("\n");

/** The queries file as an object: query name to SQL and columns. */
export const POSTGRES_CUSTOM_QUERIES = {
  [POSTGRES_BLOAT_QUERY]: {
    query: BLOAT_SQL,
    // Only on the database the exporter connects to (the one named in its data source).
    master: true,
    metrics: [
      { datname: { usage: "LABEL", description: "Database of the table" } },
      { schemaname: { usage: "LABEL", description: "Schema of the table" } },
      { relname: { usage: "LABEL", description: "Name of the table" } },
      { dead_tuples: { usage: "GAUGE", description: "Dead tuples of the table (n_dead_tup)" } },
      { ratio: { usage: "GAUGE", description: "Dead tuples / (live + dead tuples) of the table, 0..1" } },
    ],
  },
} as const;

/** The exporter's queries file (YAML), as mounted into the exporter's pod. */
export const POSTGRES_CUSTOM_QUERIES_YAML = renderYaml(POSTGRES_CUSTOM_QUERIES);
