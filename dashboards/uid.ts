import { createHash } from "node:crypto";

/** Grafana's limit on a dashboard uid's length. */
export const MAX_UID_LENGTH = 40;

/** Lowercase words joined by `-`: `Divan API / RED` -> `divan-api-red`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * A dashboard uid derived from its name only, so it is the same on every synth and in every
 * environment: `obs-<slug>`, cut to 40 characters with a short hash of the full name when longer.
 */
export function dashboardUid(name: string): string {
  const full = `obs-${slug(name)}`;
  if (full.length <= MAX_UID_LENGTH) return full;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${full.slice(0, MAX_UID_LENGTH - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}
