/**
 * Alert severities, as DESIGN.md section 4 defines them: `critical` pages a human now, `warning`
 * opens a ticket or a chat message, `info` is context for other alerts and notifies nobody.
 */
export const SEVERITIES = ["critical", "warning", "info"] as const;

/** One severity. */
export type Severity = (typeof SEVERITIES)[number];
