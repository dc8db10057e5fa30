/**
 * postgres_exporter's custom queries file of the preview: table bloat as the contract of issue 16
 * gives it (query `pg_table_bloat`, labels datname/schemaname/relname, gauges `ratio` and
 * `dead_tuples`). A stand-in until the exporter's shipped queries (`POSTGRES_CUSTOM_QUERIES_YAML`
 * of signals/postgres/custom-queries.ts) are on this branch; then this file re-exports those.
 */

/** The metric bloat alerts read: `pg_table_bloat_ratio{datname,schemaname,relname}`. */
export const PREVIEW_POSTGRES_BLOAT_METRIC = "pg_table_bloat_ratio";

/** The queries file (`--extend.query-path`). */
export const PREVIEW_POSTGRES_QUERIES_YAML = `pg_table_bloat:
  query: >-
    SELECT current_database() AS datname, schemaname, relname,
      n_dead_tup::float8 AS dead_tuples,
      CASE WHEN n_live_tup + n_dead_tup = 0 THEN 0 ELSE n_dead_tup::float8 / (n_live_tup + n_dead_tup) END AS ratio
    FROM pg_stat_user_tables
  metrics:
    - datname:
        usage: LABEL
        description: Database
    - schemaname:
        usage: LABEL
        description: Schema of the table
    - relname:
        usage: LABEL
        description: Table
    - dead_tuples:
        usage: GAUGE
        description: Dead tuples of the table (pg_stat_user_tables.n_dead_tup)
    - ratio:
        usage: GAUGE
        description: Dead tuples over live plus dead tuples of the table, 0..1
`;
