import { ALERT_NAMES } from "../alert-rules/alert-names";
import type { ServiceSpec } from "../alert-rules/service-spec";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { statPanel, timeseriesPanel } from "./panels";

/** The URLs probed for one service (readiness, liveness), in a stable order. */
export function probedUrls(service: ServiceSpec): string[] {
  return [service.probes.readinessUrl, service.probes.livenessUrl].filter((u): u is string => u !== undefined);
}

/** Synthetic probes of one service: success and duration per URL. */
export function probeRow(service: ServiceSpec, ctx: DashboardContext): PanelRow | undefined {
  const urls = probedUrls(service);
  if (urls.length === 0) return undefined;
  const instances = `instance=~"${urls.map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|")}"`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.ReadinessProbeFailing)];
  return {
    title: `Probes of ${service.name}`,
    panels: [
      statPanel({
        title: "Success",
        unit: "percentunit",
        width: 6,
        height: 8,
        baseColor: "red",
        thresholds: [{ value: 0.99, color: "green" }],
        queries: [{ expr: `avg_over_time(probe_success{${instances}}[$__range])`, legend: "{{instance}}" }],
        links: runbook,
      }),
      timeseriesPanel({
        title: "Probe success",
        unit: "bool_on_off",
        width: 9,
        min: 0,
        max: 1,
        queries: [{ expr: `min by (instance) (probe_success{${instances}})`, legend: "{{instance}}" }],
        links: runbook,
      }),
      timeseriesPanel({
        title: "Probe duration",
        unit: "s",
        width: 9,
        min: 0,
        queries: [{ expr: `max by (instance) (probe_duration_seconds{${instances}})`, legend: "{{instance}}" }],
      }),
    ],
  };
}

/** Synthetic probes of the whole catalog. */
export function buildProbesDashboard(services: readonly ServiceSpec[], ctx: DashboardContext): DashboardArtifact {
  return assembleDashboard({
    title: "Probes",
    description: "Blackbox probes of every service: readiness and liveness success and latency.",
    folder: PLATFORM_FOLDER,
    tags: ["probes"],
    rows: services.flatMap((s) => probeRow(s, ctx) ?? []),
  });
}
