import type { ServiceCore } from "../model/service-core";
import type { PanelRow } from "../kit/dashboards/layout";
import { exploreLinks, serviceLogSelector } from "../kit/dashboards/links";
import { logsPanel } from "../kit/dashboards/panels";

/** A row with the service's error logs, and Explore links to its logs and traces. */
export function logsRow(service: ServiceCore): PanelRow {
  return {
    title: "Logs",
    panels: [
      logsPanel({
        title: `Error logs of ${service.name}`,
        queries: [{ expr: `${serviceLogSelector(service.name)} |~ "(?i)(error|exception|panic)"` }],
        links: exploreLinks(service.name),
      }),
    ],
  };
}
