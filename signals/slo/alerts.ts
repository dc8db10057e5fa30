/** The alerts of the SLO kind. */
export const SLO_ALERTS = {
  /** Multiwindow multi-burn-rate alert of an SLO (page and ticket severities). */
  SLOErrorBudgetBurn: "SLOErrorBudgetBurn",
  /** The metric an SLI is computed from has disappeared. */
  SLIMetricAbsent: "SLIMetricAbsent",
} as const;
