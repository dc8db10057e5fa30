/**
 * Bad input a user can write, each rejected with every problem at once, in one format: the path,
 * what is allowed, the value (redacted when it may be a secret) and the environment or service.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROFILE_INPUTS } from "../../environments";
import { buildServiceRuleGroups } from "../../rules";
import { SERVICES } from "../../services";
import { buildCatalog } from "../../signals/catalog";
import { parseServiceSpec } from "../../signals/service-spec";
import { CTX } from "../support/context";
import { specProblems } from "../support/spec-problems";
import { synthError } from "../support/synth-error";

/** A deep copy of every shipped profile, to break one thing at a time. */
function profiles(): Record<keyof typeof PROFILE_INPUTS, any> {
  return structuredClone(PROFILE_INPUTS) as Record<keyof typeof PROFILE_INPUTS, any>;
}

const checkout = { name: "checkout", team: "web", namespace: "shop" };

describe("every problem at once", () => {
  it("reports a profile error in two environments and a service error together, each with its environment or service, path and value", () => {
    const inputs = profiles();
    inputs.dev.prometheus.replicas = 0;
    inputs.prod.tempo.topology.kafka.address = "kafka.kafka.svc";
    const broken = { ...checkout, slos: [{ name: "availability", kind: "availability" as const, objective: 1.5 }] };
    const error = synthError(inputs, [...SERVICES, broken]);
    expect(error.message).toBe(
      [
        'invalid environment profile "dev":',
        '  - prometheus.replicas must be at least 1, got 0 (environment "dev")',
        'invalid environment profile "prod":',
        '  - tempo.topology.kafka.address must be host:port, got "kafka.kafka.svc" (environment "prod")',
        'invalid service spec "checkout":',
        '  - slos[0].objective must be in (0, 1), got 1.5 (service "checkout", slo "availability")',
      ].join("\n"),
    );
  });

  it("reports every environment, not only the first one that fails (an error in dev is not reported as local)", () => {
    const inputs = profiles();
    inputs.dev.namespace = "Not A Namespace";
    const error = synthError(inputs);
    expect(error.subject).toBe('invalid environment profile "dev"');
    expect(error.message).toMatch(
      /^invalid environment profile "dev":\n {2}- namespace must be a Kubernetes name .*, got "Not A Namespace" \(environment "dev"\)$/,
    );
  });

  it("reports every service of the catalog, not only the first", () => {
    expect(() =>
      buildCatalog([
        { ...checkout, team: "" },
        { ...checkout, name: "cart", podNamePattern: "cart-(" },
      ]),
    ).toThrow(/invalid service spec "checkout":\n {2}- team must not be empty.*\ninvalid service spec "cart":\n {2}- podNamePattern must be an RE2 regex/);
  });
});

describe("the README's sample error", () => {
  it("is what synth reports for the two problems it shows", () => {
    const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
    const sample = /```\nsynth failed, nothing was written:\n([\s\S]*?)\n```/.exec(readme)![1]!;
    const inputs = profiles();
    inputs.prod.prometheus.scrapeInterval = "30 seconds";
    inputs.prod.tempo.topology.kafka.address = "kafka.kafka.svc";
    expect(synthError(inputs).message).toBe(sample);
  });
});

describe("receiver URLs", () => {
  it.each([
    ["empty", ""],
    ["schemeless", "deadman.example.com/heartbeat"],
  ])("fails on an %s webhook URL naming the path and the environment, and still lists the profile's other problems", (_what, url) => {
    const inputs = profiles();
    inputs.dev.alerting.receivers["deadmans-switch"].url = url;
    inputs.dev.prometheus.replicas = 0;
    const error = synthError(inputs);
    expect(error.problems).toEqual([
      `prometheus.replicas must be at least 1, got 0 (environment "dev")`,
      `alerting.receivers.deadmans-switch.url must be an http(s) URL, got ${JSON.stringify(url)} (environment "dev")`,
    ]);
  });
});

describe("regexes are RE2, checked with an RE2 engine", () => {
  it("fails on a pod pattern valid in JavaScript but not in RE2 (a lookahead), naming the field and the service", () => {
    expect(specProblems({ ...checkout, podNamePattern: "checkout-(?=7).*" })).toEqual([
      'podNamePattern must be an RE2 regex, the syntax Prometheus matches with (error parsing regexp: invalid or unsupported Perl syntax: `(?=`), got "checkout-(?=7).*" (service "checkout")',
    ]);
  });

  it("fails on a pod pattern that does not compile, naming the field and the service", () => {
    expect(specProblems({ ...checkout, podNamePattern: "checkout-(" })).toEqual([
      'podNamePattern must be an RE2 regex, the syntax Prometheus matches with (error parsing regexp: missing closing ): `checkout-(`), got "checkout-(" (service "checkout")',
    ]);
  });
});

describe("credentials never in a URL", () => {
  it("fails on a password inside a remote-write URL, never echoing it", () => {
    const inputs = profiles();
    inputs.prod.prometheus.remoteWrite = [{ url: "https://writer:hunter2@mimir.example.com/api/v1/push" }];
    const error = synthError(inputs);
    expect(error.problems).toEqual([
      'prometheus.remoteWrite[0].url must not carry a credential (user:password@): it would be written to generated/ and the Terraform JSON; keep it in a Kubernetes Secret, got "[redacted]" (environment "prod")',
    ]);
    expect(error.message).not.toContain("hunter2");
  });

  it("fails on a token in the query of a probe URL", () => {
    const problems = specProblems({ ...checkout, probes: { readinessUrl: "https://checkout.example.com/ready?access_token=abc123" } });
    expect(problems).toEqual([
      'probes.readinessUrl must not carry a credential (the query parameter access_token): it would be written to generated/ and the Terraform JSON; keep it in a Kubernetes Secret, got "[redacted]" (service "checkout")',
    ]);
    expect(problems.join("\n")).not.toContain("abc123");
  });
});

