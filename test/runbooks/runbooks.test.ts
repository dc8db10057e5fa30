import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parser as logqlParser } from "@grafana/lezer-logql";
import { parser as promqlParser } from "@prometheus-io/lezer-promql";
import { ALL_ALERT_NAMES } from "../../signals";
import { runbookFileName, runbookUrl } from "../../kit/runbook-url";

const RUNBOOKS_DIR = join(__dirname, "../../runbooks");
const SECTIONS = ["Symptoms", "Impact", "Diagnosis", "Mitigation", "Escalation", "Aftermath"];

const markdownFiles = () =>
  readdirSync(RUNBOOKS_DIR)
    .filter((f) => f.endsWith(".md"))
    .sort();
const read = (name: string) => readFileSync(join(RUNBOOKS_DIR, runbookFileName(name)), "utf8");

/** The bodies of the fenced code blocks of one language. */
function codeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp("^( *)```" + language + "\\n([\\s\\S]*?)^\\1```", "gm");
  return [...markdown.matchAll(fence)].map((m) => m[2]!.replace(new RegExp(`^${m[1]}`, "gm"), "").trim());
}

/** Text of the syntax error nodes of a lezer parse (none for a valid query). */
function syntaxErrors(
  query: string,
  parse: (q: string) => { iterate(spec: { enter(node: { type: { isError: boolean }; from: number }): void }): void },
): string[] {
  const errors: string[] = [];
  parse(query).iterate({ enter: (node) => void (node.type.isError && errors.push(`at ${node.from}: ${query.slice(node.from, node.from + 30)}`)) });
  return errors;
}

/** One `## Section`'s text. */
function section(markdown: string, title: string): string {
  const match = new RegExp(`^## ${title}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, "m").exec(markdown);
  return match?.[1] ?? "";
}

describe("runbooks/", () => {
  it("has exactly one runbook per alert name a kind of signal declares, and nothing else", () => {
    expect(markdownFiles()).toEqual(ALL_ALERT_NAMES.map(runbookFileName).sort());
  });

  describe.each(ALL_ALERT_NAMES)("%s.md", (name) => {
    const markdown = read(name);

    it("is titled by its alert name", () => {
      expect(markdown.split("\n")[0]).toBe(`# ${name}`);
    });

    it("has the sections Symptoms, Impact, Diagnosis, Mitigation, Escalation, Aftermath, in that order", () => {
      expect([...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(SECTIONS);
      for (const title of SECTIONS) expect(section(markdown, title).trim()).not.toBe("");
    });

    it("diagnoses with a dashboard, PromQL and LogQL queries that parse", () => {
      const diagnosis = section(markdown, "Diagnosis");
      expect(diagnosis).toMatch(/Dashboards?: \*\*/);
      const promql = codeBlocks(diagnosis, "promql");
      const logql = codeBlocks(diagnosis, "logql");
      expect(promql.length).toBeGreaterThan(0);
      expect(logql.length).toBeGreaterThan(0);
      for (const query of promql) expect({ query, errors: syntaxErrors(query, (q) => promqlParser.parse(q)) }).toEqual({ query, errors: [] });
      for (const query of logql) expect({ query, errors: syntaxErrors(query, (q) => logqlParser.parse(q)) }).toEqual({ query, errors: [] });
    });

    it("ends with what to do after the incident", () => {
      expect(section(markdown, "Aftermath")).toMatch(/[Vv]erify|[Pp]ostmortem/);
    });
  });

  it("covers every runbook of the specs (RB-01..RB-08 and the baseline ones)", () => {
    const all = ALL_ALERT_NAMES.map(read).join("\n");
    for (let i = 1; i <= 8; i++) expect(all).toContain(`RB-0${i}`);
    for (const baseline of ["API down", "DB down", "Redis down", "Queue backlog", "Migration fail"]) expect(all).toContain(`**${baseline}**`);
  });

  it("maps each spec runbook to the alert it belongs to", () => {
    const mentions = (name: string, text: string) => expect(read(name)).toContain(text);
    mentions("ServiceHighErrorRate", "RB-01");
    mentions("ServiceHighLatencyP95", "RB-02");
    mentions("QueueBacklogHigh", "RB-03");
    mentions("ServiceHighErrorRate", "RB-04");
    mentions("PostgresHighLatency", "RB-05");
    mentions("RedisDown", "RB-06");
    mentions("SocketClientsDrop", "RB-07");
    mentions("ServiceHighErrorRate", "RB-08");
    mentions("PostgresDown", "**DB down**");
    mentions("ReadinessProbeFailing", "**Migration fail**");
  });

  it("proposes the specs' reversible levers somewhere", () => {
    const mitigations = ALL_ALERT_NAMES.map((n) => section(read(n), "Mitigation")).join("\n");
    for (const lever of [/[Kk]ill switch/, /[Rr]ate limit/, /[Tt]hrottle/, /[Rr]oll back/]) expect(mitigations).toMatch(lever);
  });
});

describe("runbookUrl", () => {
  it("points at the runbook file under the base URL", () => {
    expect(runbookUrl("https://runbooks.example.com/observability", "RedisDown")).toBe("https://runbooks.example.com/observability/RedisDown.md");
  });

  it("ignores trailing slashes of the base URL", () => {
    expect(runbookUrl("https://runbooks.example.com/observability//", "Watchdog")).toBe("https://runbooks.example.com/observability/Watchdog.md");
  });

  it("gives every alert a URL whose file exists in runbooks/", () => {
    const files = new Set(markdownFiles());
    for (const name of ALL_ALERT_NAMES) {
      const url = runbookUrl("https://runbooks.example.com/observability", name);
      expect(files.has(url.slice(url.lastIndexOf("/") + 1))).toBe(true);
    }
  });

  it("fails when the alert name is not PascalCase", () => {
    expect(() => runbookUrl("https://runbooks.example.com", "no_such_alert")).toThrow(
      /alertName must be a PascalCase alert name such as QueueBacklogHigh, got "no_such_alert"/,
    );
  });

  it("fails when the base URL is not an absolute http(s) URL", () => {
    expect(() => runbookUrl("runbooks/", "Watchdog")).toThrow(/baseUrl must be an absolute http\(s\) URL, got "runbooks\/"/);
  });
});
