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
      /invalid environment profile "dev":\n  - prometheus\.replicas must be a number, got "two" \(environment "dev"\)/,
    );
  });

  it("fails when replicas are negative", () => {
    const profile = copyOf("prod");
    profile.loki.topology.components.ingester.replicas = -1;
    const error = errorOf(() => parseProfile(profile, "prod"));
    expect(error.problems).toEqual(['loki.topology.components.ingester.replicas must be at least 1, got -1 (environment "prod")']);
  });

  it("fails when a key is unknown", () => {
    const profile = copyOf("staging");
    profile.grafana.adminPassword = "hunter2";
    const error = errorOf(() => parseProfile(profile, "staging"));
    expect(error.problems).toEqual(['grafana.adminPassword is not a known field (environment "staging")']);
    // The rejected value itself is never echoed back for unknown keys.
    expect(error.message).not.toContain("hunter2");
  });

  it("fails when the Grafana admin Secret name is missing", () => {
    const profile = copyOf("dev");
    delete profile.grafana.adminSecret.name;
    expect(errorOf(() => parseProfile(profile, "dev")).problems).toEqual(['grafana.adminSecret.name must be a string, got nothing (environment "dev")']);
  });

  it("fails when a Secret name is not a Kubernetes name", () => {
    const profile = copyOf("dev");
    profile.grafana.adminSecret.name = "Grafana Admin!";
    expect(errorOf(() => parseProfile(profile, "dev")).problems[0]).toMatch(
      /^grafana\.adminSecret\.name must be a Kubernetes name .*, got "Grafana Admin!" \(environment "dev"\)$/,
    );
  });

  it("fails when tempo-distributed is chosen without a Kafka address", () => {
    const profile = copyOf("prod");
    delete profile.tempo.topology.kafka;
    expect(errorOf(() => parseProfile(profile, "prod")).problems).toEqual(['tempo.topology.kafka must be an object, got nothing (environment "prod")']);
  });

  it("fails when the Kafka address has no port", () => {
    const profile = copyOf("prod");
    profile.tempo.topology.kafka.address = "kafka.kafka.svc";
    expect(errorOf(() => parseProfile(profile, "prod")).problems).toEqual([
      'tempo.topology.kafka.address must be host:port, got "kafka.kafka.svc" (environment "prod")',
    ]);
  });

  it("fails when a chart version is a range instead of a pin", () => {
    const profile = copyOf("dev");
    profile.charts = { ...profile.charts, loki: { ...profile.charts.loki, version: "^18.0.0" } };
    expect(errorOf(() => parseProfile(profile, "dev")).problems[0]).toMatch(
      /^charts\.loki\.version must be an exact chart version .*, got "\^18\.0\.0" \(environment "dev"\)$/,
    );
  });

  it("fails when the requests do not fit the declared cluster capacity", () => {
    const profile = copyOf("dev");
    profile.clusterCapacity.memory = "2Gi";
    expect(errorOf(() => parseProfile(profile, "dev")).problems).toEqual([
      expect.stringMatching(/^clusterCapacity\.memory must fit the requests, which sum to \d+Mi \(declared: 2048Mi\), got "2Gi" \(environment "dev"\)$/),
    ]);
  });

  it("fails when zone-aware Mimir ingesters or store-gateways are not a multiple of 3 (one share per zone)", () => {
    const profile = copyOf("prod");
    profile.mimir.components.ingester.replicas = 4;
    profile.mimir.components.storeGateway.replicas = 2;
    expect(errorOf(() => parseProfile(profile, "prod")).problems).toEqual([
      'mimir.components.ingester.replicas must be a multiple of 3 with zoneAwareReplication (one share per zone), got 4 (environment "prod")',
      'mimir.components.storeGateway.replicas must be a multiple of 3 with zoneAwareReplication (one share per zone), got 2 (environment "prod")',
    ]);
    // Without zone awareness any count runs as asked.
    const staging = copyOf("staging");
    staging.mimir.components.ingester.replicas = 4;
    expect(parseProfile(staging, "staging").mimir?.components.ingester.replicas).toBe(4);
  });

  it("fails when the Mimir tenant is not a tenant id, or its Secret or bucket are missing", () => {
    const profile = copyOf("staging");
    profile.mimir.tenant = "platform team";
    delete profile.mimir.storage.credentialsSecretName;
    delete profile.mimir.storage.bucketNames.blocks;
    expect(errorOf(() => parseProfile(profile, "staging")).problems).toEqual([
      'mimir.tenant must be a Mimir tenant id ([a-zA-Z0-9_.-], at most 150), got "platform team" (environment "staging")',
      'mimir.storage.credentialsSecretName must be a string, got nothing (environment "staging")',
      'mimir.storage.bucketNames.blocks must be a string, got nothing (environment "staging")',
    ]);
  });

  it("fails when a Mimir limit is not a count or a duration", () => {
    const profile = copyOf("staging");
    profile.mimir.limits.maxGlobalSeriesPerTenant = 0;
    profile.mimir.limits.outOfOrderTimeWindow = "ten minutes";
    expect(errorOf(() => parseProfile(profile, "staging")).problems).toEqual([
      'mimir.limits.maxGlobalSeriesPerTenant must be > 0, got 0 (environment "staging")',
      'mimir.limits.outOfOrderTimeWindow must be a duration such as 30s, 5m, 1h30m, 2d, got "ten minutes" (environment "staging")',
    ]);
  });

  it("fails when the name is not an environment name", () => {
    const profile = copyOf("prod");
    profile.name = "Prod US";
    expect(errorOf(() => parseProfile(profile, "prod")).problems).toEqual([
      `name must be an environment name: lowercase letters, digits and '-', starting with a letter (at most 63), such as prod-us, got "Prod US" (environment "prod")`,
    ]);
  });

  it("fails when a shipped profile's name is not the environment it is loaded as", () => {
    const inputs = { ...PROFILE_INPUTS, staging: { ...PROFILE_INPUTS.staging, name: "prod-us" } };
    expect(errorOf(() => loadProfiles(["staging"], inputs))).toMatchObject({
      profileName: "staging",
      problems: ['name must be "staging", the environment it is loaded as, got "prod-us" (environment "staging")'],
    });
  });

  it("fails when the tier is missing or unknown", () => {
    const missing = copyOf("prod");
    delete missing.tier;
    expect(errorOf(() => parseProfile(missing, "prod")).problems).toEqual([
      expect.stringMatching(/^tier must be one of production, non-production, got nothing \(environment "prod"\)$/),
    ]);
    const unknown = copyOf("staging");
    unknown.tier = "prod-like";
    expect(errorOf(() => parseProfile(unknown, "staging")).problems).toEqual([
      expect.stringMatching(/^tier must be one of production, non-production, got "prod-like" \(environment "staging"\)$/),
    ]);
  });
});

