/**
 * Tail sampling only behind trace-id routing. A tail sampler decides a trace from the spans it
 * holds, so every span of a trace must reach the same pod: the release that samples must be a
 * StatefulSet behind a headless Service (each pod its own endpoint), fed only by `load_balancing`
 * exporters that route by trace id to that Service. Behind a ClusterIP the spans of one trace land
 * on different pods and "keep every error and slow trace" keeps fragments. And no metrics or logs
 * pipeline routes by trace id: metrics carry none, and logs routed so would follow traces instead
 * of their stream.
 */
import type { EnvironmentArtifacts } from "../environment-artifacts";
import {
  collectorFullname,
  collectorReleases,
  componentConfig,
  componentType,
  namesService,
  valueAtPath,
  type CollectorRelease,
  type RenderedPipeline,
} from "./rendered-values";

const TAIL_SAMPLING = "tail_sampling";
/** The exporter's type since collector 0.154 and its deprecated alias. */
const LOAD_BALANCING = new Set(["load_balancing", "loadbalancing"]);
/** Exporters that send traces to one address. */
const DIRECT_TRACE_EXPORTERS = new Set(["otlp", "otlp_grpc", "otlphttp", "otlp_http"]);

const quote = (value: unknown) => (value === undefined ? "unset" : JSON.stringify(value));

/** The routing key a load_balancing exporter uses; traceID when unset (the exporter's default for traces). */
function routingKey(exporter: Readonly<Record<string, unknown>>): string {
  return typeof exporter.routing_key === "string" ? exporter.routing_key : "traceID";
}

/** The addresses a load_balancing exporter resolves its backends from, with the value path of each. */
function resolverTargets(exporterId: string, exporter: Readonly<Record<string, unknown>>): { path: string; address: string }[] {
  const base = `config.exporters.${exporterId}.resolver`;
  const k8s = valueAtPath(exporter, ["resolver", "k8s", "service"]);
  const dns = valueAtPath(exporter, ["resolver", "dns", "hostname"]);
  const hostnames = valueAtPath(exporter, ["resolver", "static", "hostnames"]);
  return [
    ...(typeof k8s === "string" ? [{ path: `${base}.k8s.service`, address: k8s }] : []),
    ...(typeof dns === "string" ? [{ path: `${base}.dns.hostname`, address: dns }] : []),
    ...(Array.isArray(hostnames) ? hostnames.flatMap((h, i) => (typeof h === "string" ? [{ path: `${base}.static.hostnames[${i}]`, address: h }] : [])) : []),
  ];
}

/** Every (release, pipeline, exporter id) that exports traces. */
function traceExports(collectors: readonly CollectorRelease[]) {
  return collectors.flatMap((collector) =>
    collector.pipelines
      .filter((p) => p.signal === "traces")
      .flatMap((pipeline) => pipeline.exporters.map((exporterId) => ({ collector, pipeline, exporterId }))),
  );
}

/** Problems of one release that runs tail sampling in `pipeline`. */
function samplerProblems(env: string, namespace: string, sampler: CollectorRelease, pipeline: RenderedPipeline, all: readonly CollectorRelease[]): string[] {
  const name = sampler.release.releaseName;
  const service = collectorFullname(sampler.release);
  const where = `${env}: release ${name} runs ${TAIL_SAMPLING} (pipeline ${pipeline.name})`;
  const problems: string[] = [];
  const mode = sampler.release.values.mode;
  if (mode !== "statefulset") {
    problems.push(`${where} with mode = ${quote(mode)}: it must be "statefulset", so each pod is an endpoint of its own behind a headless Service`);
  }
  const clusterIP = valueAtPath(sampler.release.values, ["service", "clusterIP"]);
  if (clusterIP !== "None") {
    problems.push(
      `${where} behind service.clusterIP = ${quote(clusterIP)}: it must be "None" (a headless Service), or the spans of one trace land on different pods`,
    );
  }
  let routedByTraceId = 0;
  for (const { collector, pipeline: from, exporterId } of traceExports(all)) {
    const type = componentType(exporterId);
    const exporter = componentConfig(collector, "exporters", exporterId);
    const source = `release ${collector.release.releaseName} (pipeline ${from.name})`;
    if (LOAD_BALANCING.has(type)) {
      const target = resolverTargets(exporterId, exporter).find((t) => namesService(t.address, service, namespace));
      if (target === undefined) continue;
      const key = routingKey(exporter);
      if (key === "traceID") routedByTraceId += 1;
      else {
        problems.push(
          `${where}, but ${source} routes traces to it (${target.path} = ${quote(target.address)}) by ${key} (config.exporters.${exporterId}.routing_key = ${quote(exporter.routing_key)}): it must route by traceID`,
        );
      }
    } else if (DIRECT_TRACE_EXPORTERS.has(type) && namesService(exporter.endpoint, service, namespace)) {
      problems.push(
        `${where}, but ${source} sends traces to its Service directly (config.exporters.${exporterId}.endpoint = ${quote(exporter.endpoint)}): only a load_balancing exporter routing by traceID may feed it`,
      );
    }
  }
  if (routedByTraceId === 0) {
    problems.push(
      `${where}, but no load_balancing exporter routes traces to its Service "${service}" by traceID: whatever sends to it spreads the spans of one trace over its pods`,
    );
  }
  return problems;
}

/** load_balancing exporters routing by trace id in a metrics or logs pipeline. */
function traceIdRoutedNonTraces(env: string, collectors: readonly CollectorRelease[]): string[] {
  return collectors.flatMap((collector) =>
    collector.pipelines
      .filter((p) => p.signal === "metrics" || p.signal === "logs")
      .flatMap((pipeline) =>
        pipeline.exporters
          .filter((id) => LOAD_BALANCING.has(componentType(id)) && routingKey(componentConfig(collector, "exporters", id)) === "traceID")
          .map(
            (id) =>
              `${env}: release ${collector.release.releaseName} routes ${pipeline.signal} by traceID (pipeline ${pipeline.name}, config.exporters.${id}.routing_key = ${quote(componentConfig(collector, "exporters", id).routing_key)}): only traces may be routed by trace id`,
          ),
      ),
  );
}

/** The invariant, as TOPOLOGY_INVARIANTS runs it: its messages for one environment, empty when it holds. */
export function traceRoutingProblems(artifacts: EnvironmentArtifacts): string[] {
  const env = artifacts.profile.name;
  const collectors = collectorReleases(artifacts);
  const sampling = collectors.flatMap((collector) =>
    collector.pipelines.filter((p) => p.processors.some((id) => componentType(id) === TAIL_SAMPLING)).map((pipeline) => ({ collector, pipeline })),
  );
  return [
    ...sampling.flatMap(({ collector, pipeline }) => samplerProblems(env, artifacts.profile.namespace, collector, pipeline, collectors)),
    ...traceIdRoutedNonTraces(env, collectors),
  ];
}
