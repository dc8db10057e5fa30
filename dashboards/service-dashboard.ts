import type { ServiceSpec } from "../signals/service-spec";
import type { DashboardContext } from "../kit/dashboards/context";
import { assembleDashboard, SERVICE_DASHBOARD_TAG, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { SIGNAL_KINDS } from "../signals";
import { logsRow } from "./service-logs";

/** Key of a service's dashboard, `service-<name>`: its uid is `obs-service-<name>`. */
export function serviceDashboardKey(service: Pick<ServiceSpec, "name">): string {
  return `service-${service.name}`;
}

/** Title of a service's dashboard (display only: the uid derives from {@link serviceDashboardKey}). */
export function serviceDashboardTitle(service: Pick<ServiceSpec, "name">): string {
  return `Service / ${service.name}`;
}

/**
 * A service's own dashboard, in its team's folder: every kind's rows in registry order (RED by
 * route and method, SLOs, dependencies, sockets, jobs, queues, probes), each only where the service
 * declares the kind, then its error logs. The "Services" dropdown switches between services.
 */
export function buildServiceDashboard(service: ServiceSpec, ctx: DashboardContext): DashboardArtifact {
  return assembleDashboard({
    key: serviceDashboardKey(service),
    title: serviceDashboardTitle(service),
    description: `${service.name}, owned by team ${service.team}${service.tier ? ` (${service.tier})` : ""}.`,
    folder: service.team,
    tags: [SERVICE_DASHBOARD_TAG, service.team],
    variables: SIGNAL_KINDS.flatMap((kind) => kind.dashboardVariables(service)),
    rows: [...SIGNAL_KINDS.flatMap((kind) => kind.dashboardRows(service, ctx)), logsRow(service)],
  });
}
