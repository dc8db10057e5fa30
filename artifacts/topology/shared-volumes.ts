/**
 * No replicated workload on one ReadWriteOnce volume. A Deployment mounts the same claim in every
 * pod, and a ReadWriteOnce claim attaches to one node: the second pod sticks in Multi-Attach (an
 * atomic release times out and rolls back), or, on the same node, two processes write one set of
 * files. A rolling update of a single pod makes the same second pod for a while. StatefulSets with
 * volumeClaimTemplates are fine: each pod gets its own claim.
 *
 * Read from the rendered values of each release, with the defaults of the pinned charts where the
 * values leave a field out. The charts modelled are those whose Deployments can mount a claim:
 * Grafana (kube-prometheus-stack's subchart grafana 12.11.1) and Loki 18.11.0 (components of kind
 * Deployment with persistence of type pvc). Tempo, tempo-distributed, the collector and the
 * blackbox exporter put volumes only on StatefulSets (volumeClaimTemplates) or on emptyDir.
 */
import type { ChartKey } from "../../environments/chart-versions";
import type { EnvironmentArtifacts, ReleaseArtifact } from "../environment-artifacts";

/** One pod template of a release as its chart renders it, and the claim all its pods share, if any. */
interface RenderedWorkload {
  /** Where in the release's values the workload is configured, e.g. `grafana` or `querier`. */
  readonly path: string;
  readonly kind: "Deployment" | "StatefulSet";
  readonly replicas: number;
  /** Value path of the replica count, for the message. */
  readonly replicasPath: string;
  /** The one claim every pod mounts (never a StatefulSet's per-pod claims). @default - none */
  readonly sharedClaim?: { readonly path: string; readonly accessModes: readonly string[] };
  /** Deployment update strategy and the value path it is read at. */
  readonly strategy: { readonly path: string; readonly type: string };
}

type Values = Readonly<Record<string, unknown>>;

const record = (value: unknown): Values | undefined => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Values) : undefined);
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined);

/** Access modes that attach a volume to one node (or one pod) at a time. */
const SINGLE_ATTACH_MODES = new Set(["ReadWriteOnce", "ReadWriteOncePod"]);

/** grafana 12.11.1's `persistence.type` values that render a StatefulSet with volumeClaimTemplates. */
const GRAFANA_STATEFULSET_TYPES = new Set(["sts", "StatefulSet", "statefulset"]);

/**
 * Grafana under kube-prometheus-stack's `grafana` key. grafana 12.11.1 renders a Deployment unless
 * `useStatefulSet` is set or persistence is of a StatefulSet type; with persistence of type `pvc`
 * that Deployment mounts one claim in every pod. Defaults: 1 replica, persistence off, type pvc,
 * ReadWriteOnce, strategy RollingUpdate, autoscaling up to 5.
 */
function grafanaWorkloads(values: Values): RenderedWorkload[] {
  const grafana = record(values.grafana);
  if (grafana === undefined || grafana.enabled === false) return [];
  const persistence = record(grafana.persistence) ?? {};
  const persistent = persistence.enabled === true;
  const type = text(persistence.type) ?? "pvc";
  const useStatefulSet = grafana.useStatefulSet === true;
  const statefulSet = useStatefulSet || (persistent && GRAFANA_STATEFULSET_TYPES.has(type) && persistence.existingClaim === undefined);
  const autoscaling = record(grafana.autoscaling);
  const autoscaled = autoscaling?.enabled === true;
  return [
    {
      path: "grafana",
      kind: statefulSet ? "StatefulSet" : "Deployment",
      replicas: autoscaled ? (count(autoscaling?.maxReplicas) ?? 5) : (count(grafana.replicas) ?? 1),
      replicasPath: autoscaled ? "grafana.autoscaling.maxReplicas" : "grafana.replicas",
      ...(persistent && type === "pvc" && !useStatefulSet
        ? { sharedClaim: { path: "grafana.persistence", accessModes: strings(persistence.accessModes) ?? ["ReadWriteOnce"] } }
        : {}),
      strategy: { path: "grafana.deploymentStrategy.type", type: text(record(grafana.deploymentStrategy)?.type) ?? "RollingUpdate" },
    },
  ];
}

/** loki 18.11.0's components: the workload kind, replicas and persistence type its values.yaml defaults to. */
const LOKI_COMPONENTS: Readonly<Record<string, { kind: "Deployment" | "StatefulSet"; replicas: number; persistenceType?: string }>> = {
  singleBinary: { kind: "StatefulSet", replicas: 0 },
  write: { kind: "StatefulSet", replicas: 3 },
  read: { kind: "Deployment", replicas: 3 },
  backend: { kind: "StatefulSet", replicas: 3 },
  ingester: { kind: "StatefulSet", replicas: 0 },
  distributor: { kind: "Deployment", replicas: 0 },
  querier: { kind: "Deployment", replicas: 0 },
  queryFrontend: { kind: "Deployment", replicas: 0 },
  queryScheduler: { kind: "Deployment", replicas: 0 },
  indexGateway: { kind: "StatefulSet", replicas: 0 },
  compactor: { kind: "StatefulSet", replicas: 0, persistenceType: "pvc" },
  bloomGateway: { kind: "StatefulSet", replicas: 0 },
  bloomPlanner: { kind: "StatefulSet", replicas: 0 },
  bloomBuilder: { kind: "Deployment", replicas: 0, persistenceType: "ephemeral" },
  patternIngester: { kind: "StatefulSet", replicas: 0 },
  ruler: { kind: "StatefulSet", replicas: 0 },
  overridesExporter: { kind: "Deployment", replicas: 0 },
};

