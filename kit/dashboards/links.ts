import { runbookUrl } from "../runbook-url";
import { DATASOURCES, type DatasourceRef } from "./datasource-refs";
import type { PanelLink } from "./panels";

/** A panel link to the runbook of an alert, under the environment's runbook base URL. */
export function runbookLink(runbookBaseUrl: string, alert: string): PanelLink {
  return { title: `Runbook: ${alert}`, url: runbookUrl(runbookBaseUrl, alert) };
}

/**
 * A link that opens Grafana Explore on one query over the dashboard's time range. The pane state is
 * JSON in the `panes` parameter, URL-encoded.
 */
export function exploreUrl(datasource: DatasourceRef, query: Record<string, unknown>): string {
  const panes = {
    a: {
      datasource: datasource.uid,
      queries: [{ refId: "A", datasource, ...query }],
      range: { from: "now-1h", to: "now" },
    },
  };
  return `/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

/** The LogQL stream selector of a service's logs (Loki's OTLP endpoint indexes `service.name` as `service_name`). */
export function serviceLogSelector(service: string): string {
  return `{service_name=${JSON.stringify(service)}}`;
}

/** Explore links to the same service's logs and traces. */
export function exploreLinks(service: string): PanelLink[] {
  return [
    { title: `Logs of ${service} (Explore)`, url: exploreUrl(DATASOURCES.loki, { expr: serviceLogSelector(service) }) },
    {
      title: `Traces of ${service} (Explore)`,
      url: exploreUrl(DATASOURCES.tempo, { queryType: "traceql", query: `{resource.service.name=${JSON.stringify(service)}}` }),
    },
  ];
}
