import type { Duration } from "../../model/duration";
import { alertingRule, recordingRule } from "../../kit/rule";
import { CTX } from "../support/context";

const props = {
  alert: "RedisDown" as const,
  expr: 'max by (job) (redis_up{job="cache"}) == 0',
  for: "2m" as const,
  severity: "critical" as const,
  service: "core-api",
  team: "core",
  labels: { dependency: "core-redis" },
  summary: "Redis core-redis of core-api is down",
  description: "redis_up of job {{ $labels.job }} has been 0 for 2m.",
};

describe("alertingRule", () => {
  it("carries severity, service, team and the one injected runbook_url", () => {
    expect(alertingRule(props, CTX)).toEqual({
      alert: "RedisDown",
      expr: 'max by (job) (redis_up{job="cache"}) == 0',
      for: "2m",
      labels: { dependency: "core-redis", service: "core-api", severity: "critical", team: "core" },
      annotations: {
        summary: "Redis core-redis of core-api is down",
        description: "redis_up of job {{ $labels.job }} has been 0 for 2m.",
        runbook_url: "https://runbooks.example.com/observability/RedisDown.md",
      },
    });
  });

  it("omits `for` when the alert fires at once", () => {
    expect(alertingRule({ ...props, for: undefined }, CTX)).not.toHaveProperty("for");
  });

  it("fails when a custom expression is malformed, naming the rule", () => {
    expect(() => alertingRule({ ...props, expr: 'max(redis_up{job="cache"} == 0' }, CTX)).toThrow(
      /malformed PromQL in alert "RedisDown": at offset \d+ near .*, got "max\(redis_up/,
    );
  });

  it("fails when the alert name is not PascalCase", () => {
    expect(() => alertingRule({ ...props, alert: "redis_sad" }, CTX)).toThrow(/alert must be a PascalCase name such as QueueBacklogHigh, got "redis_sad"/);
  });

  it("fails when `for` is not a duration", () => {
    expect(() => alertingRule({ ...props, for: "2 minutes" as Duration }, CTX)).toThrow(
      /for must be a duration such as 10m, got "2 minutes" \(alert "RedisDown"\)/,
    );
  });

  it("fails when the runbook base URL is not absolute", () => {
    expect(() => alertingRule(props, { ...CTX, runbookBaseUrl: "runbooks" })).toThrow(/baseUrl must be an absolute http\(s\) URL, got "runbooks"/);
  });
});

describe("recordingRule", () => {
  it("sorts its labels and leaves out empty ones", () => {
    expect(recordingRule({ record: "a:b:c", expr: "sum(x)", labels: { z: "1", a: "2" } })).toEqual({
      record: "a:b:c",
      expr: "sum(x)",
      labels: { a: "2", z: "1" },
    });
    expect(recordingRule({ record: "a:b:c", expr: "sum(x)", labels: {} })).toEqual({ record: "a:b:c", expr: "sum(x)" });
  });

  it("fails when a custom expression is malformed, naming the rule", () => {
    expect(() => recordingRule({ record: "job:custom:rate5m", expr: "sum(rate(x[5m])" })).toThrow(/malformed PromQL in record "job:custom:rate5m"/);
  });

  it("fails when the record name is not a metric name", () => {
    expect(() => recordingRule({ record: "job custom", expr: "x" })).toThrow(/record must be a metric name such as level:metric:operations, got "job custom"/);
  });
});
