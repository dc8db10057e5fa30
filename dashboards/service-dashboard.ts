import type { ServiceSpec } from "../signals/service-spec";
import type { DashboardContext } from "./context";
import { assembleDashboard, SERVICE_DASHBOARD_TAG, type DashboardArtifact } from "./dashboard";
import { dependencyRows } from "./dependencies";
import { jobsAndQueuesRows } from "./jobs-queues";
import { probeRow } from "./probes";
import { logsRow, redRows, redVariables } from "./service-red";
import { sloRow } from "./slo-budget";
import { socketRow } from "./sockets";

/** Key of a service's dashboard, `service-<name>`: its uid is `obs-service-<name>`. */
export function serviceDashboardKey(service: Pick<ServiceSpec, "name">): string {
  return `service-${service.name}`;
}

/** Title of a service's dashboard (display only: the uid derives from {@link serviceDashboardKey}). */
export function serviceDashboardTitle(service: Pick<ServiceSpec, "name">): string {
  return `Service / ${service.name}`;
}

/**
 * A service's own dashboard, in its team's folder: RED by route and method (HTTP services), its
 * SLOs, dependencies, queues and jobs, sockets, probes and error logs, each row only where the
 * service declares it. The "Services" dropdown switches between services.
 */
export function buildServiceDashboard(service: ServiceSpec, ctx: DashboardContext): DashboardArtifact {
  const http = service.red.enabled;
  return assembleDashboard({
    key: serviceDashboardKey(service),
    title: serviceDashboardTitle(service),
    description: `${service.name}, owned by team ${service.team}${service.tier ? ` (${service.tier})` : ""}.`,
    folder: service.team,
    tags: [SERVICE_DASHBOARD_TAG, service.team],
    variables: http ? redVariables(service) : [],
    rows: [
      ...(http ? redRows(service, ctx) : []),
      ...service.slos.map((slo) => sloRow(service, slo, ctx)),
      ...dependencyRows(service, ctx),
      ...jobsAndQueuesRows(service, ctx),
      ...[socketRow(service, ctx), probeRow(service, ctx)].filter((r) => r !== undefined),
      logsRow(service),
    ],
  });
}
