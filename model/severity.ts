/**
 * Alert severities, as DESIGN.md section 4 defines them: `critical` pages a human now, `warning`
 * opens a ticket or a chat message, `info` is context for other alerts and notifies nobody.
 */
export const SEVERITIES = ["critical", "warning", "info"] as const;

/** One severity. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * The `severity` of the two meta alerts, `Watchdog` and `InfoInhibitor`, as kube-prometheus-stack
 * labels them. Not a {@link Severity}: they notify no team, and `InfoInhibitor`'s own expression
 * reads `ALERTS{severity="info"}`, so labelling either `info` would make it inhibit (or sustain)
 * itself.
 */
export const META_SEVERITY = "none";

/** The `severity` label of any alert the product generates. */
export type AlertSeverity = Severity | typeof META_SEVERITY;
