/**
 * Assembles the groups of a service (every kind's, in registry order) and of the platform, and one
 * rule file per service plus `platform.yaml`: what `generated/<env>/rules/` holds and the content
 * stack deploys.
 */
import type { RuleContext, RuleFile, RuleGroup } from "../kit/rule-types";
import { SIGNAL_KINDS } from "../signals";
import type { ServiceSpec } from "../signals/service-spec";

/**
 * Labels every PrometheusRule object must carry: Prometheus' `ruleSelector` selects exactly these.
 */
export const PROMETHEUS_RULE_LABELS = { "observability.stack/rules": "true" } as const;

/** The file holding platform-wide rules. */
export const PLATFORM_RULE_FILE = "platform.yaml";

/** Groups of the same name (Redis and Postgres share `<service>.dependencies`) merged, first place kept. */
export function mergeGroupsByName(groups: readonly RuleGroup[]): RuleGroup[] {
  const merged = new Map<string, RuleGroup>();
  for (const group of groups) {
    const seen = merged.get(group.name);
    if (seen !== undefined && seen.interval !== group.interval) {
      throw new Error(`rule group ${group.name} must have one interval, got ${seen.interval ?? "the global one"} and ${group.interval ?? "the global one"}`);
    }
    merged.set(group.name, seen === undefined ? group : { ...seen, rules: [...seen.rules, ...group.rules] });
  }
  return [...merged.values()];
}

/** All groups of one service, every kind's in registry order (RED, SLOs, dependencies, ..., health). */
export function buildServiceRuleGroups(service: ServiceSpec, ctx: RuleContext): RuleGroup[] {
  return mergeGroupsByName(SIGNAL_KINDS.flatMap((kind) => kind.ruleGroups(service, ctx)));
}

/** Platform-wide groups: `Watchdog` and `InfoInhibitor`. */
export function buildPlatformRuleGroups(ctx: RuleContext): RuleGroup[] {
  return mergeGroupsByName(SIGNAL_KINDS.flatMap((kind) => kind.platformRuleGroups(ctx)));
}

/** File name of a service's rules: `<service>.yaml`. */
export function serviceRuleFileName(service: Pick<ServiceSpec, "name">): string {
  return `${service.name}.yaml`;
}

/** One file per service and `platform.yaml`, sorted by file name; throws on duplicate services. */
export function buildRuleFiles(services: readonly ServiceSpec[], ctx: RuleContext): RuleFile[] {
  const names = services.map((s) => s.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw new Error(`services must have unique names, got "${repeated}" twice`);
  if (names.includes("platform")) throw new Error(`service name "platform" is reserved for ${PLATFORM_RULE_FILE}`);
  const files: RuleFile[] = [
    ...services.map((s) => ({ fileName: serviceRuleFileName(s), groups: buildServiceRuleGroups(s, ctx) })),
    { fileName: PLATFORM_RULE_FILE, groups: buildPlatformRuleGroups(ctx) },
  ];
  return files.sort((a, b) => a.fileName.localeCompare(b.fileName));
}
