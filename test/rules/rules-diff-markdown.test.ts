import { diffRuleSets, type RuleSetDiff } from "../../rules/rules-diff";
import { COMMENT_MAX_CHARS, NO_RULE_CHANGES, renderRulesDiffMarkdown } from "../../rules/rules-diff-markdown";
import type { AlertingRule, Labels, RuleGroup } from "../../kit/rule-types";
import { parseDuration } from "../../model/duration";

/** Fixture rules written by hand, in the shape generated rule files have: labels severity/service/team plus what tells them apart. */
const alert = (name: string, expr: string, severity: string, forDuration: string, extra: Labels = {}): AlertingRule => ({
  alert: name,
  expr,
  for: parseDuration(forDuration),
  labels: { severity, service: "edge", team: "core", ...extra },
  annotations: { summary: `${name} on edge`, runbook_url: `https://runbooks.example.com/observability/${name}.md` },
});

const PAGE_EXPR = [
  "(",
  '  slo:sli_error:ratio_rate1h{service="edge",slo="availability"} > (14.4 * 0.001)',
  "  and",
  '  slo:sli_error:ratio_rate5m{service="edge",slo="availability"} > (14.4 * 0.001)',
  ")",
].join("\n");
const TICKET_EXPR = [
  "(",
  '  slo:sli_error:ratio_rate1d{service="edge",slo="availability"} > (3 * 0.001)',
  "  and",
  '  slo:sli_error:ratio_rate2h{service="edge",slo="availability"} > (3 * 0.001)',
  ")",
].join("\n");

const page = alert("SLOErrorBudgetBurn", PAGE_EXPR, "critical", "2m", { slo: "availability" });
const ticket = alert("SLOErrorBudgetBurn", TICKET_EXPR, "warning", "1h", { slo: "availability" });
const backlog = alert("QueueBacklogHigh", 'queue:backlog{service="edge",queue="emails"} > 1000', "warning", "10m", { queue: "emails" });
const redisDown = alert("DependencyDown", 'dependency:up{service="edge",dependency="edge-redis"} == 0', "critical", "2m", { dependency: "edge-redis" });
const errorRatio = { record: "slo:sli_error:ratio_rate5m", expr: 'sum(rate(errors{service="edge"}[5m]))', labels: { service: "edge", slo: "availability" } };

const rules = (slo: AlertingRule[], other: AlertingRule[], records = [errorRatio]): RuleGroup[] => [
  { name: "edge.slo", rules: [...records, ...slo] },
  { name: "edge.queues", rules: other },
];
const BASE = rules([page, ticket], [backlog, redisDown]);

const ENVS = ["local", "dev", "staging", "prod"] as const;
/** Every environment diffed base -> head, with `overrides` for the environments whose head differs. */
const diffs = (head: RuleGroup[], overrides: Partial<Record<(typeof ENVS)[number], RuleGroup[]>> = {}): Map<string, RuleSetDiff> =>
  new Map(ENVS.map((env) => [env, diffRuleSets(BASE, overrides[env] ?? head)]));

const SUMMARY_HEAD = ["## Rule changes against `main`", "", "| | Alerts | Recording rules |", "| --- | --- | --- |"];

