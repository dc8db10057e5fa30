/**
 * Selectors of the rules that a healthy preview cannot match, each with its reason (see
 * selector-coverage.ts). An exception names a metric and, where only some of its selectors are
 * excepted, a matcher they contain (`code=~"5.."`): a selector of that metric without it must still
 * match, so a misspelt job or label is never excused.
 */
import type { RuleSelector, SelectorException } from "./selector-coverage";

/** A listed exception: the metric, the matcher text it needs (if any) and why. */
export interface ListedException extends SelectorException {
  readonly matcher?: string;
}

const ONLY_ON_ERRORS = "only under a fault: the demo's counter has no error series until a request or run fails";

export const SELECTOR_EXCEPTIONS: readonly ListedException[] = [
  { metric: "http_requests_total", matcher: 'code=~"5.."', reason: ONLY_ON_ERRORS },
  { metric: "http_requests_total", matcher: 'status=~"5.."', reason: ONLY_ON_ERRORS },
  { metric: "divan_http_requests_total", matcher: 'status=~"5.."', reason: ONLY_ON_ERRORS },
  { metric: "ai_request_errors_total", reason: ONLY_ON_ERRORS },
  { metric: "sync_runs_total", matcher: 'status="failed"', reason: ONLY_ON_ERRORS },
  { metric: "divan_jobs_runs_total", matcher: 'result=~"failure"', reason: ONLY_ON_ERRORS },
  { metric: "worker_job_runs_total", matcher: 'result=~"failure"', reason: ONLY_ON_ERRORS },
  {
    metric: "service_route:http_request_errors:rate5m",
    reason: "only under a fault: recorded from the error series above, which a healthy demo does not have",
  },
  { metric: "kube_pod_container_status_restarts_total", reason: "kube-state-metrics is not part of the preview (PodRestartingFrequently is not simulated)" },
  ...["pg_table_bloat_ratio", "pg_table_bloat_dead_tuples"].map((metric) => ({
    metric,
    reason: "only with user tables: the custom query reads pg_stat_user_tables, empty in the preview's fresh Postgres until the bloat fault creates a table",
  })),
  { metric: "ALERTS", reason: "only under a fault: InfoInhibitor reads firing info, warning and critical alerts, and a healthy preview fires none" },
];

/** Whether `selector` is excused by one of `exceptions`. */
export function isExcepted(selector: RuleSelector, exceptions: readonly ListedException[] = SELECTOR_EXCEPTIONS): boolean {
  return exceptions.some((e) => e.metric === selector.metric && (e.matcher === undefined || selector.selector.includes(e.matcher)));
}
