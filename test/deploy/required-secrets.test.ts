import { requiredSecretKeys } from "../../alertmanager/receivers";
import { buildEnvironmentArtifacts, type EnvironmentArtifacts, type ReleaseArtifact } from "../../artifacts/environment-artifacts";
import { OBJECT_STORAGE_CREDENTIAL_KEYS, requiredSecrets } from "../../artifacts/required-secrets";
import { parseProfile, PROFILE_INPUTS } from "../../environments";

/** One environment without services: its releases and Alertmanager configuration are what matter here. */
const artifactsOf = (name: keyof typeof PROFILE_INPUTS, edit: (input: any) => void = () => {}): EnvironmentArtifacts => {
  const input: any = structuredClone(PROFILE_INPUTS[name]);
  edit(input);
  return buildEnvironmentArtifacts(parseProfile(input, name), []);
};

/** The same environment with one more release, rendered with the given values. */
const withRelease = (env: EnvironmentArtifacts, releaseName: string, values: Record<string, unknown>): EnvironmentArtifacts => {
  const extra: ReleaseArtifact = { chartKey: "loki", releaseName, values };
  return { ...env, releases: [...env.releases, extra] };
};

const byName = (env: EnvironmentArtifacts) => Object.fromEntries(requiredSecrets(env).map((s) => [s.name, s]));

describe("requiredSecrets: the Secrets the shipped profiles' releases read", () => {
  it.each(["local", "dev", "staging", "prod"] as const)("%s: the Secrets its profile names, with their keys and readers", (name) => {
    const env = artifactsOf(name);
    const { profile } = env;
    const storage = [profile.loki.topology, profile.tempo.topology, ...(profile.mimir ? [profile.mimir] : [])].flatMap((t) =>
      "storage" in t && t.storage.type === "s3" ? [t.storage] : [],
    );
    const expected = [
      { name: profile.alerting.secretName, keys: requiredSecretKeys(profile.alerting), readBy: ["kube-prometheus-stack"] },
      {
        name: profile.grafana.adminSecret.name,
        keys: [profile.grafana.adminSecret.passwordKey, profile.grafana.adminSecret.userKey].sort(),
        readBy: ["kube-prometheus-stack"],
      },
      ...storage.map((s) => ({ name: s.credentialsSecretName, keys: [...OBJECT_STORAGE_CREDENTIAL_KEYS] })),
      ...(profile.grafana.database === undefined
        ? []
        : [{ name: profile.grafana.database.passwordSecret.name, keys: [profile.grafana.database.passwordSecret.key], readBy: ["kube-prometheus-stack"] }]),
    ];
    const secrets = requiredSecrets(env);
    expect(secrets.map((s) => s.name)).toEqual(expected.map((s) => s.name).sort());
    for (const want of expected) expect(secrets.find((s) => s.name === want.name)).toMatchObject({ ...want, namespace: profile.namespace });
  });

  it("asks prod for the 17 keys of its receivers, and staging's object storage from Loki and Tempo", () => {
    expect(byName(artifactsOf("prod"))["alertmanager-receivers"]!.keys).toHaveLength(17);
    const staging = byName(artifactsOf("staging"));
    expect(staging["loki-object-storage"]!.readBy).toEqual(["loki"]);
    expect(staging["tempo-object-storage"]!.readBy).toEqual(["tempo"]);
  });

  it("keeps a mounted Secret that no file is read from (local's receivers): Alertmanager does not start without it", () => {
    expect(byName(artifactsOf("local"))["alertmanager-receivers"]).toEqual({
      name: "alertmanager-receivers",
      namespace: "observability",
      keys: [],
      readBy: ["kube-prometheus-stack"],
    });
  });

  it("reads a remote write's basic auth selectors", () => {
    const dev = artifactsOf("dev", (input) => {
      input.prometheus.remoteWrite = [{ url: "https://metrics.corp.internal/api/v1/push", basicAuthSecretName: "remote-write-auth" }];
    });
    expect(byName(dev)["remote-write-auth"]).toMatchObject({ keys: ["password", "username"], readBy: ["kube-prometheus-stack"] });
  });
});

