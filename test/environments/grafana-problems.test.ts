import { loadProfiles, parseProfile, PROFILE_INPUTS, ProfileValidationError } from "../../environments";

/** A deep copy of a shipped profile, to break one thing at a time. */
function copyOf(name: keyof typeof PROFILE_INPUTS): any {
  return structuredClone(PROFILE_INPUTS[name]);
}

function problemsOf(input: unknown, label: string): readonly string[] {
  try {
    parseProfile(input, label);
  } catch (error) {
    if (error instanceof ProfileValidationError) return error.problems;
    throw error;
  }
  throw new Error("expected a ProfileValidationError, nothing was thrown");
}

/** prod's input under another name, as a second production region would start. */
function prodUs(): any {
  return { ...copyOf("prod"), name: "prod-us", externalLabels: { cluster: "prod-us1", environment: "prod-us" } };
}

const SQLITE_REPLICAS =
  "must be 1 without grafana.database: more replicas would share one SQLite file on one ReadWriteOnce volume " +
  "(name a shared Postgres or MySQL in grafana.database to run more)";

describe("Grafana's replicas and shared database", () => {
  it("fails more than one replica without a shared database, in a non-production tier too", () => {
    const dev = copyOf("dev");
    dev.grafana.replicas = 2;
    expect(problemsOf(dev, "dev")).toEqual([`grafana.replicas ${SQLITE_REPLICAS}, got 2 (environment "dev")`]);
  });

  it("fails a production profile without a shared database, naming what the tier needs", () => {
    const profile = prodUs();
    delete profile.grafana.database;
    profile.grafana.persistence = { size: "5Gi" };
    expect(problemsOf(profile, "prod-us")).toEqual([
      `grafana.replicas ${SQLITE_REPLICAS}, got 2 (environment "prod-us")`,
      'grafana.database must name a shared Postgres or MySQL in tier "production", so that Grafana runs 2 or more replicas (high availability), got nothing (environment "prod-us")',
    ]);
    profile.grafana.replicas = 1;
    expect(problemsOf(profile, "prod-us")).toEqual([
      'grafana.database must name a shared Postgres or MySQL in tier "production", so that Grafana runs 2 or more replicas (high availability), got nothing (environment "prod-us")',
    ]);
  });

  it("fails a production profile with one replica on its shared database", () => {
    const profile = prodUs();
    profile.grafana.replicas = 1;
    expect(problemsOf(profile, "prod-us")).toEqual([
      'grafana.replicas must be at least 2 in tier "production" (high availability), got 1 (environment "prod-us")',
    ]);
  });

  it("accepts any replica count on a shared database outside production, and one without", () => {
    const dev = copyOf("dev");
    delete dev.grafana.persistence;
    dev.grafana.replicas = 3;
    dev.grafana.database = { ...copyOf("prod").grafana.database };
    expect(parseProfile(dev, "dev").grafana.replicas).toBe(3);
    expect(parseProfile(copyOf("dev"), "dev").grafana.database).toBeUndefined();
  });

  it("fails when Grafana has neither a SQLite volume nor a shared database", () => {
    const dev = copyOf("dev");
    delete dev.grafana.persistence;
    expect(problemsOf(dev, "dev")).toEqual([
      `grafana.persistence must be set without grafana.database: it is the volume of Grafana's SQLite file, got nothing (environment "dev")`,
    ]);
  });

  it("fails when a volume is named beside the shared database", () => {
    const prod = copyOf("prod");
    prod.grafana.persistence = { size: "5Gi", storageClassName: "gp3" };
    expect(problemsOf(prod, "prod")).toEqual([
      'grafana.persistence must be left out with grafana.database: Grafana then keeps its state in the database and nothing on a volume, got {"size":"5Gi","storageClassName":"gp3"} (environment "prod")',
    ]);
  });

  it("fails a database address without a port, an unknown sslMode and an unknown type", () => {
    const prod = copyOf("prod");
    prod.grafana.database.host = "grafana-db.example.com";
    prod.grafana.database.sslMode = "prefer";
    expect(problemsOf(prod, "prod")).toEqual([
      'grafana.database.host must be host:port, such as grafana-db.example.com:5432, got "grafana-db.example.com" (environment "prod")',
      'grafana.database.sslMode must be one of disable, require, verify-ca, verify-full, got "prefer" (environment "prod")',
    ]);
    const sqlite = copyOf("prod");
    sqlite.grafana.database.type = "sqlite3";
    expect(problemsOf(sqlite, "prod")[0]).toMatch(/^grafana\.database\.type must be one of postgres, mysql, got "sqlite3"/);
  });

  it("fails a password written into the profile without echoing it, and a database Secret without its key", () => {
    const prod = copyOf("prod");
    prod.grafana.database.password = "hunter2";
    delete prod.grafana.database.passwordSecret.key;
    const problems = problemsOf(prod, "prod");
    expect(problems).toEqual([
      'grafana.database.passwordSecret.key must be a string, got nothing (environment "prod")',
      'grafana.database.password is not a known field (environment "prod")',
    ]);
    expect(problems.join("\n")).not.toContain("hunter2");
  });

  it("defaults Postgres' sslMode to require", () => {
    const prod = copyOf("prod");
    delete prod.grafana.database.sslMode;
    expect(parseProfile(prod, "prod").grafana.database).toMatchObject({ type: "postgres", sslMode: "require" });
  });

  it("ships staging and prod on a shared Postgres with two replicas, dev and local on one SQLite replica", () => {
    expect(loadProfiles().map((p) => [p.name, p.grafana.replicas, p.grafana.database?.type ?? "sqlite", p.grafana.persistence?.size ?? null])).toEqual([
      ["local", 1, "sqlite", "1Gi"],
      ["dev", 1, "sqlite", "1Gi"],
      ["staging", 2, "postgres", null],
      ["prod", 2, "postgres", null],
    ]);
  });
});
