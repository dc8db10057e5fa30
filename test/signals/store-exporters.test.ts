import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { buildCatalog, catalogStores, ServiceCatalogError } from "../../signals/catalog";
import { provisionedExporters } from "../../signals/dependency/provisioned";
import { parseServiceSpec } from "../../signals/service-spec";
import { specProblems } from "../support/spec-problems";

const redis = (provision: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  kind: "redis",
  name: "cache",
  upMetric: "redis_up",
  exporter: { provision },
  ...extra,
});
const postgres = (provision: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  kind: "postgres",
  name: "db",
  upMetric: "pg_up",
  exporter: { provision },
  ...extra,
});
const service = (name: string, dependencies: unknown[]) => ({ name, team: "core", namespace: "core", dependencies });
const PG = { host: "db.internal", database: "app", user: "exporter", secret: { name: "db-exporter", key: "password" } };

/** The problem lines `buildCatalog` rejects the services with. */
function catalogProblems(services: unknown[]): readonly string[] {
  try {
    buildCatalog(services as never);
  } catch (error) {
    if (error instanceof ServiceCatalogError) return error.problems;
    throw error;
  }
  throw new Error("expected the catalog to be rejected");
}

describe("a dependency's exporter: the spec", () => {
  it("defaults the job of a provisioned exporter to <name>-exporter, Postgres' port to 5432 and sslMode to require", () => {
    const spec = parseServiceSpec(service("api", [redis({ address: "cache.internal:6379" }), postgres(PG)]));
    expect(spec.dependencies).toEqual([
      expect.objectContaining({ name: "cache", job: "cache-exporter", exporter: { provision: { address: "cache.internal:6379" } } }),
      expect.objectContaining({ name: "db", job: "db-exporter", exporter: { provision: { ...PG, port: 5432, sslMode: "require" } } }),
    ]);
  });

  it("keeps the service's job for a dependency exported elsewhere", () => {
    const spec = parseServiceSpec(service("api", [{ kind: "redis", name: "cache", upMetric: "api_redis_up" }]));
    expect(spec.dependencies[0]).toMatchObject({ job: "api" });
    expect(spec.dependencies[0]).not.toHaveProperty("exporter");
  });

  it("fails when credentials are given as values, naming every path at once and never echoing them", () => {
    const problems = specProblems(
      service("api", [
        redis({ address: "redis://:hunter2@cache.internal:6379" }),
        postgres({ ...PG, password: "hunter2" }),
        postgres({ ...PG, secret: { name: "db-exporter", key: "password", value: "hunter2" } }, { name: "db2" }),
      ]),
    );
    expect(problems.join("\n")).not.toContain("hunter2");
    expect(problems).toEqual([
      'dependencies[0].exporter.provision.address must not carry a credential (user:password@): it would be written to generated/ and the Terraform JSON; name a Secret in secret instead, got "[redacted]" (service "api", redis "cache")',
      'dependencies[1].exporter.provision.password is not a known field (service "api", postgres "db")',
      'dependencies[2].exporter.provision.secret.value is not a known field (service "api", postgres "db2")',
    ]);
  });

  it("fails when a Redis address is not host:port", () => {
    expect(specProblems(service("api", [redis({ address: "cache.internal" })]))).toEqual([
      'dependencies[0].exporter.provision.address must be host:port or redis[s]://host:port, got "cache.internal" (service "api", redis "cache")',
    ]);
  });

  it("fails when a provisioned Postgres exporter has no Secret", () => {
    const { secret: _secret, ...withoutSecret } = PG;
    expect(specProblems(service("api", [postgres(withoutSecret)]))).toEqual([
      expect.stringMatching(/^dependencies\[0\]\.exporter\.provision\.secret .*got nothing/),
    ]);
  });

  it("fails when a provisioned exporter's up gauge is not the one it exports", () => {
    const problems = specProblems(service("api", [redis({ address: "cache.internal:6379" }, { upMetric: "api_redis_up" }), postgres(PG, { upMetric: "up" })]));
    expect(problems).toEqual([
      expect.stringMatching(/^dependencies\[0\]\.upMetric must be redis_up, the gauge of the exporter exporter\.provision deploys, got "api_redis_up"/),
      expect.stringMatching(/^dependencies\[1\]\.upMetric must be pg_up, .*got "up"/),
    ]);
  });

  it("fails when a provisioned exporter would scrape under the service's own job", () => {
    expect(specProblems(service("api", [redis({ address: "cache.internal:6379" }, { job: "api" })]))).toEqual([
      expect.stringMatching(/^dependencies\[0\]\.job must not be the service's own job .*got "api"/),
    ]);
  });
});

describe("a dependency's exporter: one per dependency in the catalog", () => {
  const shared = redis({ address: "cache.internal:6379", secret: { name: "cache-exporter", key: "password" } });

  it("provisions one exporter for a dependency two services declare alike, declared by both", () => {
    const catalog = buildCatalog([service("api", [shared]), service("worker", [shared]), service("other", [postgres(PG)])] as never);
    expect(provisionedExporters(catalogStores(catalog))).toEqual([
      {
        kind: "redis",
        dependency: "cache",
        job: "cache-exporter",
        provision: { address: "cache.internal:6379", secret: { name: "cache-exporter", key: "password" } },
        declaredBy: ["api", "worker"],
      },
      { kind: "postgres", dependency: "db", job: "db-exporter", provision: { ...PG, port: 5432, sslMode: "require" }, declaredBy: ["other"] },
    ]);
  });

  it("fails when services declare one dependency's exporter differently, naming both services, the path and both values", () => {
    const problems = catalogProblems([
      service("api", [shared]),
      service("worker", [postgres(PG), redis({ address: "cache-2.internal:6379", secret: { name: "cache-exporter", key: "password" } })]),
      service("batch", [{ kind: "redis", name: "cache", upMetric: "redis_up", job: "cache-exporter" }]),
    ]);
    expect(problems).toEqual([
      'dependencies[0].exporter must equal service "api"\'s dependencies[0].exporter (one exporter per dependency "cache"), got nothing (service "batch"; service "api" declares {"provision":{"address":"cache.internal:6379","secret":{"key":"password","name":"cache-exporter"}}})',
      'dependencies[1].exporter.provision.address must equal service "api"\'s dependencies[0].exporter.provision.address (one exporter per dependency "cache"), got "cache-2.internal:6379" (service "worker"; service "api" declares "cache.internal:6379")',
    ]);
  });

  it("fails when two provisioned dependencies share one job", () => {
    const problems = catalogProblems([service("api", [shared, postgres(PG, { job: "cache-exporter" })])]);
    expect(problems).toEqual([
      'dependencies[1].job must differ from the job of the exporter of dependency "cache" (one job per exporter), got "cache-exporter" (service "api"; service "api" provisions "cache" under it)',
    ]);
  });
});

describe("README, Add a service: the exporter example", () => {
  it("declares dependencies the spec accepts, with the defaults the text states", () => {
    const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("**A store's exporter.**"));
    const block = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    // The block is the `dependencies` property of a spec, in plain JavaScript syntax.
    const { dependencies } = vm.runInNewContext(`({ ${block} })`) as { dependencies: unknown[] };
    const spec = parseServiceSpec(service("checkout", dependencies));
    expect(spec.dependencies).toEqual([
      expect.objectContaining({ name: "shop-redis", job: "shop-redis-exporter" }),
      expect.objectContaining({
        name: "shop-postgres",
        job: "shop-postgres-exporter",
        exporter: { provision: expect.objectContaining({ port: 5432, sslMode: "require" }) },
      }),
    ]);
  });
});
