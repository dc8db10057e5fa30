/**
 * The registry: every kind of signal, in the one order every consumer reads them (spec schema, rule
 * files and their group order, promtool tests, service dashboard rows, inhibition labels, demo,
 * bench, preview). Adding a kind is its folder under signals/ and one line here.
 */
import { canaryKind } from "./canary";
import { healthKind } from "./health";
import { httpKind } from "./http";
import { jobKind } from "./job";
import type { SignalKind } from "./kind";
import { metaKind } from "./meta";
import { migrationKind } from "./migration";
import { postgresKind } from "./postgres";
import { postgresPoolKind } from "./postgres-pool";
import { queueKind } from "./queue";
import { redisKind } from "./redis";
import { sloKind } from "./slo";
import { socketKind } from "./socket";

/** Every kind, in order. */
export const SIGNAL_KINDS = [
  httpKind,
  sloKind,
  redisKind,
  postgresKind,
  postgresPoolKind,
  migrationKind,
  socketKind,
  jobKind,
  queueKind,
  healthKind,
  canaryKind,
  metaKind,
] as const;

/** Throws when two kinds share a name or an alert name: each alert has one kind and one runbook. */
export function assertDistinct(kinds: readonly SignalKind[]): void {
  const seen = new Map<string, string>();
  for (const kind of kinds) {
    for (const key of [`kind ${kind.name}`, ...kind.alertNames.map((a) => `alert ${a}`)]) {
      const other = seen.get(key);
      if (other !== undefined) throw new Error(`${key} must belong to one kind, got kinds "${other}" and "${kind.name}"`);
      seen.set(key, kind.name);
    }
  }
}
assertDistinct(SIGNAL_KINDS);

/** Every alert name of every kind, sorted: `runbooks/<AlertName>.md` exists for exactly these. */
export const ALL_ALERT_NAMES: readonly string[] = SIGNAL_KINDS.flatMap((k) => k.alertNames).sort();

/**
 * Labels that say what an alert is about, for inhibition: a higher severity mutes a lower one only
 * when these are equal (a label absent from both counts as equal). The chart's own alerts carry
 * `namespace`; every product alert carries `service`; each kind adds its instance label.
 */
export const ALERT_IDENTITY_LABELS: readonly string[] = [...new Set(["alertname", "namespace", "service", ...SIGNAL_KINDS.flatMap((k) => k.identityLabels)])];

/** Alerts saying a dependency is down; they carry `dependency` and `service`. */
export const DEPENDENCY_DOWN_ALERTS: readonly string[] = SIGNAL_KINDS.flatMap((k) => k.dependencyDownAlerts);

export { defineSignalKind, type SignalKind } from "./kind";