describe("requiredSecrets: references others add are found by their form", () => {
  const dev = artifactsOf("dev");

  it("finds a Secret loaded whole through `global.extraEnvFrom[].secretRef` (Mimir's object storage), with the variables it expands", () => {
    const env = withRelease(dev, "mimir", {
      global: { extraEnvFrom: [{ secretRef: { name: "mimir-object-storage" } }] },
      mimir: { structuredConfig: { common: { storage: { s3: { access_key_id: "${AWS_ACCESS_KEY_ID}", secret_access_key: "${AWS_SECRET_ACCESS_KEY}" } } } } },
    });
    expect(byName(env)["mimir-object-storage"]).toEqual({
      name: "mimir-object-storage",
      namespace: "observability",
      keys: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
      readBy: ["mimir"],
    });
  });

  it("finds a key through `envValueFrom.<VAR>.secretKeyRef` (Grafana's database password) and `env[].valueFrom.secretKeyRef`", () => {
    const env = withRelease(dev, "grafana", {
      envValueFrom: { GF_DATABASE_PASSWORD: { secretKeyRef: { name: "grafana-database", key: "password" } } },
      sidecar: { env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "sidecar-token", key: "token" } } }] },
    });
    const secrets = byName(env);
    expect(secrets["grafana-database"]).toMatchObject({ keys: ["password"], readBy: ["grafana"] });
    expect(secrets["sidecar-token"]).toMatchObject({ keys: ["token"], readBy: ["grafana"] });
  });

  it("merges the keys two releases read from one Secret, and names both readers", () => {
    const env = withRelease(withRelease(dev, "a", { env: [{ name: "X", valueFrom: { secretKeyRef: { name: "shared", key: "x" } } }] }), "b", {
      envValueFrom: { Y: { secretKeyRef: { name: "shared", key: "y" } } },
    });
    expect(byName(env)["shared"]).toMatchObject({ keys: ["x", "y"], readBy: ["a", "b"] });
  });

  it("leaves out references marked optional", () => {
    const env = withRelease(dev, "extra", {
      extraEnvFrom: [{ secretRef: { name: "maybe-storage", optional: true } }],
      envValueFrom: { TOKEN: { secretKeyRef: { name: "maybe-token", key: "token", optional: true } } },
    });
    expect(Object.keys(byName(env))).toEqual(["alertmanager-receivers", "grafana-admin"]);
  });
});

describe("requiredSecrets: fails loudly on what it cannot read", () => {
  const dev = artifactsOf("dev");

  it("fails when a key names a secret in another form, naming the environment, release and path", () => {
    const env = withRelease(dev, "grafana", { envFromSecret: "grafana-env", prometheus: { prometheusSpec: { secrets: ["etcd-client"] } } });
    expect(() => requiredSecrets(env)).toThrow(
      /cannot tell which Secrets environment "dev" needs:\n {2}- release "grafana": envFromSecret names a Secret in a form requiredSecrets cannot read, got "grafana-env"\n {2}- release "grafana": prometheus\.prometheusSpec\.secrets names a Secret/,
    );
  });

  it("fails when a secretRef is not under envFrom, or a secretKeyRef has no key", () => {
    expect(() => requiredSecrets(withRelease(dev, "x", { volumes: [{ secretRef: { name: "s" } }] }))).toThrow(
      /release "x": volumes\.0\.secretRef names a Secret/,
    );
    expect(() => requiredSecrets(withRelease(dev, "x", { env: [{ name: "A", valueFrom: { secretKeyRef: { name: "s" } } }] }))).toThrow(
      /release "x": env\.0\.valueFrom\.secretKeyRef names a Secret/,
    );
  });

  it("fails when a secret-named key expands a variable no Secret of the release sets", () => {
    const env = withRelease(dev, "mimir", { mimir: { structuredConfig: { s3: { secret_access_key: "${AWS_SECRET_ACCESS_KEY}" } } } });
    expect(() => requiredSecrets(env)).toThrow(
      /release "mimir": mimir\.structuredConfig\.s3\.secret_access_key expands \$\{AWS_SECRET_ACCESS_KEY\}, which no Secret of the release sets/,
    );
  });

  it("fails when the Alertmanager configuration reads a file of a Secret no release mounts", () => {
    const env: EnvironmentArtifacts = {
      ...dev,
      alertmanagerConfig: { ...dev.alertmanagerConfig, global: { slack_api_url_file: "/etc/alertmanager/secrets/unmounted/url" } } as any,
    };
    expect(() => requiredSecrets(env)).toThrow(/\/etc\/alertmanager\/secrets\/unmounted\/url is no key of a Secret a release mounts/);
  });
});
