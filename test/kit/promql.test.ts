import {
  anyOfRegex,
  bucketBoundarySpellings,
  bucketMatcher,
  copyLabel,
  eq,
  formatNumber,
  histogramQuantile,
  nre,
  quote,
  rate,
  re,
  safeRatio,
  selector,
  sumBy,
} from "../../kit/promql";
import { isRecordedMetric, lookbackSeconds, promqlSyntaxError, rangeReads } from "../../kit/promql-syntax";
import { durationSchema, durationSeconds, formatDuration, parseDuration } from "../../model/duration";

describe("PromQL helpers", () => {
  it("builds selectors with escaped matcher values", () => {
    expect(selector("up")).toBe("up");
    expect(selector("http_requests_total", [eq("job", "edge"), re("code", "5.."), nre("route", "/health")])).toBe(
      'http_requests_total{job="edge",code=~"5..",route!~"/health"}',
    );
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it("builds rate, sum by, ratio and histogram quantile expressions", () => {
    const requests = selector("http_requests_total", [eq("job", "edge")]);
    expect(sumBy(["route"], rate(requests))).toBe('sum by (route) (rate(http_requests_total{job="edge"}[5m]))');
    expect(sumBy([], rate(requests, "30s"))).toBe('sum(rate(http_requests_total{job="edge"}[30s]))');
    expect(safeRatio("a", "b")).toBe("(a) / clamp_min(b, 1e-12)");
    expect(histogramQuantile(0.95, "x")).toBe("histogram_quantile(0.95, x)");
    expect(copyLabel("x", "endpoint", "route")).toBe('label_replace(x, "route", "$1", "endpoint", "(.*)")');
  });

  it("writes numbers without float noise", () => {
    expect(formatNumber(14.4 * 0.001)).toBe("0.0144");
    expect(formatNumber(1 - 0.999)).toBe("0.001");
    expect(formatNumber(3)).toBe("3");
    expect(() => formatNumber(Number.NaN)).toThrow(/value must be a finite number, got NaN/);
  });

  it("matches a bucket boundary in every client's spelling, escaping the dot", () => {
    expect(bucketBoundarySpellings(1)).toEqual(["1", "1.0"]);
    expect(bucketBoundarySpellings(0.25)).toEqual(["0.25"]);
    expect(bucketBoundarySpellings(10)).toEqual(["10", "10.0"]);
    expect(bucketBoundarySpellings(0.00001)).toEqual(["1e-05", "0.00001"]);
    expect(bucketMatcher(1)).toEqual({ label: "le", op: "=~", value: "1|1\\.0" });
    expect(selector("x_bucket", [bucketMatcher(2.5)])).toBe('x_bucket{le=~"2\\\\.5"}');
    // RE2 anchors the regex; an unescaped "1.0" would also match "100".
    const regex = new RegExp(`^(?:${anyOfRegex(bucketBoundarySpellings(1))})$`);
    expect(["1", "1.0", "100", "1x0", "10"].filter((le) => regex.test(le))).toEqual(["1", "1.0"]);
  });

  it("fails when a bucket boundary is not a positive number", () => {
    expect(() => bucketBoundarySpellings(0)).toThrow(/bucket boundary must be a positive finite number of seconds, got 0/);
  });
});

describe("durations", () => {
  it("parses and formats Prometheus durations", () => {
    expect(["5m", "1h30m", "3d", "30s"].map((d) => durationSeconds(parseDuration(d)))).toEqual([300, 5400, 259_200, 30]);
    expect([300, 5400, 259_200, 0].map(formatDuration)).toEqual(["5m", "1h30m", "3d", "0s"]);
  });

  it("fails when a duration is malformed", () => {
    expect(() => parseDuration("5 minutes")).toThrow(/duration must be a duration such as 30s, 5m, 1h30m, 2d, got "5 minutes"/);
  });

  it("validates durations in schemas with the same message, yielding the Duration type", () => {
    expect(durationSchema.parse("1h30m")).toBe("1h30m");
    expect(durationSchema.safeParse("90 minutes").error?.issues[0]?.message).toBe("must be a duration such as 30s, 5m, 1h30m, 2d");
  });
});

describe("PromQL syntax", () => {
  it("accepts what the builders write and points at the first error otherwise", () => {
    expect(promqlSyntaxError('sum by (le) (rate(x_bucket{le=~"1|1\\\\.0"}[5m])) or vector(0)')).toBeUndefined();
    expect(promqlSyntaxError("sum(rate(x[5m])")).toMatch(/^at offset \d+ near /);
    expect(promqlSyntaxError("  ")).toBe("empty expression");
  });

  it("finds every range read, with the metrics it reads", () => {
    const expr = 'max_over_time(rate(http_requests_total{job="a"}[5m])[1h:1m]) > 0 and sum_over_time(slo:sli_total:rate5m[3d]) > 0';
    expect(rangeReads(expr).map(({ kind, metrics, seconds }) => ({ kind, metrics, seconds }))).toEqual([
      { kind: "subquery", metrics: ["http_requests_total"], seconds: 3600 },
      { kind: "range", metrics: ["http_requests_total"], seconds: 300 },
      { kind: "range", metrics: ["slo:sli_total:rate5m"], seconds: 259_200 },
    ]);
    expect(isRecordedMetric("slo:sli_total:rate5m")).toBe(true);
    expect(isRecordedMetric("http_requests_total")).toBe(false);
  });
});

describe("how far back an expression reads", () => {
  it("adds each selector's range to the offsets and subquery ranges around it, and takes the furthest", () => {
    expect(lookbackSeconds("up")).toBe(0);
    expect(lookbackSeconds("rate(x[5m])")).toBe(300);
    expect(lookbackSeconds("x offset 2d")).toBe(2 * 86_400);
    expect(lookbackSeconds("rate(x[1h] offset 2d)")).toBe(2 * 86_400 + 3_600);
    expect(lookbackSeconds("sum_over_time((a offset 1d or b)[30d:1h])")).toBe(31 * 86_400);
    expect(lookbackSeconds("(a + (a offset 1d or a * 0) + (a offset 2d or a * 0)) / 3")).toBe(2 * 86_400);
  });
});
