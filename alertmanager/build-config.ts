import type { AlertingProfile } from "../environments/alerting-schema";
import type { AlertmanagerConfig } from "./config-types";
import { dependencyInhibitRules, severityInhibitRules, type RoutedService } from "./inhibit-rules";
import { ALERTMANAGER_SECRET_MOUNT_DIR, buildReceivers } from "./receivers";
import { buildRoute } from "./routes";
import { buildTimeIntervals } from "./time-intervals";

/** Options of {@link buildAlertmanagerConfig}. */
export interface AlertmanagerConfigOptions {
  /**
   * Directory the receivers' Secret is mounted under (`<dir>/<secretName>/<key>`); tests point it
   * at a temporary directory.
   * @default ALERTMANAGER_SECRET_MOUNT_DIR ("/etc/alertmanager/secrets")
   */
  readonly secretsDir?: string;
}

/** Every service's team must have receivers, and service names must be unique. */
function checkServices(alerting: AlertingProfile, services: readonly RoutedService[]): void {
  const seen = new Set<string>();
  for (const service of services) {
    if (seen.has(service.name)) throw new Error(`service names must be unique, got "${service.name}" twice`);
    seen.add(service.name);
    if (!(service.team in alerting.teams)) {
      const known = Object.keys(alerting.teams).sort().join(", ");
      throw new Error(`team of service "${service.name}" must have receivers in alerting.teams, got "${service.team}" (teams with receivers: ${known})`);
    }
  }
}

/**
 * The whole Alertmanager configuration of one environment, from its validated alerting profile
 * and the services it watches. Pure: no file is read, no secret value is ever seen (receivers
 * refer to the mounted Secret by path). Throws when a service's team has no receivers.
 */
export function buildAlertmanagerConfig(
  alerting: AlertingProfile,
  services: readonly RoutedService[],
  options: AlertmanagerConfigOptions = {},
): AlertmanagerConfig {
  checkServices(alerting, services);
  const secretsDir = options.secretsDir ?? ALERTMANAGER_SECRET_MOUNT_DIR;
  return {
    // Set explicitly, like every key of the chart's default config, so Helm's merge adds nothing.
    global: { resolve_timeout: "5m" },
    route: buildRoute(alerting),
    inhibit_rules: [...severityInhibitRules(), ...dependencyInhibitRules(services)],
    receivers: buildReceivers(alerting, secretsDir),
    time_intervals: buildTimeIntervals(alerting),
    templates: [],
  };
}
