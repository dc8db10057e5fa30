import { allowListFor } from "../../scripts/upstream-checks/allow-list";
import { chartDefaults } from "../../scripts/upstream-checks/chart-defaults";
import { matchesPattern, parsePathPattern } from "../../scripts/upstream-checks/path-patterns";
import { formatPath, pointerSegments } from "../../scripts/upstream-checks/paths";
import { checkValueKeys, listElementDefault, mergeDefaults } from "../../scripts/upstream-checks/value-keys";
import { checkValuesFile } from "../../scripts/upstream-checks/values-check";

describe("paths", () => {
  it("formats keys, indices and keys that are not identifiers", () => {
    expect(formatPath(["spec", "groups", 0, "rulez"])).toBe("spec.groups[0].rulez");
    expect(formatPath(["grafana", "grafana.ini", "server"])).toBe('grafana["grafana.ini"].server');
    expect(formatPath(["kube-state-metrics", "resources"])).toBe('["kube-state-metrics"].resources');
    expect(formatPath([])).toBe("(root)");
  });

  it("reads a JSON pointer, escapes and list indices included", () => {
    expect(pointerSegments("/spec/groups/10/a~1b~0c")).toEqual(["spec", "groups", 10, "a/b~c"]);
    expect(pointerSegments("")).toEqual([]);
  });
});

describe("path patterns", () => {
  const matches = (pattern: string, path: (string | number)[]) => matchesPattern(parsePathPattern(pattern), path);

  it("matches whole paths only", () => {
    expect(matches("loki.storage.bucketNames", ["loki", "storage", "bucketNames"])).toBe(true);
    expect(matches("loki.storage.bucketNames", ["loki", "storage"])).toBe(false);
    expect(matches("loki.storage.bucketNames", ["loki", "storage", "bucketNames", "chunks"])).toBe(false);
  });

  it("takes * for one key, [*] for one index and ** for any depth, none included", () => {
    expect(matches("config.processors.*", ["config", "processors", "batch"])).toBe(true);
    expect(matches("config.processors.*", ["config", "processors", 0])).toBe(false);
    expect(matches("routes[*].receiver", ["routes", 3, "receiver"])).toBe(true);
    expect(matches("**.resources", ["resources"])).toBe(true);
    expect(matches("**.resources", ["a", 0, "b", "resources"])).toBe(true);
    expect(matches("**.resources", ["a", "resources", "limits"])).toBe(false);
  });

  it("reads quoted keys that hold dots", () => {
    expect(matches('grafana["grafana.ini"]', ["grafana", "grafana.ini"])).toBe(true);
    expect(matches('["grafana"]["grafana.ini"]', ["grafana", "grafana.ini"])).toBe(true);
    expect(matches('grafana["grafana.ini"]', ["grafana", "grafana", "ini"])).toBe(false);
  });

  it.each(["", "a.", "a..b", 'a["b]'])("fails on the malformed pattern %j", (pattern) => {
    expect(() => parsePathPattern(pattern)).toThrow(/path pattern/);
  });
});

describe("checkValueKeys", () => {
  const defaults = {
    replicas: 1,
    resources: {},
    persistence: { enabled: false, size: "10Gi" },
    claims: [{ name: "data", size: "10Gi" }],
    extraEnv: [],
    existingSecret: null,
  };

  it("reports every key path the defaults do not have, at its full path", () => {
    const report = checkValueKeys({ replicas: 2, persistance: { enabled: true }, persistence: { enabeld: true, size: "5Gi" } }, defaults, []);
    expect(report.unknown.map(formatPath)).toEqual(["persistance", "persistence.enabeld"]);
    expect(report.checked).toBe(3);
  });

  it("checks list elements against the default list's element", () => {
    const report = checkValueKeys({ claims: [{ name: "data" }, { name: "wal", sise: "1Gi" }] }, defaults, []);
    expect(report.unknown.map(formatPath)).toEqual(["claims[1].sise"]);
  });

  it("passes the elements of a list whose default has no element, and says so", () => {
    const report = checkValueKeys({ extraEnv: [{ name: "A", valeu: "b" }] }, defaults, []);
    expect(report.unknown).toEqual([]);
    expect(report.uncheckedLists.map(formatPath)).toEqual(["extraEnv"]);
  });

  it("lists a map whose default is not a map as not checked", () => {
    const report = checkValueKeys({ existingSecret: { name: "s" } }, defaults, []);
    expect(report.unknown).toEqual([]);
    expect(report.opaque.map(formatPath)).toEqual(["existingSecret"]);
  });

  it("stops at an allow-list entry, and only there", () => {
    const allowList = [{ path: "**.resources", why: "ResourceRequirements" }];
    const report = checkValueKeys({ resources: { limits: { cpu: "1" } }, resourses: {} }, defaults, allowList);
    expect(report.allowed).toEqual([{ path: ["resources"], entry: allowList[0] }]);
    expect(report.unknown.map(formatPath)).toEqual(["resourses"]);
  });
});

