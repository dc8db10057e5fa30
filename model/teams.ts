import { z } from "zod";

/**
 * The teams that own services and receive their alerts: the values of the `team` label and the
 * keys every environment profile maps to receivers (`alerting.teams`). This is the one list;
 * adding a team here makes every profile that does not give it receivers fail validation.
 */
export const TEAMS = ["platform", "social", "web", "core", "data", "ai", "growth", "media"] as const;

/** One declared team. */
export type Team = (typeof TEAMS)[number];

/** A team name: one of {@link TEAMS}. */
export const teamName = z.enum(TEAMS, { error: `must be a declared team (${TEAMS.join(", ")}; declared in model/teams.ts)` });

/** A record with one value per declared team, in the order of {@link TEAMS}. */
export function perTeam<T>(valueOf: (team: Team) => T): Record<Team, T> {
  return Object.fromEntries(TEAMS.map((team) => [team, valueOf(team)])) as Record<Team, T>;
}
