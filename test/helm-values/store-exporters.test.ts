import { parse } from "yaml";
import { loadProfiles } from "../../environments";
import { buildPostgresExporterValues } from "../../helm-values/postgres-exporter";
import { buildRedisExporterValues } from "../../helm-values/redis-exporter";
import { POSTGRES_CUSTOM_QUERIES_YAML } from "../../signals/postgres/custom-queries";

const dev = loadProfiles().find((p) => p.name === "dev")!;

describe("store exporter values", () => {
  it("leaves Redis authentication off when the dependency names no Secret", () => {
    const values = buildRedisExporterValues(dev, { dependency: "cache", job: "cache-metrics", provision: { address: "rediss://cache.internal:6380" } });
    expect(values).toMatchObject({ fullnameOverride: "cache-exporter", redisAddress: "rediss://cache.internal:6380", auth: { enabled: false } });
    expect(values.serviceMonitor.relabelings).toEqual([{ action: "replace", targetLabel: "job", replacement: "cache-metrics" }]);
  });

  it("passes the Postgres port as a string (the chart's tpl takes strings) and the sslmode as given", () => {
    const values = buildPostgresExporterValues(dev, {
      dependency: "db",
      job: "db-exporter",
      provision: { host: "db.internal", port: 6543, database: "app", user: "exporter", sslMode: "verify-full", secret: { name: "db", key: "pw" } },
    });
    expect(values.config.datasource).toEqual({
      host: "db.internal",
      port: "6543",
      user: "exporter",
      database: "app",
      sslmode: "verify-full",
      passwordSecret: { name: "db", key: "pw" },
    });
    expect(values.extraManifests[0]!.metadata.name).toBe("db-exporter-queries");
  });

  it("ships the bloat query of the contract: pg_table_bloat with label columns datname, schemaname, relname and gauges ratio, dead_tuples", () => {
    const queries = parse(POSTGRES_CUSTOM_QUERIES_YAML) as Record<string, { query: string; metrics: Record<string, { usage: string }>[] }>;
    const columns = Object.fromEntries(queries.pg_table_bloat!.metrics.flatMap((m) => Object.entries(m).map(([c, { usage }]) => [c, usage])));
    expect(columns).toEqual({ datname: "LABEL", schemaname: "LABEL", relname: "LABEL", dead_tuples: "GAUGE", ratio: "GAUGE" });
    // Each column the metrics name is one the SQL selects.
    for (const column of Object.keys(columns)) expect(queries.pg_table_bloat!.query).toMatch(new RegExp(`\\b${column}\\b`));
  });
});
