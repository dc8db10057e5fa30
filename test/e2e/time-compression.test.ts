/**
 * The preview's transforms of generated artifacts: time compression of rules and Alertmanager
 * timings, and the redirection of receivers to the sink. They must change durations (and
 * receivers' integrations) only, and every environment's result must pass promtool and amtool.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderYaml } from "../../kit/render-yaml";
import { type Rule } from "../../kit/rule-types";
import { renderAlertmanagerYaml, type Route } from "../../alertmanager";
import { ENVIRONMENT_NAMES } from "../../environments";
import { redirectReceiversToSink } from "../../scripts/preview/alertmanager-config";
import { environmentArtifacts, previewTiming } from "../../scripts/preview/pipeline";
import {
  compressAlertmanagerConfig,
  compressDuration,
  compressPromql,
  compressRuleFiles,
  formatDurationMs,
  PREVIEW_TIME_FACTOR,
  withoutWallClockRules,
} from "../../scripts/preview/time-compression";
import { checkAlertmanagerConfig, checkRuleFiles } from "../../scripts/preview/tool-checks";

const F = PREVIEW_TIME_FACTOR;
const environments = ENVIRONMENT_NAMES.map((name) => environmentArtifacts(name));
/** The rules the compressed preview keeps (the wall-clock ones and their readers left out). */
const keptFiles = (env: (typeof environments)[number]) => withoutWallClockRules(env.ruleFiles, F).files;
const allRules = (env: (typeof environments)[number]): Rule[] => keptFiles(env).flatMap((f) => f.groups.flatMap((g) => g.rules));

/** The expression with every duration literal and predict_linear horizon blanked out. */
const withoutDurations = (expr: string) =>
  expr.replace(/\b\d+(ms|s|m|h|d|w|y)(\d+(ms|s|m|h|d|w|y))*\b/g, "<d>").replace(/(predict_linear\(.*?\[<d>\]), [\d.]+\)/g, "$1, <h>)");

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "preview-transforms-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("durations", () => {
  it.each([
    ["10m", "10s"],
    ["5m", "5s"],
    ["1m", "1s"],
    ["50s", "833ms"],
    ["30s", "500ms"],
    ["3d", "1h12m"],
    ["30d", "12h"],
    ["0s", "0s"],
  ])("%s becomes %s at factor 60", (text, expected) => {
    expect(compressDuration(text, F)).toBe(expected);
  });

  it("formats milliseconds as Prometheus durations", () => {
    expect(formatDurationMs(90_061_001)).toBe("1d1h1m1s1ms");
  });

  it("compresses ranges, subqueries, offsets and the predict_linear horizon, and nothing else", () => {
    expect(compressPromql('sum by (ns) (x{job="a"} offset 5m) < 0.5 * rate(y_5m[5m])', F)).toBe('sum by (ns) (x{job="a"} offset 5s) < 0.5 * rate(y_5m[5s])');
    expect(compressPromql("max_over_time(rate(x[1m])[1h:5m])", F)).toBe("max_over_time(rate(x[1s])[1m:5s])");
    expect(compressPromql("predict_linear(slo:age:max[30m], 3600) > 300", F)).toBe("predict_linear(slo:age:max[30s], 60) > 300");
  });

  it("refuses wall-clock expressions, which no factor keeps faithful", () => {
    expect(() => compressPromql("time() - x > 60", F)).toThrow(/wall clock/);
    expect(() => compressPromql("x @ 1700000000", F)).toThrow(/wall-clock/);
  });

  it("gives the dev pipeline 500ms scrapes and evaluations, a 5s lookback and a 1s resend delay", () => {
    expect(
      previewTiming(
        environments.find((e) => e.profile.name === "dev")!,
        F,
      ),
    ).toEqual({
      factor: F,
      scrapeInterval: "500ms",
      evaluationInterval: "500ms",
      lookbackDelta: "5s",
      resendDelay: "1s",
    });
  });
});

