/**
 * The cluster objects of the canary runner (canary-runner/): the flows of an environment that need
 * more than one request, run by one Deployment. Pure: the environment's runner config, its profile
 * and the runner's script in, plain Kubernetes manifests out; the content stack applies them and
 * synth writes them to generated/<env>/canaries/runner.yaml, so reviewers read every flow and its
 * schedule. No objects when the environment has no runner flow.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { EnvironmentProfile } from "../environments/profile-schema";
import { secretVolumeName } from "../helm-values/blackbox-exporter";
import { SCRAPE_SELECTOR_LABELS } from "../helm-values/selector-labels";
import { RUNNER_JOB } from "../signals/canary/metrics";
import {
  CANARY_RUNNER_PORT,
  CANARY_RUNNER_SCRIPT_PATH,
  CANARY_RUNNER_SECRETS_DIR,
  canaryRunnerArgs,
  secretRefsOf,
  type RunnerConfig,
} from "../signals/canary/runner-config";

/** A Kubernetes object as a plain object: any kind, its fields beside `metadata`. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** The name of every runner object: the ConfigMap, the Deployment, its Service and ServiceMonitor. */
export const CANARY_RUNNER_NAME = "canary-runner";

/** Where the pod mounts the ConfigMap: the script and the flows. */
export const CANARY_RUNNER_CONFIG_DIR = "/etc/canary-runner/config";

/** The ConfigMap's keys. */
const SCRIPT_KEY = "runner.mjs";
const FLOWS_KEY = "flows.json";

/** The pod template annotation whose change restarts the runner when a flow or the script changes. */
export const CONFIG_CHECKSUM_ANNOTATION = "observability-stack/config-checksum";

/** The non-root user the runner runs as (the node image's `node` user). */
const RUNNER_UID = 1000;

/** The runner's script, read from the repository (canary-runner/runner.mjs). */
export function readRunnerScript(path: string = CANARY_RUNNER_SCRIPT_PATH): string {
  return readFileSync(path, "utf8");
}

/** What the runner's objects are built from. */
export interface CanaryRunnerProps {
  /** The environment's runner config: its runner flows only (runnerConfig over the filtered services). */
  readonly config: RunnerConfig;
  /** The environment: namespace, the runner's image and resources. */
  readonly profile: Pick<EnvironmentProfile, "namespace" | "canaryRunner">;
  /** The text of canary-runner/runner.mjs, mounted beside the flows. */
  readonly script: string;
}

const labels = { "app.kubernetes.io/name": CANARY_RUNNER_NAME, "app.kubernetes.io/managed-by": "observability-stack" } as const;
const selectorLabels = { "app.kubernetes.io/name": CANARY_RUNNER_NAME } as const;

function metadata(namespace: string, extra: Readonly<Record<string, string>> = {}) {
  return { name: CANARY_RUNNER_NAME, namespace, labels: { ...labels, ...extra } };
}

/** The ConfigMap's data: the script and the flows as pretty JSON. */
export function canaryRunnerConfigData(config: RunnerConfig, script: string): Record<string, string> {
  return { [SCRIPT_KEY]: script, [FLOWS_KEY]: `${JSON.stringify(config, null, 2)}\n` };
}

/** SHA-256 of the ConfigMap's data, keys in order: the restart trigger. */
function checksum(data: Readonly<Record<string, string>>): string {
  const hash = createHash("sha256");
  for (const key of Object.keys(data).sort()) hash.update(`${key}\0${data[key]}\0`);
  return hash.digest("hex");
}

/** One Secret volume per Secret the flows read, holding only the keys they read, and its mount. */
function secretVolumes(config: RunnerConfig) {
  const bySecret = new Map<string, string[]>();
  for (const ref of secretRefsOf(config)) bySecret.set(ref.secret, [...(bySecret.get(ref.secret) ?? []), ref.key]);
  return [...bySecret].map(([secret, keys]) => ({
    volume: { name: secretVolumeName(secret), secret: { secretName: secret, defaultMode: 0o444, items: keys.map((key) => ({ key, path: key })) } },
    mount: { name: secretVolumeName(secret), mountPath: `${CANARY_RUNNER_SECRETS_DIR}/${secret}`, readOnly: true },
  }));
}

function deployment(props: CanaryRunnerProps, configChecksum: string): KubernetesObject {
  const { namespace, canaryRunner } = props.profile;
  const secrets = secretVolumes(props.config);
  const probe = { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 10, timeoutSeconds: 2 };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(namespace),
    spec: {
      // One replica: two would run every flow twice and double its writes.
      replicas: 1,
      // Never two runners at once during a rollout, for the same reason.
      strategy: { type: "Recreate" },
      selector: { matchLabels: { ...selectorLabels } },
      template: {
        metadata: { labels: { ...labels }, annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: RUNNER_UID, runAsGroup: RUNNER_UID, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "runner",
              image: canaryRunner.image,
              command: ["node"],
              args: canaryRunnerArgs({
                configPath: `${CANARY_RUNNER_CONFIG_DIR}/${FLOWS_KEY}`,
                listen: `0.0.0.0:${CANARY_RUNNER_PORT}`,
                scriptPath: `${CANARY_RUNNER_CONFIG_DIR}/${SCRIPT_KEY}`,
              }),
              ports: [{ name: "metrics", containerPort: CANARY_RUNNER_PORT, protocol: "TCP" }],
              resources: canaryRunner.resources,
              livenessProbe: probe,
              readinessProbe: probe,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: RUNNER_UID,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [{ name: "config", mountPath: CANARY_RUNNER_CONFIG_DIR, readOnly: true }, ...secrets.map((s) => s.mount)],
            },
          ],
          volumes: [{ name: "config", configMap: { name: CANARY_RUNNER_NAME } }, ...secrets.map((s) => s.volume)],
        },
      },
    },
  };
}

/**
 * The runner's objects: the ConfigMap (script and flows), the Deployment (one hardened replica
 * mounting exactly the Secret keys the flows read, restarted when the ConfigMap changes), its
 * Service and the ServiceMonitor Prometheus selects. `honorLabels` keeps the runner's `service`
 * and `canary` labels; `job` is set to {@link RUNNER_JOB}, which the canary rules select on. Empty
 * when the config has no flow.
 */
export function buildCanaryRunnerManifests(props: CanaryRunnerProps): KubernetesObject[] {
  if (props.config.flows.length === 0) return [];
  const namespace = props.profile.namespace;
  const data = canaryRunnerConfigData(props.config, props.script);
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: metadata(namespace), data },
    deployment(props, checksum(data)),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: metadata(namespace),
      spec: {
        type: "ClusterIP",
        selector: { ...selectorLabels },
        ports: [{ name: "metrics", port: CANARY_RUNNER_PORT, targetPort: "metrics", protocol: "TCP" }],
      },
    },
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: metadata(namespace, SCRAPE_SELECTOR_LABELS),
      spec: {
        namespaceSelector: { matchNames: [namespace] },
        selector: { matchLabels: { ...selectorLabels } },
        endpoints: [
          {
            port: "metrics",
            path: "/metrics",
            honorLabels: true,
            relabelings: [{ action: "replace", targetLabel: "job", replacement: RUNNER_JOB }],
          },
        ],
      },
    },
  ];
}
