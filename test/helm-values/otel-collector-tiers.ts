/** Test support for the collector tiers: their values per environment and the routes data takes through a collector's pipelines. */
import { loadProfiles, type EnvironmentProfile } from "../../environments";
import { buildOtelAgentValues, buildOtelGatewayValues, buildOtelSamplerValues } from "../../helm-values/otel-collector";

export const profiles = loadProfiles();
export const profileOf = (name: string): EnvironmentProfile => profiles.find((p) => p.name === name)!;
/** `it.each` rows of every shipped environment. */
export const envs = profiles.map((p) => [p.name] as const);

/** The three tiers' values of one environment, read as the chart reads them. */
export function tiersOf(env: string): { agent: any; gateway: any; sampler: any } {
  const profile = profileOf(env);
  return { agent: buildOtelAgentValues(profile), gateway: buildOtelGatewayValues(profile), sampler: buildOtelSamplerValues(profile) };
}

export const TIERS = ["agent", "gateway", "sampler"] as const;

/** The pipelines of a collector config, removed chart defaults (`null`) left out. */
export function pipelinesOf(config: any): Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> {
  return Object.fromEntries(Object.entries(config.service.pipelines).filter(([, p]) => p !== null)) as any;
}

/** One way data goes through a collector: from a receiver, through the pipelines (joined by connectors), to an exporter. */
export interface Route {
  readonly pipelines: readonly string[];
  readonly processors: readonly string[];
  readonly exporter: string;
}

/** Every route from a receiver to an exporter, following connectors (ids under `connectors`) from the pipelines that export to them. */
export function routesOf(config: any): Route[] {
  const pipelines = pipelinesOf(config);
  const connectors = new Set(Object.keys(config.connectors ?? {}));
  const walk = (name: string, before: Route["pipelines"], processors: Route["processors"]): Route[] => {
    const p = pipelines[name]!;
    const here = [...before, name];
    const seen = [...processors, ...p.processors];
    return p.exporters.flatMap((exporter) =>
      connectors.has(exporter)
        ? Object.entries(pipelines)
            .filter(([, next]) => next.receivers.includes(exporter))
            .flatMap(([next]) => walk(next, here, seen))
        : [{ pipelines: here, processors: seen, exporter }],
    );
  };
  return Object.entries(pipelines)
    .filter(([, p]) => p.receivers.some((r) => !connectors.has(r)))
    .flatMap(([name]) => walk(name, [], []));
}
