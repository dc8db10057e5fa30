/**
 * Assembles the groups of a service and of the platform, and one rule file per service plus
 * `platform.yaml`: what `generated/<env>/rules/` holds and the content stack deploys.
 */
import { dependencyRuleGroups } from "../signals/dependency/rules";
import { healthRuleGroup } from "../signals/health/rules";
import { jobRuleGroups } from "../signals/job/rules";
import { metaRuleGroup } from "../signals/meta/rules";
import { queueRuleGroups } from "../signals/queue/rules";
import { redRuleGroups } from "../signals/http/rules";
import type { ServiceSpec } from "../signals/service-spec";
import { sloRuleGroups } from "../signals/slo/rules";
import { socketRuleGroups } from "../signals/socket/rules";
import type { RuleContext, RuleFile, RuleGroup } from "../kit/rule-types";

/**
 * Labels every PrometheusRule object must carry: Prometheus' `ruleSelector` selects exactly these.
 */
export const PROMETHEUS_RULE_LABELS = { "observability.stack/rules": "true" } as const;

/** The file holding platform-wide rules. */
export const PLATFORM_RULE_FILE = "platform.yaml";

/** All groups of one service: RED, one per SLO, dependencies, sockets, jobs, queues, health. */
export function buildServiceRuleGroups(service: ServiceSpec, ctx: RuleContext): RuleGroup[] {
  return [
    ...redRuleGroups(service, ctx),
    ...sloRuleGroups(service, ctx),
    ...dependencyRuleGroups(service, ctx),
    ...socketRuleGroups(service, ctx),
    ...jobRuleGroups(service, ctx),
    ...queueRuleGroups(service, ctx),
    healthRuleGroup(service, ctx),
  ];
}

/** Platform-wide groups: `Watchdog` and `InfoInhibitor`. */
export function buildPlatformRuleGroups(ctx: RuleContext): RuleGroup[] {
  return [metaRuleGroup(ctx)];
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
