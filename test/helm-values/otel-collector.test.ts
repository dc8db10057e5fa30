import YAML from "yaml";
import { loadProfiles, type EnvironmentProfile } from "../../environments";
import { clusterEndpoints } from "../../helm-values/cluster-endpoints";
import { buildOtelCollectorConfig, buildOtelCollectorValues, OTEL_COLLECTOR_CONTRIB_IMAGE, OTEL_COMPONENTS } from "../../helm-values/otel-collector";
import { PROMETHEUS_SELECTOR_LABELS } from "../../helm-values/selector-labels";

const profiles = loadProfiles(["dev", "staging", "prod"]);
const profileOf = (name: string): EnvironmentProfile => profiles.find((p) => p.name === name)!;
const envs = profiles.map((p) => [p.name] as const);

type ComponentMap = Record<string, unknown>;
interface Pipeline {
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

const pipelinesOf = (name: string): Record<string, Pipeline> => buildOtelCollectorConfig(profileOf(name)).service.pipelines;

/** An OTTL string literal's value: OTTL unquotes with Go's escapes, which JSON shares for these. */
const STRING_LITERAL = String.raw`"(?:[^"\\]|\\.)*"`;
const unquote = (literal: string): string => JSON.parse(literal) as string;

/**
 * An RE2 pattern as a JavaScript RegExp. A leading `(?i)` becomes the `i` flag and a final `\z`
 * (end of text) becomes `$` (the same without the `m` flag); any other RE2-only construct fails
 * the test rather than being silently read differently.
 */
function toJsRegExp(re2: string): RegExp {
  let source = re2;
  let flags = "g";
  if (source.startsWith("(?i)")) {
    source = source.slice("(?i)".length);
    flags += "i";
  }
  if (source.endsWith(String.raw`\z`) && !source.endsWith(String.raw`\\z`)) source = `${source.slice(0, -2)}$`;
  if (/\(\?[a-zA-Z]|\(\?P<|\\[zAQEpP]|\[\[:/.test(source)) {
    throw new Error(`no JavaScript translation for RE2 pattern ${re2}`);
  }
  return new RegExp(source, flags);
}

/** Every statement of one signal in the redaction processor, group by group. */
function redactionGroups(name: string, signal: "trace_statements" | "metric_statements" | "log_statements") {
  const processor = buildOtelCollectorConfig(profileOf(name)).processors[OTEL_COMPONENTS.redactPii];
  return processor[signal].map((group) => group.statements);
}

/** Replacements a statement list applies to one target (`log.body`, `span.attributes`), in order. */
function replacementsOn(statements: readonly string[], target: string) {
  const call = new RegExp(String.raw`^replace_(?:pattern|all_patterns)\(([a-z.]+), (?:"value", )?(${STRING_LITERAL}), (${STRING_LITERAL})\)(?: where .*)?$`);
  return statements.flatMap((statement) => {
    const match = call.exec(statement);
    if (!match || match[1] !== target) return [];
    return [{ regex: toJsRegExp(unquote(match[2])), replacement: unquote(match[3]) }];
  });
}

/** What the collector would make of `value` in `target`: each statement's pattern replaced in turn. */
function redact(statements: readonly string[], target: string, value: string): string {
  return replacementsOn(statements, target).reduce((text, r) => text.replace(r.regex, r.replacement), value);
}

/** The key pattern `delete_matching_keys` removes from `target`. */
function deletedKeys(statements: readonly string[], target: string): RegExp {
  const call = new RegExp(String.raw`^delete_matching_keys\(([a-z.]+), (${STRING_LITERAL})\)$`);
  const patterns = statements.flatMap((s) => {
    const match = call.exec(s);
    return match && match[1] === target ? [unquote(match[2])] : [];
  });
  expect(patterns).toHaveLength(1);
  return toJsRegExp(patterns[0]!);
}

describe("OpenTelemetry Collector values", () => {
  it.each([
    ["dev", 1, false],
    ["staging", 2, true],
    ["prod", 3, true],
  ] as const)("%s: a contrib Deployment x%d, PDB %s, sized from the profile", (env, replicas, pdb) => {
    const profile = profileOf(env);
    const values = buildOtelCollectorValues(profile);
    expect(values.mode).toBe("deployment");
    expect(values.image.repository).toBe(OTEL_COLLECTOR_CONTRIB_IMAGE);
    expect(values.image.repository).toMatch(/opentelemetry-collector-contrib$/);
    expect(values.replicaCount).toBe(profile.openTelemetryCollector.replicas);
    expect(values.replicaCount).toBe(replicas);
    expect(values.resources).toEqual(profile.openTelemetryCollector.resources);
    expect(values.podDisruptionBudget.enabled).toBe(pdb);
  });

  it("is scraped through a ServiceMonitor carrying the labels Prometheus selects by", () => {
    const values = buildOtelCollectorValues(profileOf("dev"));
    expect(values.ports.metrics.enabled).toBe(true);
    expect(values.serviceMonitor).toEqual({ enabled: true, extraLabels: PROMETHEUS_SELECTOR_LABELS });
    expect(values.presets.kubernetesAttributes.enabled).toBe(true);
  });

  it.each(profiles.filter((p) => p.metricsExposure === "internal").map((p) => [p.name] as const))(
    "%s (metrics internal): no Service reachable from outside the cluster",
    (env) => {
      const values = buildOtelCollectorValues(profileOf(env));
      expect(values.service.type).toBe("ClusterIP");
      expect(values.ingress.enabled).toBe(false);
      for (const port of Object.values(values.ports)) expect(port).not.toHaveProperty("nodePort");
    },
  );

  it("turns off the chart's default jaeger and zipkin ports along with their receivers", () => {
    const { ports } = buildOtelCollectorValues(profileOf("prod"));
    for (const name of ["jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"] as const) {
      expect(ports[name].enabled).toBe(false);
    }
    expect(ports.otlp.enabled).toBe(true);
    expect(ports["otlp-http"].enabled).toBe(true);
  });

  it("is deterministic and survives a YAML round trip unchanged", () => {
    for (const profile of profiles) {
      const values = buildOtelCollectorValues(profile);
      expect(buildOtelCollectorValues(profile)).toEqual(values);
      expect(YAML.parse(YAML.stringify(values))).toEqual(values);
    }
  });
});

describe("OpenTelemetry Collector pipelines", () => {
  it.each(envs)("%s: traces, metrics and logs pipelines, OTLP in", (env) => {
    const pipelines = pipelinesOf(env);
    expect(Object.keys(pipelines).sort()).toEqual(["logs", "metrics", "traces"]);
    for (const pipeline of Object.values(pipelines)) expect(pipeline.receivers).toEqual(["otlp"]);
    const { protocols } = buildOtelCollectorConfig(profileOf(env)).receivers.otlp;
    expect(protocols).toEqual({ grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } });
  });

  it.each(envs)("%s: every component a pipeline names is configured (and not a removed default)", (env) => {
    const config = buildOtelCollectorConfig(profileOf(env));
    const maps: Record<keyof Pipeline, ComponentMap> = {
      receivers: config.receivers,
      processors: config.processors,
      exporters: config.exporters,
    };
    for (const [name, pipeline] of Object.entries(config.service.pipelines) as [string, Pipeline][]) {
      for (const kind of ["receivers", "processors", "exporters"] as const) {
        expect(pipeline[kind].length).toBeGreaterThan(0);
        for (const id of pipeline[kind]) {
          expect({ pipeline: name, kind, id, configured: maps[kind][id] }).toEqual({
            pipeline: name,
            kind,
            id,
            configured: expect.any(Object),
          });
        }
      }
    }
  });

  it.each(envs)("%s: the chart's default debug exporter and jaeger/zipkin/prometheus receivers are removed", (env) => {
    const config = buildOtelCollectorConfig(profileOf(env));
    expect(config.exporters.debug).toBeNull();
    expect(config.receivers).toMatchObject({ jaeger: null, zipkin: null, prometheus: null });
    const referenced = Object.values(config.service.pipelines).flatMap((p: Pipeline) => [...p.receivers, ...p.exporters]);
    for (const removed of ["debug", "jaeger", "zipkin", "prometheus"]) expect(referenced).not.toContain(removed);
  });

  it.each(envs)("%s: memory_limiter first, batch last, k8s_attributes named so the preset does not prepend it", (env) => {
    for (const pipeline of Object.values(pipelinesOf(env))) {
      expect(pipeline.processors[0]).toBe("memory_limiter");
      expect(pipeline.processors[pipeline.processors.length - 1]).toBe("batch");
      expect(pipeline.processors).toContain("k8s_attributes");
    }
  });

  it.each(envs)("%s: PII is redacted in every pipeline before export", (env) => {
    const config = buildOtelCollectorConfig(profileOf(env));
    const redaction = config.processors[OTEL_COMPONENTS.redactPii];
    for (const [name, signal] of [
      ["traces", "trace_statements"],
      ["metrics", "metric_statements"],
      ["logs", "log_statements"],
    ] as const) {
      const processors = config.service.pipelines[name].processors;
      const at = processors.indexOf(OTEL_COMPONENTS.redactPii);
      expect({ pipeline: name, redacts: at > 0 && at < processors.length - 1 }).toEqual({ pipeline: name, redacts: true });
      expect(redaction[signal].length).toBeGreaterThan(0);
    }
  });

  it("puts each OTTL context in its own statement group (a mixed group would skip spans without events)", () => {
    for (const signal of ["trace_statements", "metric_statements", "log_statements"] as const) {
      for (const statements of redactionGroups("prod", signal)) {
        const contexts = new Set(statements.map((s) => /\(([a-z]+)\./.exec(s)?.[1]));
        expect(contexts.size).toBe(1);
      }
    }
  });

  it.each([
    ["dev", 100],
    ["staging", 20],
    ["prod", 10],
  ] as const)("%s: tail sampling keeps errors, slow traces and %d%% of the rest", (env, percentage) => {
    const profile = profileOf(env);
    const tracing = profile.openTelemetryCollector.tracing;
    expect(tracing.samplingPercentage).toBe(percentage);
    const config = buildOtelCollectorConfig(profile);
    expect(config.service.pipelines.traces.processors).toContain("tail_sampling");
    for (const other of ["metrics", "logs"] as const) {
      expect(config.service.pipelines[other].processors).not.toContain("tail_sampling");
    }
    const sampling = config.processors.tail_sampling;
    expect(sampling.decision_wait).toBe(`${tracing.decisionWaitSeconds}s`);
    const policy = (type: string) => sampling.policies.find((p) => p.type === type) as Record<string, unknown> | undefined;
    expect(policy("status_code")).toMatchObject({ status_code: { status_codes: ["ERROR"] } });
    expect(policy("latency")).toMatchObject({ latency: { threshold_ms: tracing.slowTraceThresholdMs } });
    expect(policy("probabilistic")).toMatchObject({ probabilistic: { sampling_percentage: tracing.samplingPercentage } });
    expect(new Set(sampling.policies.map((p) => p.name)).size).toBe(sampling.policies.length);
  });

  it.each(envs)("%s: traces to Tempo over gRPC, metrics to the metrics store's and logs to Loki's OTLP endpoints", (env) => {
    const profile = profileOf(env);
    const endpoints = clusterEndpoints(profile);
    const config = buildOtelCollectorConfig(profile);
    const { traces, metrics, logs } = config.service.pipelines;
    expect([traces.exporters, metrics.exporters, logs.exporters]).toEqual([["otlp_grpc"], ["otlp_http"], ["otlp_http/loki"]]);

    expect(config.exporters.otlp_grpc).toEqual({ endpoint: endpoints.tempoOtlpGrpcEndpoint, tls: { insecure: true } });

    // Mimir's gateway where the profile has Mimir (the exporter appends /v1/metrics), else Prometheus.
    const metricsEndpoint = config.exporters.otlp_http.endpoint;
    expect(metricsEndpoint).toBe(endpoints.metricsStore.otlpUrl);
    expect(metricsEndpoint).toBe(profile.mimir ? "http://mimir-gateway.observability.svc:80/otlp" : `${endpoints.prometheusUrl}/api/v1/otlp`);

    const loki = config.exporters["otlp_http/loki"];
    expect(loki.endpoint.startsWith(endpoints.lokiUrl)).toBe(true);
    expect(loki.endpoint).toMatch(/\/otlp$/);
    expect(loki.headers["X-Scope-OrgID"]).toBe(profile.loki.tenant);
  });

  it.each(envs)("%s: health_check stays in service.extensions", (env) => {
    const config = buildOtelCollectorConfig(profileOf(env));
    expect(config.service.extensions).toContain("health_check");
    expect(config.extensions.health_check).toEqual(expect.any(Object));
  });
});

describe("PII redaction statements", () => {
  const [resource, spans, events] = redactionGroups("prod", "trace_statements");
  const [, logRecords] = redactionGroups("prod", "log_statements");
  const [, datapoints] = redactionGroups("prod", "metric_statements");
  const targets = [
    ["resource.attributes", resource!],
    ["span.attributes", spans!],
    ["spanevent.attributes", events!],
    ["datapoint.attributes", datapoints!],
    ["log.attributes", logRecords!],
    ["log.body", logRecords!],
  ] as const;

  it.each(targets)("%s: masks emails, phone numbers and bearer tokens", (target, statements) => {
    expect(replacementsOn(statements, target).length).toBeGreaterThanOrEqual(3);
    const cases = [
      ["user jane.doe+orders@example.co.uk signed in", "jane.doe+orders@example.co.uk"],
      ["call +1 415-555-0132 back", "415-555-0132"],
      ["call (415) 555-0132 back", "555-0132"],
      ["call +44 20 7946 0958 back", "7946 0958"],
      ["sms to +14155550132", "4155550132"],
      ["Authorization: Bearer abc.def", "abc.def"],
      ["authorization: bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl", "eyJhbGciOi"],
    ] as const;
    for (const [input, secret] of cases) {
      const output = redact(statements, target, input);
      expect({ input, output, leaks: output.includes(secret) }).toEqual({ input, output, leaks: false });
    }
    expect(redact(statements, target, "Authorization: Bearer abc.def")).toBe("Authorization: Bearer [REDACTED]");
    expect(redact(statements, target, "mail jane@example.com")).toBe("mail [REDACTED_EMAIL]");
    expect(redact(statements, target, "call (415) 555-0132")).toBe("call [REDACTED_PHONE]");
  });

  it.each(targets)("%s: leaves ordinary values alone", (target, statements) => {
    for (const ordinary of [
      "GET /api/v1/orders/12345 200 in 1532ms",
      "2026-01-01T10:00:00.123Z",
      "10.0.0.12:8080",
      "trace 4bf92f3577b34da6a3ce929d0e0e4736",
      "build 1700000000123",
      "checkout-7d9f8c6b5-x2x9q",
    ]) {
      expect(redact(statements, target, ordinary)).toBe(ordinary);
    }
  });

  it.each(targets.filter(([target]) => target !== "log.body"))(
    "%s: deletes authorization headers and attributes, whatever their case",
    (target, statements) => {
      const keys = deletedKeys(statements, target);
      for (const key of ["authorization", "Authorization", "http.request.header.authorization", "http.request.header.cookie"]) {
        expect({ key, deleted: keys.test(key) }).toEqual({ key, deleted: true });
        keys.lastIndex = 0;
      }
      for (const key of ["http.request.method", "http.request.header.authorization_type", "user.authorization.role"]) {
        expect({ key, deleted: keys.test(key) }).toEqual({ key, deleted: false });
        keys.lastIndex = 0;
      }
    },
  );

  it("has no `$` anywhere, which the collector would take for a variable or a capture group", () => {
    for (const signal of ["trace_statements", "metric_statements", "log_statements"] as const) {
      for (const statement of redactionGroups("dev", signal).flat()) expect(statement).not.toContain("$");
    }
  });
});