describe("rules diff markdown", () => {
  it("prints a change made to every environment once, in the common section", () => {
    const head = rules([page, ticket], [{ ...backlog, expr: 'queue:backlog{service="edge",queue="emails"} > 500' }, redisDown]);
    expect(renderRulesDiffMarkdown("main", diffs(head))).toBe(
      [
        ...SUMMARY_HEAD,
        "| all environments | 1 changed | — |",
        "| local only | — | — |",
        "| dev only | — | — |",
        "| staging only | — | — |",
        "| prod only | — | — |",
        "",
        "### All environments (local, dev, staging, prod)",
        "",
        "**Alerts changed (1)**",
        "",
        '- `QueueBacklogHigh` `{queue="emails", service="edge", severity="warning"}` in `edge.queues`',
        "  - severity `warning` (unchanged), threshold `1000` → `500`",
        "  - expr:",
        "    ```diff",
        '    - queue:backlog{service="edge",queue="emails"} > 1000',
        '    + queue:backlog{service="edge",queue="emails"} > 500',
        "    ```",
        "",
      ].join("\n"),
    );
  });

  it("prints a change in one environment only in that environment's section, and shared ones once beside it", () => {
    const total = { record: "slo:sli_total:rate5m", expr: 'sum(rate(requests{service="edge"}[5m]))', labels: { service: "edge", slo: "availability" } };
    const shared = rules([page, ticket], [backlog, redisDown], [errorRatio, total]);
    const prod = rules([page, ticket], [backlog, { ...redisDown, for: parseDuration("1m") }], [errorRatio, total]);
    expect(renderRulesDiffMarkdown("main", diffs(shared, { prod }))).toBe(
      [
        ...SUMMARY_HEAD,
        "| all environments | — | 1 added |",
        "| local only | — | — |",
        "| dev only | — | — |",
        "| staging only | — | — |",
        "| prod only | 1 changed | — |",
        "",
        "### All environments (local, dev, staging, prod)",
        "",
        "**Recording rules added (1)**",
        "",
        '- `slo:sli_total:rate5m` `{service="edge", slo="availability"}` in `edge.slo`',
        "",
        "### prod only",
        "",
        "**Alerts changed (1)**",
        "",
        '- `DependencyDown` `{dependency="edge-redis", service="edge", severity="critical"}` in `edge.queues`',
        "  - severity `critical` (unchanged), threshold `0` (unchanged)",
        "  - for: `2m` → `1m`",
        "",
      ].join("\n"),
    );
  });

  it("tells the page and the ticket of one SLO apart by severity in their headings", () => {
    const moved = (rule: AlertingRule): AlertingRule => ({
      ...rule,
      annotations: { ...rule.annotations, runbook_url: "https://wiki.example.org/SLOErrorBudgetBurn.md" },
    });
    const markdown = renderRulesDiffMarkdown("main", diffs(rules([moved(page), moved(ticket)], [backlog, redisDown])));
    expect(markdown.split("\n").filter((line) => line.startsWith("- `SLOErrorBudgetBurn`"))).toEqual([
      '- `SLOErrorBudgetBurn` `{service="edge", severity="critical", slo="availability"}` in `edge.slo`',
      '- `SLOErrorBudgetBurn` `{service="edge", severity="warning", slo="availability"}` in `edge.slo`',
    ]);
  });

  it("shows severity and threshold before and after on every changed alert", () => {
    const head = rules(
      [page, ticket],
      [
        { ...backlog, expr: 'queue:backlog{service="edge",queue="emails"} > 500' },
        { ...redisDown, labels: { ...redisDown.labels, severity: "warning" } },
      ],
    );
    const lines = renderRulesDiffMarkdown("main", diffs(head)).split("\n");
    const after = (heading: string) => lines[lines.indexOf(heading) + 1];
    expect(after('- `QueueBacklogHigh` `{queue="emails", service="edge", severity="warning"}` in `edge.queues`')).toBe(
      "  - severity `warning` (unchanged), threshold `1000` → `500`",
    );
    expect(after('- `DependencyDown` `{dependency="edge-redis", service="edge", severity="warning"}` in `edge.queues`')).toBe(
      "  - severity `critical` → `warning`, threshold `0` (unchanged)",
    );
  });

  it("shows only the changed lines of an expression", () => {
    const faster = { ...page, expr: PAGE_EXPR.replace("ratio_rate5m", "ratio_rate10m") };
    const markdown = renderRulesDiffMarkdown("main", diffs(rules([faster, ticket], [backlog, redisDown])));
    expect(markdown).toContain(
      [
        '- `SLOErrorBudgetBurn` `{service="edge", severity="critical", slo="availability"}` in `edge.slo`',
        "  - severity `critical` (unchanged), threshold `14.4 * 0.001` (unchanged)",
        "  - expr:",
        "    ```diff",
        "    @@ -4 +4 @@",
        '    -   slo:sli_error:ratio_rate5m{service="edge",slo="availability"} > (14.4 * 0.001)',
        '    +   slo:sli_error:ratio_rate10m{service="edge",slo="availability"} > (14.4 * 0.001)',
        "    ```",
        "",
      ].join("\n"),
    );
    expect(markdown).not.toContain("ratio_rate1h");
    expect(markdown).not.toContain("  and");
  });

  it("cuts a runbook base URL change over many rules below the comment limit, pointing to the full report", () => {
    const many = (runbookBase: string): RuleGroup[] => [
      {
        name: "fleet.health",
        rules: Array.from({ length: 400 }, (_, n) => ({
          ...alert(`TargetDown${n}`, `up{job="job-${n}"} == 0`, "warning", "5m"),
          annotations: { summary: `target ${n} is down`, runbook_url: `${runbookBase}/TargetDown${n}.md` },
        })),
      },
    ];
    const byEnv = new Map(
      ENVS.map((env) => [env, diffRuleSets(many("https://runbooks.example.com/observability"), many("https://wiki.example.org/sre/runbooks"))]),
    );
    const cap = { maxChars: COMMENT_MAX_CHARS, fullReport: "[rules-diff-full.md](https://ci.example/runs/7)" };
    const full = renderRulesDiffMarkdown("main", byEnv);
    const capped = renderRulesDiffMarkdown("main", byEnv, { cap });

    expect(COMMENT_MAX_CHARS).toBe(60_000);
    expect(full.length).toBeGreaterThan(60_000);
    expect(capped.length).toBeLessThanOrEqual(60_000);
    expect(capped).toContain("| all environments | 400 changed | — |");
    const pointer =
      /\n\*\*Cut at 60,000 characters:\*\* (\d+) of 400 changes not shown\. Full report: \[rules-diff-full\.md\]\(https:\/\/ci\.example\/runs\/7\)\n$/.exec(
        capped,
      );
    expect(pointer).not.toBeNull();
    const shown = capped.split("\n").filter((line) => line.startsWith("- `TargetDown")).length;
    expect(shown).toBeGreaterThan(100);
    expect(shown + Number(pointer![1])).toBe(400);
    // Cut between whole entries: what is shown is the full report's beginning.
    expect(full.startsWith(capped.slice(0, capped.length - pointer![0].length))).toBe(true);
    expect(renderRulesDiffMarkdown("main", diffs(BASE), { cap })).toBe(NO_RULE_CHANGES);
  });

  it("leaves a report that fits as it is", () => {
    const head = rules([page, ticket], [backlog]);
    const cap = { maxChars: COMMENT_MAX_CHARS, fullReport: "x" };
    expect(renderRulesDiffMarkdown("main", diffs(head), { cap })).toBe(renderRulesDiffMarkdown("main", diffs(head)));
    expect(renderRulesDiffMarkdown("main", diffs(head))).toContain(
      '- `DependencyDown` `{dependency="edge-redis", service="edge", severity="critical"}` in `edge.queues`: team `core`, for `2m`, threshold `0`',
    );
  });

  it('says "no rule changes" when no environment differs', () => {
    expect(renderRulesDiffMarkdown("main", diffs(BASE))).toBe(NO_RULE_CHANGES);
    expect(NO_RULE_CHANGES).toBe("no rule changes");
  });
});
