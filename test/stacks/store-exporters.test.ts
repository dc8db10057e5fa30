import { parse } from "yaml";
import { stackNames } from "../../app";
import { generatedFiles } from "../../artifacts/generated-files";
import { ruleSelectors } from "./rule-selectors";
import { releasesOf, secretChecksOf, synthesizeAll } from "./synthesized";

const { artifacts, stacks } = synthesizeAll();
const platformOf = (env: string) => stacks.get(stackNames(env).platform)!;

/** The exporter releases of a platform stack, by release name. */
const exportersOf = (env: string) =>
  new Map([...releasesOf(platformOf(env))].filter(([, r]) => ["prometheus-redis-exporter", "prometheus-postgres-exporter"].includes(r.release.chart)));

describe("exporters the stack provisions for the catalog's dependencies", () => {
  it.each(artifacts.map((a) => [a.profile.name] as const))("%s: one release per provisioned dependency, pinned, none for those exported elsewhere", (env) => {
    const exporters = exportersOf(env);
    // core-redis and core-postgres are declared by core-api and workers alike; divan's stores are exported by divan-api itself.
    expect(Object.fromEntries([...exporters].map(([name, r]) => [name, [r.release.repository, r.release.chart, r.release.version]]))).toEqual({
      "core-redis-exporter": ["https://prometheus-community.github.io/helm-charts", "prometheus-redis-exporter", "6.29.0"],
      "core-postgres-exporter": ["https://prometheus-community.github.io/helm-charts", "prometheus-postgres-exporter", "8.2.0"],
    });
  });

  it("connects the Redis exporter to its address and reads the password from the Secret by reference", () => {
    const { values } = exportersOf("prod").get("core-redis-exporter")!;
    expect(values).toMatchObject({
      fullnameOverride: "core-redis-exporter",
      replicaCount: 1,
      redisAddress: "core-redis.example.com:6379",
      auth: { enabled: true, secret: { name: "core-redis-exporter", key: "password" } },
    });
    expect(values.auth).not.toHaveProperty("redisPassword");
  });

  it("connects the Postgres exporter through config.datasource, its password from passwordSecret, and mounts the custom queries it reads", () => {
    const { values } = exportersOf("prod").get("core-postgres-exporter")!;
    expect(values.config.datasource).toEqual({
      host: "core-postgres.example.com",
      port: "5432",
      user: "postgres_exporter",
      database: "core",
      sslmode: "require",
      passwordSecret: { name: "core-postgres-exporter", key: "password" },
    });
    // The queries ConfigMap shipped in the release is the one mounted, at the path the flag reads.
    const [configMap] = values.extraManifests;
    const [volume] = values.extraVolumes;
    const [mount] = values.extraVolumeMounts;
    expect(configMap.kind).toBe("ConfigMap");
    expect(volume).toEqual({ name: mount.name, configMap: { name: configMap.metadata.name } });
    const [file] = Object.keys(configMap.data);
    expect(values.config.extraArgs).toEqual([`--extend.query-path=${mount.mountPath}/${file}`]);
    const queries = parse(configMap.data[file]);
    expect(Object.keys(queries)).toEqual(["pg_table_bloat"]);
    expect(queries.pg_table_bloat.metrics.map((m: object) => Object.entries(m).map(([column, c]: [string, any]) => `${column}:${c.usage}`)[0])).toEqual([
      "datname:LABEL",
      "schemaname:LABEL",
      "relname:LABEL",
      "dead_tuples:GAUGE",
      "ratio:GAUGE",
    ]);
    // The chart passes the values through `tpl`: a template in the SQL would be expanded.
    expect(JSON.stringify(configMap)).not.toMatch(/\{\{/);
  });

  it.each(artifacts.map((a) => [a.profile.name] as const))(
    "%s: each exporter's ServiceMonitor carries the labels Prometheus selects by and scrapes under the job the rules read",
    (env) => {
      const releases = releasesOf(platformOf(env));
      const selector = releases.get("kube-prometheus-stack")!.values.prometheus.prometheusSpec.serviceMonitorSelector.matchLabels;
      const readJobs = ruleSelectors(
        artifacts.find((a) => a.profile.name === env)!,
        ["redis_up", "pg_up"],
      );
      for (const [name, { values }] of exportersOf(env)) {
        const monitor = values.serviceMonitor;
        expect(monitor.enabled).toBe(true);
        expect(monitor.labels).toEqual(selector);
        expect(monitor.interval).toBe(artifacts.find((a) => a.profile.name === env)!.profile.prometheus.scrapeInterval);
        expect(monitor.relabelings).toEqual([{ action: "replace", targetLabel: "job", replacement: name }]);
        // The rules' up selectors name exactly these jobs.
        expect(readJobs).toContain(name);
      }
      expect([...exportersOf(env).keys()].sort()).toEqual([...readJobs].sort());
    },
  );

  it("runs each exporter as non-root with a read-only root filesystem, sized", () => {
    for (const [, { values }] of exportersOf("prod")) {
      expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(values.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
      expect(values.resources).toEqual({ requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "128Mi" } });
    }
  });

  it.each(artifacts.map((a) => [a.profile.name] as const))("%s: the plan checks each exporter's Secret and key before its release starts", (env) => {
    const stack = platformOf(env);
    const checks = secretChecksOf(stack);
    for (const [name, secret] of [
      ["core-redis-exporter", "core-redis-exporter"],
      ["core-postgres-exporter", "core-postgres-exporter"],
    ] as const) {
      const check = checks.get(secret)!;
      expect(check.check.metadata).toEqual({ name: secret, namespace: "observability" });
      expect(check.check.lifecycle.postcondition.map((p: any) => p.error_message).join("\n")).toContain(`has no key "password"`);
      expect(exportersOf(env).get(name)!.release.depends_on).toContain(check.address);
    }
  });
});

describe("exporters: secrets only by reference", () => {
  it("writes no password anywhere in the synthesized stacks or generated/, only Secret names and keys", () => {
    const written = [...generatedFiles(artifacts).entries()].filter(([file]) => /values\/core-(redis|postgres)-exporter\.yaml$/.test(file));
    // One values file per environment and exporter.
    expect(written.map(([file]) => file).sort()).toEqual(
      artifacts.flatMap((a) => [`${a.profile.name}/values/core-postgres-exporter.yaml`, `${a.profile.name}/values/core-redis-exporter.yaml`]).sort(),
    );
    const texts = [...written.map(([, text]) => text), ...[...stacks.values()].map((s) => JSON.stringify(s))];
    for (const text of texts) {
      // No chart key that takes a password value (the chart would then create a Secret from it), no inline password of a connection string.
      expect(text).not.toMatch(/redisPassword|data_source_password|datasourceSecret|"password":|\bpassword: (?!\{)/);
      expect(text).not.toMatch(/:\/\/[^/\s"]*:[^/\s"@]*@/);
    }
  });
});
