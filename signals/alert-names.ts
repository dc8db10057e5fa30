/**
 * The alert catalogue: every alert name the product can generate, in one place.
 *
 * Rule builders take their `alert:` names from here, `runbooks/<AlertName>.md` exists for exactly
 * these names, and Alertmanager inhibition rules refer to them, so a rename is one edit that the
 * type checker carries everywhere.
 */
export const ALERT_NAMES = {
  /** 5xx ratio of a service above its threshold (RED). */
  ServiceHighErrorRate: "ServiceHighErrorRate",
  /** p95 latency of a service above its threshold (RED). */
  ServiceHighLatencyP95: "ServiceHighLatencyP95",
  /** Multiwindow multi-burn-rate alert of an SLO (page and ticket severities). */
  SLOErrorBudgetBurn: "SLOErrorBudgetBurn",
  /** The metric an SLI is computed from has disappeared. */
  SLIMetricAbsent: "SLIMetricAbsent",
  RedisDown: "RedisDown",
  RedisHighLatency: "RedisHighLatency",
  PostgresDown: "PostgresDown",
  PostgresHighLatency: "PostgresHighLatency",
  /** Socket.IO connected clients fell by more than half in 5m. */
  SocketClientsDrop: "SocketClientsDrop",
  JobFailureSurge: "JobFailureSurge",
  JobRetrySurge: "JobRetrySurge",
  DeadLetterGrowing: "DeadLetterGrowing",
  QueueBacklogHigh: "QueueBacklogHigh",
  QueueOldestMessageAgeHigh: "QueueOldestMessageAgeHigh",
  /** predict_linear forecast: the backlog will breach the queue's SLA. */
  QueueSLABreachForecast: "QueueSLABreachForecast",
  /** Blackbox readiness probe failing for 2m. */
  ReadinessProbeFailing: "ReadinessProbeFailing",
  /** A service's scrape target missing or down for 5m. */
  TargetScrapeMissing: "TargetScrapeMissing",
  /** More than 3 container restarts in 15m. */
  PodRestartingFrequently: "PodRestartingFrequently",
  /** Always firing: proves the whole alert pipeline works (dead man's switch). */
  Watchdog: "Watchdog",
  /** Fires while info alerts fire alone; Alertmanager uses it to mute them (kube-prometheus-stack semantics). */
  InfoInhibitor: "InfoInhibitor",
} as const;

/** One alert name of the catalogue. */
export type AlertName = (typeof ALERT_NAMES)[keyof typeof ALERT_NAMES];

/** Every alert name, sorted, for one-to-one checks against runbooks. */
export const ALL_ALERT_NAMES: readonly AlertName[] = Object.values(ALERT_NAMES).sort();
