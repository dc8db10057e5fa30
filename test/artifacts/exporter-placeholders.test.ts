import { canaryPlaceholderWarnings, exporterPlaceholderWarnings } from "../../artifacts/exporter-placeholders";
import { serviceCatalog } from "../../services";
import { buildCatalog } from "../../signals/catalog";

const service = (name: string, host: string) => ({
  name,
  team: "core",
  namespace: "core",
  dependencies: [
    { kind: "redis", name: "cache", upMetric: "redis_up", exporter: { provision: { address: "cache.internal:6379" } } },
    {
      kind: "postgres",
      name: "db",
      upMetric: "pg_up",
      exporter: { provision: { host, database: "app", user: "exporter", secret: { name: "acme-db", key: "password" } } },
    },
  ],
});

describe("exporterPlaceholderWarnings", () => {
  it("names each placeholder of a provisioned exporter with its service, path and value, and nothing real", () => {
    const catalog = buildCatalog([service("api", "db.example.com")] as never);
    expect(exporterPlaceholderWarnings(catalog)).toEqual([
      'dependencies[1].exporter.provision.host is a placeholder (example.com is reserved for examples), set your own before deploying, got "db.example.com" (service "api")',
      'dependencies[1].exporter.provision.secret.name is a placeholder ("acme" is the example company), set your own before deploying, got "acme-db" (service "api")',
    ]);
  });
});

describe("canaryPlaceholderWarnings", () => {
  it("names the catalog's Supabase base URL, a reserved .invalid host, with its service and path", () => {
    expect(canaryPlaceholderWarnings(serviceCatalog())).toEqual([
      'canaries[2].baseUrl is a placeholder (.invalid is reserved for examples), set your own before deploying, got "https://supabase.example.invalid" (service "machinemate-api")',
    ]);
  });
});
