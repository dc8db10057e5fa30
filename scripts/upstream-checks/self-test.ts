import { isDeepStrictEqual } from "node:util";
import { defaultsReader, environmentValues, loadCrdCatalog, stackJson, synthesizedEnvironments } from "./load";
import type { CrdCatalog, ManifestVerdict } from "./manifest-check";
import { line } from "./output";
import { formatPath, isMap } from "./paths";
import { kubernetesObjects } from "./terraform-json";
import { checkValuesFile } from "./values-check";

/** One deliberate mistake: what it does to a real document and what the check must then say. */
interface SelfTestCase {
  readonly name: string;
  /** What the check reports on the mutated document beyond what it reports on the real one. */
  readonly found: () => readonly string[];
  readonly expected: readonly string[];
}

/** The problems (or verdict) of a manifest as comparable lines: `<path>` per problem, or `<status>`. */
function verdictLines(verdict: ManifestVerdict): string[] {
  if (verdict.status === "invalid") return verdict.problems.map((p) => p.path);
  return verdict.status === "valid" ? [] : [verdict.status];
}

/** Lines in `after` that `before` does not have. */
function added(before: readonly string[], after: readonly string[]): string[] {
  return after.filter((l) => !before.includes(l));
}

/** Navigates `doc` along keys and indices to a map, throwing with the path when the real document lacks it. */
function mapAt(doc: unknown, ...steps: (string | number)[]): Record<string, unknown> {
  let node = doc;
  for (const step of steps) node = (node as Record<string | number, unknown> | undefined)?.[step];
  if (!isMap(node)) throw new Error(`self-test: the real document has no map at ${formatPath(steps)}`);
  return node;
}

function crdCases(catalog: CrdCatalog, env: string): SelfTestCase[] {
  const { manifests } = kubernetesObjects(stackJson(env, "content").stack);
  const rule = manifests.find((m) => m.manifest.kind === "PrometheusRule")?.manifest;
  if (!rule) throw new Error(`self-test: obs-${env}-content has no PrometheusRule`);
  const before = verdictLines(catalog.check(rule));
  const mutated = (mutate: (m: Record<string, unknown>) => void) => () => {
    const copy = structuredClone(rule);
    mutate(copy);
    return added(before, verdictLines(catalog.check(copy)));
  };
  return [
    {
      name: "CRD: a misspelt field of a rule group",
      found: mutated((m) => (mapAt(m, "spec", "groups", 0).rulez = mapAt(m, "spec", "groups", 0).rules)),
      expected: ["spec.groups[0].rulez"],
    },
    { name: "CRD: a misspelt metadata field", found: mutated((m) => (mapAt(m, "metadata").lables = { team: "core" })), expected: ["metadata.lables"] },
    {
      name: "CRD: a duration the pattern rejects",
      found: mutated((m) => (mapAt(m, "spec", "groups", 0).interval = "5 minutes")),
      expected: ["spec.groups[0].interval"],
    },
    { name: "CRD: int-or-string takes an integer", found: mutated((m) => (mapAt(m, "spec", "groups", 0, "rules", 0).expr = 42)), expected: [] },
    {
      name: "CRD: a custom kind without a CRD here is a failure",
      found: mutated((m) => (m.kind = "Prometheus")),
      expected: ["no-schema"],
    },
    {
      name: "CRD: a built-in kind is listed as not checked",
      found: mutated((m) => Object.assign(m, { apiVersion: "v1", kind: "ConfigMap" })),
      expected: ["built-in"],
    },
  ];
}

function valuesCases(upstreamDir: string, env: string): SelfTestCase[] {
  const read = defaultsReader(upstreamDir);
  const { files, releases } = environmentValues(env);
  const caseFor = (release: string, name: string, mutate: (values: Record<string, unknown>) => void, expected: string[]): SelfTestCase => {
    const file = files.find((f) => f.release === release);
    const deployed = releases.find((r) => r.name === release);
    if (!file || !deployed) throw new Error(`self-test: ${env} has no release ${release}`);
    const unknownOf = (values: unknown, asDeployed: typeof deployed) => {
      const verdict = checkValuesFile(values, asDeployed, read);
      if (verdict.status !== "checked") throw new Error(`self-test: ${env}/${release} was not checked (${verdict.status})`);
      return verdict.report.unknown.map(formatPath);
    };
    return {
      name,
      found: () => {
        const copy = structuredClone(file.values) as Record<string, unknown>;
        mutate(copy);
        // The mutated values as a release would deploy them, so only the key check differs.
        const asDeployed = { ...deployed, values: [JSON.stringify(copy)] };
        return added(unknownOf(file.values, deployed), unknownOf(copy, asDeployed));
      },
      expected,
    };
  };
  return [
    caseFor("kube-prometheus-stack", "values: a misspelt key of the chart", (v) => (mapAt(v, "prometheus", "prometheusSpec").retension = "15d"), [
      "prometheus.prometheusSpec.retension",
    ]),
    caseFor("kube-prometheus-stack", "values: a misspelt key of a subchart", (v) => (mapAt(v, "grafana").persistance = { enabled: false }), [
      "grafana.persistance",
    ]),
    caseFor("loki", "values: a misspelt key beside an allow-list entry", (v) => (mapAt(v, "loki", "storage").bucketNamez = { chunks: "x" }), [
      "loki.storage.bucketNamez",
    ]),
    caseFor("loki", "values: a misspelt key of a list element", (v) => (mapAt(v, "ingester", "persistence", "claims", 0).storageClazz = "gp3"), [
      "ingester.persistence.claims[0].storageClazz",
    ]),
  ];
}

/**
 * Proves each check fails on a deliberate typo: takes a real PrometheusRule of prod's content
 * stack (or the last environment's) and its real values files, injects one mistake at a time and asserts
 * the check reports exactly that path beyond what it reports on the real document (and nothing for
 * an integer where the CRD takes int-or-string). Returns the number of cases that did not hold.
 */
export function runSelfTest(upstreamDir: string): number {
  const envs = synthesizedEnvironments();
  const env = envs.includes("prod") ? "prod" : envs.at(-1)!;
  const { catalog } = loadCrdCatalog(upstreamDir);
  let failures = 0;
  for (const c of [...crdCases(catalog, env), ...valuesCases(upstreamDir, env)]) {
    const found = c.found();
    const holds = isDeepStrictEqual([...found], [...c.expected]);
    if (!holds) failures += 1;
    line(holds ? "ok" : "FAIL", `${c.name} (${env}): expected [${c.expected.join(", ")}], found [${found.join(", ")}]`);
  }
  console.log(failures === 0 ? "self-test: every deliberate typo is reported at its path" : `self-test: ${failures} case(s) do not hold`);
  return failures;
}
