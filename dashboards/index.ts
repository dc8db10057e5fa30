/**
 * The pure dashboard library: typed service specs in, Grafana dashboard models out, built on
 * @grafana/grafana-foundation-sdk. Nothing here imports cdktf or constructs.
 */
import type { ServiceSpec } from "../signals/service-spec";
import type { DashboardContext } from "../kit/dashboards/context";
import type { DashboardArtifact } from "../kit/dashboards/dashboard";
import { buildCanariesDashboard } from "./canaries";
import { buildDependenciesDashboard } from "./dependencies";
import { buildJobsQueuesDashboard } from "./jobs-queues";
import { buildPlatformOverviewDashboard } from "./platform-overview";
import { buildProbesDashboard } from "./probes";
import { buildServiceDashboard } from "./service-dashboard";
import { buildSloDashboard } from "./slo-budget";
import { buildSocketsDashboard } from "./sockets";
import { buildStackHealthDashboard } from "./stack-health";

export type { DashboardContext } from "../kit/dashboards/context";
export { GENERATED_TAG, PLATFORM_FOLDER, SERVICE_DASHBOARD_TAG, type DashboardArtifact } from "../kit/dashboards/dashboard";
export { dashboardUid } from "../kit/dashboards/uid";
export { serviceDashboardKey, serviceDashboardTitle } from "./service-dashboard";

/** What {@link buildDashboards} needs of an environment. */
export interface DashboardsInput extends DashboardContext {
  /** Namespace the stack runs in (its own logs). */
  readonly namespace: string;
}

/**
 * Every dashboard of an environment, sorted by uid: the platform set (overview, SLOs, dependencies,
 * sockets, jobs and queues, probes, the stack's health), templated so that it is the same whatever
 * the catalog holds, and one dashboard per service.
 */
export function buildDashboards(services: readonly ServiceSpec[], input: DashboardsInput): DashboardArtifact[] {
  const dashboards = [
    buildPlatformOverviewDashboard(),
    buildSloDashboard(input),
    buildDependenciesDashboard(input),
    buildSocketsDashboard(input),
    buildJobsQueuesDashboard(input),
    buildProbesDashboard(input),
    buildCanariesDashboard(input),
    buildStackHealthDashboard(input.namespace),
    ...services.map((s) => buildServiceDashboard(s, input)),
  ];
  // The uid is a function of the key, so unique uids mean unique keys (and Terraform construct ids).
  const seen = new Map<string, DashboardArtifact>();
  for (const d of dashboards) {
    const other = seen.get(d.uid);
    if (other !== undefined) {
      throw new Error(`dashboard uids must be unique, got "${d.uid}" for key "${other.key}" ("${other.title}") and key "${d.key}" ("${d.title}")`);
    }
    seen.set(d.uid, d);
  }
  return dashboards.sort((a, b) => a.uid.localeCompare(b.uid));
}
