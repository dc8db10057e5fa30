import { buildEnvironmentArtifacts, type EnvironmentArtifacts, type ReleaseArtifact } from "../../../artifacts/environment-artifacts";
import { crossObjectProblems } from "../../../artifacts/cross-object-invariants";
import { TOPOLOGY_INVARIANTS } from "../../../artifacts/topology";
import { replicatedSqliteProblems, sharedVolumeProblems } from "../../../artifacts/topology/shared-volumes";
import { loadProfiles } from "../../../environments";

const profiles = loadProfiles();
const artifactsOf = (name: string) =>
  buildEnvironmentArtifacts(
    profiles.find((p) => p.name === name)!,
    [],
  );

/** An environment's artifacts with one release's values changed by `change` (a copy; nothing shared). */
function withValues(artifacts: EnvironmentArtifacts, chartKey: ReleaseArtifact["chartKey"], change: (values: any) => void): EnvironmentArtifacts {
  const releases = artifacts.releases.map((release) => {
    if (release.chartKey !== chartKey) return release;
    const values = structuredClone(release.values) as any;
    change(values);
    return { ...release, values };
  });
  return { ...artifacts, releases };
}

/** Grafana as prod deployed it before Grafana HA: 2 replicas, the chart's Deployment on one PVC, SQLite. */
const GRAFANA_BEFORE_HA = { fullnameOverride: "grafana", replicas: 2, persistence: { enabled: true, size: "5Gi", storageClassName: "gp3" } };

describe("topology invariant: no replicated workload on one ReadWriteOnce volume", () => {
  it("fails on prod's Grafana as it was: 2 replicas of a Deployment on one PVC, on SQLite", () => {
    const before = withValues(artifactsOf("prod"), "kubePrometheusStack", (values) => (values.grafana = { ...GRAFANA_BEFORE_HA }));
    expect(sharedVolumeProblems(before)).toEqual([
      'prod: release "kube-prometheus-stack", grafana: 2 replicas (grafana.replicas) of a Deployment mount one ReadWriteOnce claim ' +
        '(grafana.persistence: {"enabled":true,"size":"5Gi","storageClassName":"gp3"}): a ReadWriteOnce volume attaches to one node, ' +
        "so the second pod sticks in Multi-Attach or two processes write the same files; run one replica, or keep the state elsewhere " +
        "(a shared database, or a StatefulSet with a claim per pod)",
    ]);
    expect(replicatedSqliteProblems(before)).toEqual([
      'prod: release "kube-prometheus-stack", grafana: 2 replicas (grafana.replicas) on SQLite (grafana["grafana.ini"].database.type "sqlite3"): ' +
        "each pod keeps its own grafana.db; name a shared Postgres or MySQL in the profile's grafana.database",
    ]);
    // Registered: synth reports them with the other cross-object problems.
    expect(crossObjectProblems(before)).toEqual(expect.arrayContaining([...sharedVolumeProblems(before), ...replicatedSqliteProblems(before)]));
  });

  it.each(["local", "dev", "staging", "prod"])("holds for %s as shipped", (env) => {
    const artifacts = artifactsOf(env);
    expect(TOPOLOGY_INVARIANTS).toEqual(expect.arrayContaining([sharedVolumeProblems, replicatedSqliteProblems]));
    expect([...sharedVolumeProblems(artifacts), ...replicatedSqliteProblems(artifacts)]).toEqual([]);
  });

  it("fails one Grafana on its ReadWriteOnce volume that updates by rolling (a second pod for a while)", () => {
    const dev = withValues(artifactsOf("dev"), "kubePrometheusStack", (values) => delete values.grafana.deploymentStrategy);
    expect(sharedVolumeProblems(dev)).toEqual([
      'dev: release "kube-prometheus-stack", grafana: a Deployment on one ReadWriteOnce claim ' +
        '(grafana.persistence: {"enabled":true,"type":"pvc","accessModes":["ReadWriteOnce"],"size":"1Gi"}) updates with ' +
        'grafana.deploymentStrategy.type "RollingUpdate", which starts the new pod beside the old one on the same volume; use "Recreate"',
    ]);
  });

  it("counts an autoscaled Grafana by its maximum", () => {
    const dev = withValues(artifactsOf("dev"), "kubePrometheusStack", (values) => (values.grafana.autoscaling = { enabled: true, maxReplicas: 4 }));
    expect(sharedVolumeProblems(dev)).toEqual([
      expect.stringMatching(/^dev: release "kube-prometheus-stack", grafana: 4 replicas \(grafana\.autoscaling\.maxReplicas\) of a Deployment/),
    ]);
  });

  it.each([
    ["a StatefulSet (a claim per pod)", { useStatefulSet: true }],
    ["persistence of type sts", { persistence: { enabled: true, type: "sts", size: "5Gi" } }],
    ["a ReadWriteMany volume", { persistence: { enabled: true, accessModes: ["ReadWriteMany"], size: "5Gi" } }],
    ["no persistence (emptyDir)", { persistence: { enabled: false } }],
  ])("passes 2 Grafana replicas on %s", (_case, grafana) => {
    const prod = withValues(artifactsOf("prod"), "kubePrometheusStack", (values) => (values.grafana = { ...GRAFANA_BEFORE_HA, ...grafana }));
    expect(sharedVolumeProblems(prod)).toEqual([]);
  });

  it("fails a Loki component of kind Deployment with a pvc volume and 2 replicas, and a rolling single one", () => {
    const staging = withValues(artifactsOf("staging"), "loki", (values) => {
      values.querier.kind = "Deployment";
      values.querier.persistence = { enabled: true, type: "pvc", size: "10Gi" };
      values.compactor = { ...values.compactor, kind: "Deployment", replicas: 1, persistence: { enabled: true } };
    });
    expect(sharedVolumeProblems(staging)).toEqual([
      expect.stringMatching(
        /^staging: release "loki", querier: 2 replicas \(querier\.replicas\) of a Deployment mount one ReadWriteOnce claim \(querier\.persistence: \{"enabled":true,"type":"pvc","size":"10Gi"\}\)/,
      ),
      expect.stringMatching(/^staging: release "loki", compactor: a Deployment on one ReadWriteOnce claim .* compactor\.strategy\.type "RollingUpdate"/),
    ]);
  });

  it("passes Loki's StatefulSets with a claim per pod, and Deployments on ephemeral volumes", () => {
    const staging = withValues(artifactsOf("staging"), "loki", (values) => {
      values.ingester.persistence.enabled = true;
      values.bloomBuilder = { kind: "Deployment", replicas: 3, persistence: { enabled: true } };
    });
    expect(staging.releases.find((r) => r.chartKey === "loki")!.values).toMatchObject({ ingester: { replicas: 2, persistence: { enabled: true } } });
    expect(sharedVolumeProblems(staging)).toEqual([]);
  });

  it("passes Grafana replicas on a shared database", () => {
    const prod = artifactsOf("prod");
    expect((prod.releases[0]!.values as any).grafana["grafana.ini"].database.type).toBe("postgres");
    const sqlite = withValues(prod, "kubePrometheusStack", (values) => delete values.grafana["grafana.ini"].database);
    expect(replicatedSqliteProblems(prod)).toEqual([]);
    expect(replicatedSqliteProblems(sqlite)).toHaveLength(1);
  });
});
