import { META_ALERTS } from "../signals/meta/alerts";
import type { Severity } from "../model/severity";
import type { AlertingProfile, SeverityPolicy } from "../environments/alerting-schema";
import { TEAMS, type Team } from "../model/teams";
import type { Route } from "./config-types";
import { matcher } from "./matchers";
import { NULL_RECEIVER } from "./receivers";

/**
 * Watchdog timing: notified at once, then on every 1m group interval. The repeat interval is just
 * under the group interval so that each flush repeats (a 1m repeat would race the 1m flush and
 * often wait a second interval).
 */
export const WATCHDOG_TIMING = { group_wait: "0s", group_interval: "1m", repeat_interval: "50s" } as const;

/** The severities a team is notified of, and which of its receivers gets each. */
const TEAM_SEVERITIES: readonly { severity: Severity; role: "pager" | "ticket" }[] = [
  { severity: "critical", role: "pager" },
  { severity: "warning", role: "ticket" },
];

/** A policy's grouping and timing as route fields. */
function timing(policy: SeverityPolicy) {
  return {
    group_by: [...policy.groupBy],
    group_wait: policy.groupWait,
    group_interval: policy.groupInterval,
    repeat_interval: policy.repeatInterval,
  };
}

/** Names of the mute timings that apply to one team's notifications of one severity. */
export function muteTimingsFor(alerting: AlertingProfile, team: Team, severity: Severity): string[] {
  return alerting.muteTimings.filter((t) => t.severities.includes(severity) && (t.teams === undefined || t.teams.includes(team))).map((t) => t.name);
}

/** `critical` to the team's pager, `warning` to its ticket receiver, each with its severity's timing. */
function severityRoutes(alerting: AlertingProfile, team: Team): Route[] {
  const receivers = alerting.teams[team];
  return TEAM_SEVERITIES.map(({ severity, role }) => {
    const muted = muteTimingsFor(alerting, team, severity);
    return {
      receiver: receivers[role],
      matchers: [matcher("severity", "=", severity)],
      ...timing(alerting.severityPolicies[severity]),
      ...(muted.length > 0 ? { mute_time_intervals: muted } : {}),
    };
  });
}

/**
 * The routing tree, first match wins:
 * 1. `Watchdog` to the dead man's switch, every minute;
 * 2. `InfoInhibitor` and every `info` alert to the `null` receiver (context, never notified);
 * 3. per team (`team` label): `critical` to its pager, `warning` to its ticket receiver, anything
 *    else (an unknown severity) to its ticket receiver;
 * 4. alerts without a known team: the default team's routes, then its ticket receiver.
 * Every key the kube-prometheus-stack chart sets on its default route is set here, because Helm
 * deep-merges maps and would otherwise mix the chart's values into this tree.
 */
export function buildRoute(alerting: AlertingProfile): Route {
  // Every declared team has receivers (the profile schema checks it); routes in name order.
  const teams = [...TEAMS].sort();
  const defaultTeam = alerting.teams[alerting.defaultTeam];
  const fallback = alerting.severityPolicies.warning;
  return {
    receiver: defaultTeam.ticket,
    ...timing(fallback),
    routes: [
      {
        receiver: alerting.deadMansSwitch,
        matchers: [matcher("alertname", "=", META_ALERTS.Watchdog)],
        group_by: ["alertname"],
        ...WATCHDOG_TIMING,
      },
      { receiver: NULL_RECEIVER, matchers: [matcher("alertname", "=", META_ALERTS.InfoInhibitor)] },
      { receiver: NULL_RECEIVER, matchers: [matcher("severity", "=", "info")], ...timing(alerting.severityPolicies.info) },
      ...teams.map((team) => ({
        receiver: alerting.teams[team].ticket,
        matchers: [matcher("team", "=", team)],
        routes: severityRoutes(alerting, team),
      })),
      ...severityRoutes(alerting, alerting.defaultTeam),
    ],
  };
}
