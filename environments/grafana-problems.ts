import type { Problem } from "../model/validation-error";
import type { EnvironmentProfile } from "./profile-schema";

const PRODUCTION = 'in tier "production"';

/**
 * What Grafana's section must hold beyond its schema. In every tier: a volume for SQLite exactly
 * when there is no shared database, and more than one replica only on a shared database, since
 * without one Grafana keeps its state in a SQLite file on one ReadWriteOnce volume (the second pod
 * cannot attach it, or two processes write one file). In tier `production`, also: a shared
 * database and at least 2 replicas (high availability). Returns one problem per broken rule, empty
 * when the section is fine.
 */
export function grafanaProblems(profile: EnvironmentProfile): Problem[] {
  const { replicas, database, persistence } = profile.grafana;
  const problems: Problem[] = [];
  if (database === undefined && persistence === undefined) {
    problems.push({ path: ["grafana", "persistence"], message: "must be set without grafana.database: it is the volume of Grafana's SQLite file" });
  }
  if (database !== undefined && persistence !== undefined) {
    problems.push({
      path: ["grafana", "persistence"],
      message: "must be left out with grafana.database: Grafana then keeps its state in the database and nothing on a volume",
      received: persistence,
    });
  }
  if (replicas > 1 && database === undefined) {
    problems.push({
      path: ["grafana", "replicas"],
      message:
        "must be 1 without grafana.database: more replicas would share one SQLite file on one ReadWriteOnce volume " +
        "(name a shared Postgres or MySQL in grafana.database to run more)",
      received: replicas,
    });
  }
  if (profile.tier === "production") {
    if (database === undefined) {
      problems.push({
        path: ["grafana", "database"],
        message: `must name a shared Postgres or MySQL ${PRODUCTION}, so that Grafana runs 2 or more replicas (high availability)`,
      });
    } else if (replicas < 2) {
      problems.push({ path: ["grafana", "replicas"], message: `must be at least 2 ${PRODUCTION} (high availability)`, received: replicas });
    }
  }
  return problems;
}
