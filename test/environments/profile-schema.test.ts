import { loadProfiles, parseProfile, PROFILE_INPUTS, ProfileValidationError } from "../../environments";

/** A deep copy of a shipped profile, to break one thing at a time. */
function copyOf(name: keyof typeof PROFILE_INPUTS): any {
  return structuredClone(PROFILE_INPUTS[name]);
}

function errorOf(fn: () => unknown): ProfileValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProfileValidationError) return error;
    throw error;
  }
  throw new Error("expected a ProfileValidationError, nothing was thrown");
}

describe("environment profiles", () => {
  it("validates every shipped profile", () => {
    expect(loadProfiles().map((p) => p.name)).toEqual(["local", "dev", "staging", "prod"]);
  });

  it("fails when a field has the wrong type, naming the path and the value", () => {
    const profile = copyOf("dev");
    profile.prometheus.replicas = "two";
    expect(() => parseProfile(profile, "dev")).toThrow(
      /invalid environment profile "dev":\n  - prometheus\.replicas: .*expected number.* \(got "two"\)/,
    );
  });

  it("fails when replicas are negative", () => {
    const profile = copyOf("prod");
    profile.loki.topology.components.ingester.replicas = -1;
    const error = errorOf(() => parseProfile(profile, "prod"));
    expect(error.problems).toEqual(["loki.topology.components.ingester.replicas: must be at least 1 (got -1)"]);
  });

  it("fails when a key is unknown", () => {
    const profile = copyOf("staging");
    profile.grafana.adminPassword = "hunter2";
    const error = errorOf(() => parseProfile(profile, "staging"));
    expect(error.problems).toEqual(["grafana.adminPassword: unknown key (not in the schema)"]);
    // The rejected value itself is never echoed back for unknown keys.
    expect(error.message).not.toContain("hunter2");
  });

  it("fails when the Grafana admin Secret name is missing", () => {
    const profile = copyOf("dev");
    delete profile.grafana.adminSecret.name;
    expect(errorOf(() => parseProfile(profile, "dev")).problems).toEqual([
      "grafana.adminSecret.name: Invalid input: expected string, received undefined (got nothing)",
    ]);
  });

  it("fails when a Secret name is not a Kubernetes name", () => {
    const profile = copyOf("dev");
    profile.grafana.adminSecret.name = "Grafana Admin!";
    expect(errorOf(() => parseProfile(profile, "dev")).problems[0]).toMatch(
      /^grafana\.adminSecret\.name: must be a Kubernetes name .* \(got "Grafana Admin!"\)$/,
    );
  });

  it("fails when tempo-distributed is chosen without a Kafka address", () => {
    const profile = copyOf("prod");
    delete profile.tempo.topology.kafka;
    expect(errorOf(() => parseProfile(profile, "prod")).problems).toEqual([
      "tempo.topology.kafka: Invalid input: expected object, received undefined (got nothing)",
    ]);
  });

  it("fails when the Kafka address has no port", () => {
    const profile = copyOf("prod");
    profile.tempo.topology.kafka.address = "kafka.kafka.svc";
    expect(errorOf(() => parseProfile(profile, "prod")).problems).toEqual([
      'tempo.topology.kafka.address: must be host:port (got "kafka.kafka.svc")',
    ]);
  });

  it("fails when a chart version is a range instead of a pin", () => {
    const profile = copyOf("dev");
    profile.charts = { ...profile.charts, loki: { ...profile.charts.loki, version: "^18.0.0" } };
    expect(errorOf(() => parseProfile(profile, "dev")).problems[0]).toMatch(/^charts\.loki\.version: must be an exact chart version .*\(got "\^18\.0\.0"\)$/);
  });

  it("fails when the requests do not fit the declared cluster capacity", () => {
    const profile = copyOf("dev");
    profile.clusterCapacity.memory = "2Gi";
    expect(errorOf(() => parseProfile(profile, "dev")).problems).toEqual([
      expect.stringMatching(/^clusterCapacity\.memory: requests sum to \d+Mi, more than the declared 2Gi \(2048Mi\)$/),
    ]);
  });

  it("fails when prod loses its high availability or exposes metrics", () => {
    const profile = copyOf("prod");
    profile.prometheus.replicas = 1;
    profile.alertmanager.replicas = 2;
    profile.metricsExposure = "public";
    profile.helm.atomic = false;
    expect(errorOf(() => parseProfile(profile, "prod")).problems).toEqual([
      "prometheus.replicas: prod needs at least 2 for high availability (got 1)",
      "alertmanager.replicas: prod needs at least 3 for high availability (got 2)",
      'metricsExposure: prod must keep /metrics internal (got "public")',
      "helm.atomic: prod releases must be atomic so a failed upgrade rolls back (got false)",
    ]);
  });
});