/**
 * Loki's components. loki 18.11.0 mounts the claim `<fullname>-data` in every pod of a component
 * of `kind: Deployment` whose persistence (`enabled` or `volumeClaimsEnabled`) is of type `pvc`;
 * StatefulSets get volumeClaimTemplates.
 */
function lokiWorkloads(values: Values): RenderedWorkload[] {
  return Object.entries(LOKI_COMPONENTS).flatMap(([name, defaults]): RenderedWorkload[] => {
    const component = record(values[name]) ?? {};
    const kind = component.kind === "Deployment" || component.kind === "StatefulSet" ? component.kind : defaults.kind;
    const persistence = record(component.persistence) ?? {};
    const persistent = persistence.enabled === true || persistence.volumeClaimsEnabled === true;
    const type = text(persistence.type) ?? defaults.persistenceType;
    return [
      {
        path: name,
        kind,
        replicas: count(component.replicas) ?? defaults.replicas,
        replicasPath: `${name}.replicas`,
        ...(kind === "Deployment" && persistent && type === "pvc"
          ? { sharedClaim: { path: `${name}.persistence`, accessModes: strings(persistence.accessModes) ?? ["ReadWriteOnce"] } }
          : {}),
        strategy: { path: `${name}.strategy.type`, type: text(record(component.strategy)?.type) ?? "RollingUpdate" },
      },
    ];
  });
}

/** The workloads of each chart whose Deployments can mount a claim. */
const WORKLOAD_READERS: Partial<Record<ChartKey, (values: Values) => RenderedWorkload[]>> = {
  kubePrometheusStack: grafanaWorkloads,
  loki: lokiWorkloads,
};

function describeClaim(release: ReleaseArtifact, claim: NonNullable<RenderedWorkload["sharedClaim"]>): string {
  return `one ${claim.accessModes.join("/")} claim (${claim.path}: ${JSON.stringify(valueAt(release.values, claim.path))})`;
}

function valueAt(values: Values, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => record(v)?.[key], values);
}

/** Messages naming the environment, release, value paths and values of every workload replicated on one ReadWriteOnce volume. */
export function sharedVolumeProblems(artifacts: EnvironmentArtifacts): string[] {
  const env = artifacts.profile.name;
  return artifacts.releases.flatMap((release) => {
    const read = WORKLOAD_READERS[release.chartKey];
    if (read === undefined) return [];
    return read(release.values).flatMap((workload): string[] => {
      const claim = workload.sharedClaim;
      if (workload.kind !== "Deployment" || claim === undefined || !claim.accessModes.some((m) => SINGLE_ATTACH_MODES.has(m))) return [];
      const where = `${env}: release "${release.releaseName}", ${workload.path}`;
      if (workload.replicas > 1) {
        return [
          `${where}: ${workload.replicas} replicas (${workload.replicasPath}) of a Deployment mount ${describeClaim(release, claim)}: ` +
            "a ReadWriteOnce volume attaches to one node, so the second pod sticks in Multi-Attach or two processes write the same files; " +
            "run one replica, or keep the state elsewhere (a shared database, or a StatefulSet with a claim per pod)",
        ];
      }
      if (workload.replicas === 1 && workload.strategy.type !== "Recreate") {
        return [
          `${where}: a Deployment on ${describeClaim(release, claim)} updates with ${workload.strategy.path} ${JSON.stringify(workload.strategy.type)}, ` +
            'which starts the new pod beside the old one on the same volume; use "Recreate"',
        ];
      }
      return [];
    });
  });
}

/**
 * More than one Grafana on SQLite: grafana.ini's `database.type` left at `sqlite3`, so each pod
 * keeps its own grafana.db (users, folders, alert state diverge between replicas) whatever the
 * volume. Messages name the environment, release and values.
 */
export function replicatedSqliteProblems(artifacts: EnvironmentArtifacts): string[] {
  const env = artifacts.profile.name;
  return artifacts.releases.flatMap((release) => {
    if (release.chartKey !== "kubePrometheusStack") return [];
    return grafanaWorkloads(release.values).flatMap((workload) => {
      const grafana = record(release.values.grafana) ?? {};
      const database = text(record(record(grafana["grafana.ini"])?.database)?.type) ?? "sqlite3";
      if (workload.replicas <= 1 || database !== "sqlite3") return [];
      return [
        `${env}: release "${release.releaseName}", grafana: ${workload.replicas} replicas (${workload.replicasPath}) on SQLite ` +
          `(grafana["grafana.ini"].database.type ${JSON.stringify(database)}): each pod keeps its own grafana.db; ` +
          "name a shared Postgres or MySQL in the profile's grafana.database",
      ];
    });
  });
}
