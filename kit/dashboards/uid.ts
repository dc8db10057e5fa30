import { createHash } from "node:crypto";

/** Grafana's limit on a dashboard uid's length. */
export const MAX_UID_LENGTH = 40;

/** A dashboard key: lowercase letters and digits, words joined by single `-` (`service-divan-api`). */
export const DASHBOARD_KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Why `key` is not a dashboard key (showing the value received), or undefined when it is one. */
export function dashboardKeyProblem(key: string): string | undefined {
  if (DASHBOARD_KEY_PATTERN.test(key)) return undefined;
  return `dashboard key must be kebab-case (a-z and 0-9, words joined by single "-"), got ${JSON.stringify(key)}`;
}

/**
 * A dashboard's uid from its stable key, never from its title, so retitling a dashboard keeps its
 * Grafana resource and its bookmarks: `obs-<key>`, cut to 40 characters with a short hash of the
 * key when longer. The same on every synth and in every environment.
 */
export function dashboardUid(key: string): string {
  const problem = dashboardKeyProblem(key);
  if (problem !== undefined) throw new Error(problem);
  const full = `obs-${key}`;
  if (full.length <= MAX_UID_LENGTH) return full;
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return `${full.slice(0, MAX_UID_LENGTH - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}