describe("defaults of a chart and its subcharts", () => {
  it("merges two defaults trees key by key, keeping the non-empty list", () => {
    expect(mergeDefaults({ a: { b: 1 }, list: [{ x: 1 }] }, { a: { c: 2 }, list: [], d: null })).toEqual({ a: { b: 1, c: 2 }, list: [{ x: 1 }], d: null });
    expect(listElementDefault([{ a: 1 }, "s", { b: 2 }])).toEqual({ a: 1, b: 2 });
    expect(listElementDefault(["s"])).toBeUndefined();
  });

  it("puts a subchart's own defaults under its key, merged with the parent's section", () => {
    const files: Record<string, unknown> = {
      "kube-prometheus-stack-88.5.3.values.yaml": { grafana: { forceDeployDatasources: false }, prometheus: {} },
      "grafana-12.11.1.values.yaml": { replicas: 1 },
      "kube-state-metrics-8.4.0.values.yaml": { replicas: 1 },
    };
    const result = chartDefaults({ chart: "kube-prometheus-stack", version: "88.5.3" }, (f) => files[f]);
    expect(result?.defaults.grafana).toEqual({ replicas: 1, forceDeployDatasources: false });
    expect(result?.files).toEqual(["kube-prometheus-stack-88.5.3.values.yaml", "grafana-12.11.1.values.yaml", "kube-state-metrics-8.4.0.values.yaml"]);
    expect(result?.subchartsWithoutDefaults.map((s) => s.chart)).toEqual(["prometheus-node-exporter"]);
  });

  it("has no defaults for a chart without a defaults file", () => {
    expect(chartDefaults({ chart: "mimir-distributed", version: "6.2.0" }, () => undefined)).toBeUndefined();
  });

  it("applies a subchart's allow-list entries under its key", () => {
    const paths = allowListFor("kube-prometheus-stack", [{ key: "grafana", chart: "grafana" }]).map((e) => e.path);
    expect(paths).toContain('["grafana"].persistence.storageClassName');
    expect(paths).toContain('["grafana"]["grafana.ini"]');
    expect(paths).not.toContain("persistence.storageClassName");
  });
});

describe("checkValuesFile", () => {
  const release = { name: "blackbox-exporter", chart: "prometheus-blackbox-exporter", version: "11.17.2", values: ["replicas: 2\n"] };
  const read = (file: string) => (file === "prometheus-blackbox-exporter-11.17.2.values.yaml" ? { replicas: 1 } : undefined);

  it("checks the values a release deploys against its chart's defaults", () => {
    const verdict = checkValuesFile({ replicas: 2 }, release, read);
    expect(verdict.status === "checked" && verdict.report.checked).toBe(1);
  });

  it("fails a file no release deploys, or one that differs from what its release deploys", () => {
    expect(checkValuesFile({ replicas: 2 }, undefined, read).status).toBe("no-release");
    expect(checkValuesFile({ replicas: 3 }, release, read).status).toBe("differs");
  });

  it("lists a chart without upstream defaults as not checked", () => {
    expect(checkValuesFile({ replicas: 2 }, { ...release, chart: "mimir-distributed", version: "6.2.0" }, read)).toEqual({
      status: "no-defaults",
      ref: { chart: "mimir-distributed", version: "6.2.0" },
    });
  });
});