describe("label names and Kubernetes labels", () => {
  it("fails on an external label that is not a label name", () => {
    const inputs = profiles();
    inputs.staging.externalLabels["bad label"] = "x";
    expect(synthError(inputs).problems).toEqual([
      'externalLabels.bad label must be a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __), got "bad label" (environment "staging")',
    ]);
  });

  it("fails on selector keys and values that are not Kubernetes labels", () => {
    const problems = specProblems({ ...checkout, scrape: { selector: { "app name": "checkout", "app.kubernetes.io/part-of": 'shop "main"' } } });
    expect(problems).toEqual([
      expect.stringMatching(/^scrape\.selector\.app name must be a Kubernetes label key .*, got "app name" \(service "checkout"\)$/),
      expect.stringMatching(
        /^scrape\.selector\.app\.kubernetes\.io\/part-of must be a Kubernetes label value .*, got "shop \\"main\\"" \(service "checkout"\)$/,
      ),
    ]);
  });

  it("fails on a reserved label name (__name__) as the route label", () => {
    expect(specProblems({ ...checkout, metrics: { routeLabel: "__name__" } })).toEqual([
      'metrics.routeLabel must not start with __ (reserved for Prometheus\' internal labels), got "__name__" (service "checkout")',
    ]);
  });
});

describe("timing across profile and rules", () => {
  it("fails when the scrape interval is more than a quarter of the shortest range a rule reads (a 1m canary's 2m CanaryNotRunning window)", () => {
    const inputs = profiles();
    inputs.dev.prometheus.scrapeInterval = "5m";
    expect(synthError(inputs).problems).toEqual([
      expect.stringMatching(
        /^prometheus\.scrapeInterval must be at most 30s, a quarter of the shortest range the rules read scraped series over \(2m, in CanaryNotRunning\), got "5m" \(environment "dev"\)$/,
      ),
    ]);
  });

  it("fails when the evaluation interval is not shorter than the shortest `for`", () => {
    const inputs = profiles();
    inputs.prod.prometheus.evaluationInterval = "1h";
    expect(synthError(inputs).problems).toEqual([
      expect.stringMatching(
        /^prometheus\.evaluationInterval must be shorter than the shortest `for` of the alerts \(1m, of \w+\), got "1h" \(environment "prod"\)$/,
      ),
    ]);
  });

  it("fails when the retention is shorter than an SLO period, naming the retention, the service and the SLO", () => {
    const inputs = profiles();
    inputs.dev.prometheus.retention = "15d";
    expect(synthError(inputs).problems).toEqual([
      expect.stringMatching(
        /^prometheus\.retention must be at least 90d, the period of SLO "[a-z-]+" of service "[a-z-]+" \(and \d+ more SLOs longer than the retention\): its error budget is computed on this Prometheus over the whole period, got "15d" \(environment "dev"\)$/,
      ),
    ]);
  });

  it("with Mimir, moves the budgets a short Prometheus retention cannot hold to the ruler, and fails on Mimir's retention instead", () => {
    const inputs = profiles();
    inputs.prod.prometheus.retention = "15d";
    inputs.prod.mimir.retention = "20d";
    expect(synthError(inputs).problems).toEqual([
      expect.stringMatching(
        /^mimir\.retention must be at least 90d, the period of SLO "[a-z-]+" of service "[a-z-]+" \(and \d+ more SLOs longer than the retention\): its error budget is computed by Mimir's ruler from Mimir's blocks \(prometheus\.retention is 15d, shorter than the period\) over the whole period, got "20d" \(environment "prod"\)$/,
      ),
    ]);
  });

  it("fails when the retention is shorter than the furthest back a burn-rate window reads, naming the rule and how far", () => {
    const inputs = profiles();
    // The 3d window adds three 1d tiles, the oldest read at offset 2d: 2d of retention is enough, 1d is not.
    inputs.dev.prometheus.retention = "1d";
    expect(synthError(inputs).problems).toEqual([
      expect.stringMatching(/^prometheus\.retention must be at least 90d, the period of SLO .*, got "1d" \(environment "dev"\)$/),
      'prometheus.retention must be at least 2d, the furthest back the rules read (2d, in slo:sli_error:rate3d), got "1d" (environment "dev")',
    ]);
  });

  it("fails on zero intervals and retention", () => {
    const inputs = profiles();
    inputs.dev.prometheus.scrapeInterval = "0s";
    inputs.dev.prometheus.retention = "0d";
    expect(synthError(inputs).problems).toEqual([
      'prometheus.retention must be longer than 0s, got "0d" (environment "dev")',
      'prometheus.scrapeInterval must be longer than 0s, got "0s" (environment "dev")',
    ]);
  });

  it("fails on a `for` of zero", () => {
    expect(specProblems({ ...checkout, red: { errorRatio: { warning: { maxRatio: 0.05, for: "0m" } } } })).toEqual([
      'red.errorRatio.warning.for must be longer than 0s, got "0m" (service "checkout")',
    ]);
  });
});

describe("objectives printed exactly", () => {
  it("keeps 0.9999999's budget as 1e-7 in every rule and description, without float noise", () => {
    const spec = parseServiceSpec({ ...checkout, slos: [{ name: "availability", kind: "availability", objective: 0.9999999 }] });
    const text = JSON.stringify(buildServiceRuleGroups(spec, CTX));
    expect(text).toContain("vector(0.9999999)");
    expect(text).toContain("(14.4 * 1e-7)");
    expect(text).not.toMatch(/\d\.\d*0000000\d|99999999\d/);
  });
});