describe("production posture, by declared tier", () => {
  /** prod's input under another name, as a second production region would start. */
  function prodUs(): any {
    return { ...copyOf("prod"), name: "prod-us", externalLabels: { cluster: "prod-us1", environment: "prod-us" } };
  }

  /** What a production profile must not do: one Prometheus, public /metrics, non-atomic releases. */
  function withoutPosture(profile: any): any {
    profile.prometheus.replicas = 1;
    profile.metricsExposure = "public";
    profile.helm.atomic = false;
    return profile;
  }

  it("fails a production profile of any name that breaks it, listing every problem", () => {
    expect(errorOf(() => parseProfile(withoutPosture(prodUs()), "prod-us"))).toMatchObject({
      profileName: "prod-us",
      problems: [
        'prometheus.replicas must be at least 2 in tier "production" (high availability), got 1 (environment "prod-us")',
        'metricsExposure must be "internal" in tier "production": /metrics stay inside the cluster, got "public" (environment "prod-us")',
        'helm.atomic must be true in tier "production", so a failed upgrade rolls back, got false (environment "prod-us")',
      ],
    });
  });

  it("fails a production profile without HA Alertmanager, cleanup on failure, Loki Distributed or tempo-distributed", () => {
    const profile = prodUs();
    const dev = copyOf("dev");
    profile.alertmanager.replicas = 2;
    profile.helm.cleanupOnFail = false;
    profile.loki.topology = dev.loki.topology;
    profile.tempo.topology = dev.tempo.topology;
    expect(errorOf(() => parseProfile(profile, "prod-us")).problems).toEqual([
      'alertmanager.replicas must be at least 3 in tier "production" (high availability), got 2 (environment "prod-us")',
      'helm.cleanupOnFail must be true in tier "production", so a failed install leaves nothing behind, got false (environment "prod-us")',
      'loki.topology.deploymentMode must be "Distributed" in tier "production" (Loki on object storage), got "Monolithic" (environment "prod-us")',
      'tempo.topology.kind must be "distributed" in tier "production" (tempo-distributed on Kafka and object storage), got "single" (environment "prod-us")',
    ]);
  });

  it("fails a production profile without Mimir, or with fewer than 3 Mimir ingesters (replication factor 3)", () => {
    const without = prodUs();
    delete without.mimir;
    expect(errorOf(() => parseProfile(without, "prod-us")).problems).toEqual([
      'mimir must be set in tier "production": the Prometheus pair needs one store that deduplicates it and takes every pushed metric, got nothing (environment "prod-us")',
    ]);
    const small = prodUs();
    delete small.mimir.zoneAwareReplication;
    small.mimir.components.ingester.replicas = 2;
    expect(errorOf(() => parseProfile(small, "prod-us")).problems).toEqual([
      'mimir.components.ingester.replicas must be at least 3 in tier "production" (high availability), got 2 (environment "prod-us")',
    ]);
  });

  it("fails a production profile whose write paths run on one pod: Mimir's distributors and gateway, the collector's gateway and sampler", () => {
    const profile = prodUs();
    profile.mimir.components.distributor.replicas = 1;
    profile.mimir.components.gateway.replicas = 1;
    profile.openTelemetryCollector.gateway.replicas = 1;
    profile.openTelemetryCollector.sampler.replicas = 1;
    expect(errorOf(() => parseProfile(profile, "prod-us")).problems).toEqual([
      'mimir.components.distributor.replicas must be at least 2 in tier "production" (high availability), got 1 (environment "prod-us")',
      'mimir.components.gateway.replicas must be at least 2 in tier "production" (high availability), got 1 (environment "prod-us")',
      'openTelemetryCollector.gateway.replicas must be at least 2 in tier "production" (high availability), got 1 (environment "prod-us")',
      'openTelemetryCollector.sampler.replicas must be at least 2 in tier "production" (high availability), got 1 (environment "prod-us")',
    ]);
  });

  it("runs Mimir in staging and prod, not in dev and local", () => {
    expect(loadProfiles().map((p) => [p.name, p.mimir !== undefined])).toEqual([
      ["local", false],
      ["dev", false],
      ["staging", true],
      ["prod", true],
    ]);
  });

  it("accepts a production profile of any name that keeps it", () => {
    const profile = parseProfile(prodUs(), "prod-us");
    expect([profile.name, profile.tier]).toEqual(["prod-us", "production"]);
  });

  it("does not hold a non-production profile to it, even one named prod", () => {
    expect(parseProfile({ ...withoutPosture(prodUs()), tier: "non-production" }, "prod-us").tier).toBe("non-production");
    expect(parseProfile({ ...withoutPosture(copyOf("prod")), tier: "non-production" }, "prod").name).toBe("prod");
  });

  it("declares the shipped tiers: only prod is production, staging's prod-like topology included", () => {
    expect(loadProfiles().map((p) => [p.name, p.tier])).toEqual([
      ["local", "non-production"],
      ["dev", "non-production"],
      ["staging", "non-production"],
      ["prod", "production"],
    ]);
  });
});

describe("the cluster's control plane", () => {
  it("fails when kubernetes.controlPlane is missing or unknown: nothing guesses it", () => {
    const missing = copyOf("staging");
    delete missing.kubernetes.controlPlane;
    expect(errorOf(() => parseProfile(missing, "staging")).problems).toEqual([
      'kubernetes.controlPlane must be one of managed, self-hosted, got nothing (environment "staging")',
    ]);
    const unknown = copyOf("staging");
    unknown.kubernetes.controlPlane = "eks";
    expect(errorOf(() => parseProfile(unknown, "staging")).problems).toEqual([
      'kubernetes.controlPlane must be one of managed, self-hosted, got "eks" (environment "staging")',
    ]);
  });

  it("declares every shipped cluster's control plane managed (kind's is unreachable from pods too)", () => {
    expect(loadProfiles().map((p) => [p.name, p.kubernetes.controlPlane])).toEqual([
      ["local", "managed"],
      ["dev", "managed"],
      ["staging", "managed"],
      ["prod", "managed"],
    ]);
  });
});