describe("rules compression cannot keep faithful", () => {
  const file = (rules: Rule[]) => [{ fileName: "svc.yaml", groups: [{ name: "svc.slo.fresh", rules }] }];
  const fresh: Rule = {
    record: "slo:sli_good:rate5m",
    expr: "(time() - max(sync_last_success_timestamp_seconds)) <= bool 120",
    labels: { service: "svc", slo: "fresh" },
  };
  const reader: Rule = {
    record: "slo:sli_error:rate5m",
    expr: 'slo:sli_total:rate5m{service="svc",slo="fresh"} - slo:sli_good:rate5m{service="svc",slo="fresh"}',
    labels: { service: "svc", slo: "fresh" },
  };
  const other: Rule = {
    record: "slo:sli_error:rate30m",
    expr: 'avg_over_time(slo:sli_good:rate5m{service="svc",slo="other"}[30m])',
    labels: { service: "svc", slo: "other" },
  };
  const alert: Rule = {
    alert: "Burn",
    expr: 'slo:sli_error:rate5m{service="svc",slo="fresh"} > 0.1',
    labels: { severity: "warning" },
    annotations: {},
  } as Rule;

  it("leaves out a rule reading time() and, transitively, the rules reading what it records; keeps a reader of another SLO's series of the same name", () => {
    const { files, skipped } = withoutWallClockRules(file([fresh, reader, other, alert]), F);
    expect(skipped.map((s) => s.rule)).toEqual(["slo:sli_good:rate5m", "slo:sli_error:rate5m", "Burn"]);
    expect(skipped[0]!.reason).toMatch(/wall clock/);
    expect(skipped[1]!.reason).toContain('slo:sli_good:rate5m{service="svc",slo="fresh"}');
    expect(files.flatMap((f) => f.groups.flatMap((g) => g.rules))).toEqual([other]);
  });

  it("keeps everything at factor 1, where nothing is compressed", () => {
    expect(withoutWallClockRules(file([fresh, reader]), 1)).toEqual({ files: file([fresh, reader]), skipped: [] });
    expect(compressRuleFiles(file([fresh, reader]), 1)).toEqual(file([fresh, reader]));
  });
});

describe.each(environments.map((e) => [e.profile.name, e] as const))("the %s rules, compressed", (name, env) => {
  const compressed = () => compressRuleFiles(keptFiles(env), F);

  it("keep every expression but its durations, every label and annotation, and divide every for:", () => {
    const before = allRules(env);
    const after = compressed().flatMap((f) => f.groups.flatMap((g) => g.rules));
    expect(after).toHaveLength(before.length);
    after.forEach((rule, i) => {
      const original = before[i]!;
      expect(withoutDurations(rule.expr)).toBe(withoutDurations(original.expr));
      const { expr: _e1, for: f1, ...restAfter } = rule as Rule & { for?: string };
      const { expr: _e2, for: f0, ...restBefore } = original as Rule & { for?: string };
      expect(restAfter).toEqual(restBefore);
      expect(f1).toBe(f0 === undefined ? undefined : compressDuration(f0, F));
    });
  });

  it("are the generated rules themselves at factor 1", () => {
    expect(compressRuleFiles(env.ruleFiles, 1)).toEqual(env.ruleFiles);
  });

  it("pass promtool check rules", () => {
    const files = compressed().map((f) => {
      const file = join(dir, `${name}-${f.fileName}`);
      writeFileSync(file, renderYaml({ groups: f.groups }));
      return file;
    });
    expect(checkRuleFiles(files)).toContain("SUCCESS");
  });
});

describe.each(environments.map((e) => [e.profile.name, e] as const))("the %s Alertmanager config, redirected and compressed", (name, env) => {
  const sink = "http://127.0.0.1:9";
  const config = () => compressAlertmanagerConfig(redirectReceiversToSink(env.alertmanagerConfig, sink), F);
  const untimed = (route: Route): unknown => {
    const { group_wait: _w, group_interval: _i, repeat_interval: _r, routes, ...rest } = route;
    return { ...rest, routes: routes?.map(untimed) };
  };

  it("keeps the routing tree, the inhibit rules and the mute timings", () => {
    expect(untimed(config().route)).toEqual(untimed(env.alertmanagerConfig.route));
    expect(config().inhibit_rules).toEqual(env.alertmanagerConfig.inhibit_rules);
    expect(config().time_intervals).toEqual(env.alertmanagerConfig.time_intervals);
    expect(config().route.group_wait).toBe(compressDuration(env.alertmanagerConfig.route.group_wait!, F));
  });

  it("sends every notifying receiver to <sink>/<receiver name>, and keeps the null receiver silent", () => {
    const receivers = config().receivers;
    expect(receivers.filter((r) => r.name === "null")).toEqual([{ name: "null" }]);
    for (const receiver of receivers.filter((r) => r.name !== "null")) {
      expect(receiver.webhook_configs).toEqual([{ url: `${sink}/${receiver.name}`, send_resolved: expect.any(Boolean) }]);
    }
    for (const receiver of receivers) expect(Object.keys(receiver).filter((k) => k.endsWith("_configs") && k !== "webhook_configs")).toEqual([]);
  });

  it("passes amtool check-config", () => {
    const file = join(dir, `${name}-alertmanager.yaml`);
    writeFileSync(file, renderAlertmanagerYaml(config()));
    expect(checkAlertmanagerConfig(file)).toContain("SUCCESS");
  });
});
