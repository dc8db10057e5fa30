import { buildEnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { generatedFiles } from "../../artifacts/generated-files";
import { requiredSecrets } from "../../artifacts/required-secrets";
import { loadProfiles } from "../../environments";
import { requestedCapacity } from "../../environments/capacity";
import { buildCanaryRunnerManifests, CONFIG_CHECKSUM_ANNOTATION, type KubernetesObject } from "../../monitors/canary-runner";
import { buildCatalog } from "../../signals/catalog";
import { runnerConfig } from "../../signals/canary/runner-config";
import type { RunnerConfig } from "../../signals/canary/runner-config";
import { catalogFlow, checkoutFlow, searchFlow, shopService } from "./canary-fixtures";

const profiles = loadProfiles();
const profileOf = (name: string) => profiles.find((p) => p.name === name)!;
const catalog = buildCatalog([shopService()]);
const envOf = (name: string) => buildEnvironmentArtifacts(profileOf(name), catalog);

const objectOf = (manifests: readonly KubernetesObject[], kind: string): any => manifests.find((m) => m.kind === kind);

describe("canary runner objects (dev: every flow of the shop service)", () => {
  const dev = envOf("dev");
  const manifests = dev.canaryRunner.manifests;

  it("are a ConfigMap, a Deployment, a Service and a ServiceMonitor named canary-runner in the profile's namespace", () => {
    expect(manifests.map((m) => [m.kind, m.metadata.name, m.metadata.namespace])).toEqual([
      ["ConfigMap", "canary-runner", "observability"],
      ["Deployment", "canary-runner", "observability"],
      ["Service", "canary-runner", "observability"],
      ["ServiceMonitor", "canary-runner", "observability"],
    ]);
  });

  it("holds in flows.json the runner flows only, schedules and budgets in seconds, credentials as Secret references", () => {
    const flows = JSON.parse(objectOf(manifests, "ConfigMap").data["flows.json"]).flows;
    expect(flows.map((f: any) => [f.service, f.team, f.canary, f.everySeconds])).toEqual([
      ["shop", "web", "checkout", 300],
      ["shop", "web", "catalog", 120],
    ]);
    expect(flows[0]).toMatchObject({
      baseUrl: "http://shop.shop.svc:8080",
      budgetSeconds: 3,
      failAfterRuns: 2,
      slowAfterRuns: 3,
      credentials: { password: { secret: "shop-canary-login", key: "password" }, user: { secret: "shop-canary-login", key: "user" } },
    });
    expect(flows[0].steps[0]).toMatchObject({ name: "login", budgetSeconds: 0.5, extract: { token: "$.accessToken" } });
    expect(flows[0].steps[1].request).toEqual({ method: "POST", url: "/orders", headers: { Authorization: "Bearer {{token}}" }, body: { sku: "canary-sku" } });
    expect(Object.keys(objectOf(manifests, "ConfigMap").data).sort()).toEqual(["flows.json", "runner.mjs"]);
  });

  it("runs node with the runner's arguments, as the image and resources of the profile say, one replica", () => {
    const deployment = objectOf(manifests, "Deployment");
    const container = deployment.spec.template.spec.containers[0];
    expect(deployment.spec.replicas).toBe(1);
    expect(container.image).toBe(profileOf("dev").canaryRunner.image);
    expect(container.resources).toEqual(profileOf("dev").canaryRunner.resources);
    expect(container.command).toEqual(["node"]);
    expect(container.args).toEqual([
      "--experimental-websocket",
      "/etc/canary-runner/config/runner.mjs",
      "--config",
      "/etc/canary-runner/config/flows.json",
      "--listen",
      "0.0.0.0:9464",
      "--secrets-dir",
      "/etc/canary-runner/secrets",
    ]);
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
  });

  it("is hardened: non-root uid 1000, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp", () => {
    const pod = objectOf(manifests, "Deployment").spec.template.spec;
    expect(pod.containers[0].securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("mounts exactly the Secret keys the flows read, read-only, at <secrets dir>/<secret>", () => {
    const pod = objectOf(manifests, "Deployment").spec.template.spec;
    const secretVolumes = pod.volumes.filter((v: any) => v.secret !== undefined);
    expect(secretVolumes).toEqual([
      {
        name: "secret-shop-canary-login",
        secret: {
          secretName: "shop-canary-login",
          defaultMode: 0o444,
          items: [
            { key: "password", path: "password" },
            { key: "user", path: "user" },
          ],
        },
      },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: "config", mountPath: "/etc/canary-runner/config", readOnly: true },
      { name: "secret-shop-canary-login", mountPath: "/etc/canary-runner/secrets/shop-canary-login", readOnly: true },
    ]);
    // The blackbox flow's token is the blackbox exporter's, not the runner's.
    expect(JSON.stringify(manifests)).not.toContain("shop-canary-token");
  });

  it("is scraped by a ServiceMonitor Prometheus selects, honouring the runner's labels, as job canary-runner", () => {
    const monitor = objectOf(manifests, "ServiceMonitor");
    expect(monitor.metadata.labels).toMatchObject({ release: "kube-prometheus-stack" });
    expect(monitor.spec.selector.matchLabels).toEqual(objectOf(manifests, "Service").spec.selector);
    expect(monitor.spec.endpoints).toEqual([
      { port: "metrics", path: "/metrics", honorLabels: true, relabelings: [{ action: "replace", targetLabel: "job", replacement: "canary-runner" }] },
    ]);
    expect(objectOf(manifests, "Service").spec.ports).toEqual([{ name: "metrics", port: 9464, targetPort: "metrics", protocol: "TCP" }]);
  });

  it("is written to generated/dev/canaries/runner.yaml", () => {
    const file = generatedFiles([dev]).get("dev/canaries/runner.yaml");
    expect(file).toContain("kind: Deployment");
    expect(file).toContain('"everySeconds": 300');
  });
});

describe("canary runner objects: what changes them", () => {
  const config = runnerConfig([{ name: "shop", team: "web", canaries: [] }]);
  const profile = profileOf("dev");
  const withFlows = (c: RunnerConfig, script = "// runner") => buildCanaryRunnerManifests({ config: c, profile, script });
  const checksumOf = (manifests: KubernetesObject[]) =>
    (objectOf(manifests, "Deployment").spec.template.metadata.annotations as Record<string, string>)[CONFIG_CHECKSUM_ANNOTATION];
  const dev = envOf("dev").canaryRunner.config;

  it("are none without a runner flow", () => {
    expect(withFlows(config)).toEqual([]);
  });

  it("restart the runner when a flow or the script changes (the pod template's checksum), not otherwise", () => {
    const slower = { flows: dev.flows.map((f, i) => (i === 0 ? { ...f, everySeconds: 600 } : f)) };
    expect(checksumOf(withFlows(dev))).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf(withFlows(dev))).toBe(checksumOf(withFlows(dev)));
    expect(checksumOf(withFlows(slower))).not.toBe(checksumOf(withFlows(dev)));
    expect(checksumOf(withFlows(dev, "// runner v2"))).not.toBe(checksumOf(withFlows(dev)));
  });
});

describe("canary flows per environment", () => {
  const canariesOf = (env: string) => (envOf(env).services[0]!.canaries as { name: string }[]).map((c) => c.name);

  it("a writing flow runs in dev and staging (allowWrites) but not in prod", () => {
    expect(profileOf("prod").canaryRunner.allowWrites).toBe(false);
    expect(canariesOf("dev")).toEqual([searchFlow.name, checkoutFlow.name, catalogFlow.name]);
    expect(canariesOf("staging")).toEqual([searchFlow.name, checkoutFlow.name]);
    expect(canariesOf("prod")).toEqual([searchFlow.name, catalogFlow.name]);
    expect(envOf("prod").canaryRunner.config.flows.map((f) => f.canary)).toEqual(["catalog"]);
  });

  it("without runner flows in an environment there are no runner objects and no runner file", () => {
    const onlyBlackbox = buildEnvironmentArtifacts(profileOf("prod"), buildCatalog([shopService([searchFlow])]));
    expect(onlyBlackbox.canaryRunner.manifests).toEqual([]);
    expect([...generatedFiles([onlyBlackbox]).keys()].filter((p) => p.includes("/canaries/"))).toEqual([]);
  });
});

describe("the Secrets canary flows read join the environment's required Secrets", () => {
  it("the runner's Secret with the keys it reads, and the blackbox exporter's token Secret with its key", () => {
    const secrets = Object.fromEntries(requiredSecrets(envOf("dev")).map((s) => [s.name, s]));
    expect(secrets["shop-canary-login"]).toEqual({
      name: "shop-canary-login",
      namespace: "observability",
      keys: ["password", "user"],
      readBy: ["canary-runner"],
    });
    expect(secrets["shop-canary-token"]).toEqual({ name: "shop-canary-token", namespace: "observability", keys: ["token"], readBy: ["blackbox-exporter"] });
  });

  it("fails on a file under a mounted Secret that is no key of it", () => {
    const dev = envOf("dev");
    const releases = dev.releases.map((r) =>
      r.chartKey === "blackboxExporter" ? { ...r, values: { ...r.values, extra: { file: "/etc/blackbox-exporter/secrets/shop-canary-token/a/b" } } } : r,
    );
    expect(() => requiredSecrets({ ...dev, releases })).toThrow(
      /release "blackbox-exporter": \/etc\/blackbox-exporter\/secrets\/shop-canary-token\/a\/b is no key of Secret "shop-canary-token" mounted at/,
    );
  });

  it("a flow that does not run in an environment needs no Secret there", () => {
    const names = requiredSecrets(buildEnvironmentArtifacts(profileOf("prod"), buildCatalog([shopService([searchFlow, checkoutFlow])]))).map((s) => s.name);
    expect(names).toContain("shop-canary-token");
    expect(names).not.toContain("shop-canary-login");
  });
});

describe("capacity", () => {
  it("counts the canary runner as one pod with the profile's requests", () => {
    const prod = profileOf("prod");
    expect(requestedCapacity(prod).find((r) => r.workload === "canary-runner")).toEqual({
      workload: "canary-runner",
      pods: 1,
      cpuMillicores: 50,
      memoryMi: 64,
    });
  });
});
