import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildEnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { loadProfiles } from "../../environments";
import { blackboxCanaryModuleName, buildBlackboxExporterValues, BLACKBOX_MODULES, secretVolumeName } from "../../helm-values/blackbox-exporter";
import { clusterEndpoints } from "../../helm-values/cluster-endpoints";
import { renderYaml } from "../../kit/render-yaml";
import { buildCatalog } from "../../signals/catalog";
import { catalogFlow, checkoutFlow, searchFlow, shopService } from "./canary-fixtures";

const profiles = loadProfiles();
const profileOf = (name: string) => profiles.find((p) => p.name === name)!;
const catalog = buildCatalog([shopService()]);
const envOf = (name: string) => buildEnvironmentArtifacts(profileOf(name), catalog);
const blackboxValuesOf = (env: string): any => envOf(env).releases.find((r) => r.chartKey === "blackboxExporter")!.values;
const probesOf = (env: string): any[] => envOf(env).monitorFiles.flatMap((f) => f.manifests.filter((m) => m.kind === "Probe"));

describe("blackbox canary flows", () => {
  it("names a flow's module canary_<service>_<canary>, '-' as '_'", () => {
    expect(blackboxCanaryModuleName("core-api", "list-machines")).toBe("canary_core_api_list_machines");
  });

  it("gets one module per blackbox flow, built from its one request, beside the shared modules", () => {
    const modules = blackboxValuesOf("prod").config.modules;
    expect(Object.keys(modules).sort()).toEqual([...Object.keys(BLACKBOX_MODULES), "canary_shop_search"].sort());
    expect(modules.canary_shop_search).toEqual({
      prober: "http",
      // The flow runs every minute: a probe waits at most 10s.
      timeout: "10s",
      http: {
        method: "POST",
        // Authorization is not a header here: the token is read from the mounted Secret.
        headers: { "X-Client": "canary", "Content-Type": "application/json" },
        body: '{"query":"shoes"}',
        valid_status_codes: [200, 201],
        fail_if_body_not_matches_regexp: ['"results"'],
        preferred_ip_protocol: "ip4",
        authorization: { type: "Bearer", credentials_file: "/etc/blackbox-exporter/secrets/shop-canary-token/token" },
      },
    });
  });

  it("waits no longer than the schedule when it is under 10s", () => {
    const fast = { ...searchFlow, every: "5s" };
    const values: any = buildBlackboxExporterValues(profileOf("dev"), buildCatalog([shopService([fast])]));
    expect(values.config.modules.canary_shop_search.timeout).toBe("5s");
  });

  it("sends a text body as written, without a JSON content type, and no headers when the flow has none", () => {
    const text = {
      ...searchFlow,
      credentials: {},
      steps: [{ name: "ping", request: { method: "PUT", url: "/ping", body: "ping" }, expect: { status: [204] } }],
    };
    const values: any = buildBlackboxExporterValues(profileOf("dev"), buildCatalog([shopService([text])]));
    expect(values.config.modules.canary_shop_search.http).toEqual({ method: "PUT", body: "ping", valid_status_codes: [204], preferred_ip_protocol: "ip4" });
  });

  it("names a Secret's volume secret-<name>, or a DNS label with a hash when the name has dots or is too long", () => {
    expect(secretVolumeName("shop-canary-token")).toBe("secret-shop-canary-token");
    expect(secretVolumeName("shop.canary")).toMatch(/^secret-shop-canary-[0-9a-f]{8}$/);
    expect(secretVolumeName("shop.canary")).not.toBe(secretVolumeName("shop-canary"));
    const long = secretVolumeName("x".repeat(100));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it("mounts the token's Secret read-only through the chart's extraSecretMounts", () => {
    expect(blackboxValuesOf("dev").extraSecretMounts).toEqual([
      {
        name: "secret-shop-canary-token",
        mountPath: "/etc/blackbox-exporter/secrets/shop-canary-token",
        secretName: "shop-canary-token",
        readOnly: true,
        defaultMode: 0o444,
      },
    ]);
  });

  it("has no module and no mount for a runner flow", () => {
    const values: any = buildBlackboxExporterValues(profileOf("dev"), buildCatalog([shopService([checkoutFlow, catalogFlow])]));
    expect(Object.keys(values.config.modules).filter((m) => m.startsWith("canary_"))).toEqual([]);
    expect(values.extraSecretMounts).toEqual([]);
  });

  it("gets a Probe per flow: job canary, its module, its schedule, the module's timeout, the absolute URL, service/team/canary labels", () => {
    const canaryProbes = probesOf("dev").filter((p) => p.spec.jobName === "canary");
    expect(canaryProbes).toEqual([
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "Probe",
        metadata: expect.objectContaining({
          name: "shop-canary-search",
          namespace: "observability",
          labels: expect.objectContaining({ release: "kube-prometheus-stack" }),
        }),
        spec: {
          jobName: "canary",
          prober: { url: new URL(clusterEndpoints(profileOf("dev")).blackboxExporterUrl).host, path: "/probe" },
          module: "canary_shop_search",
          interval: "1m",
          scrapeTimeout: "10s",
          targets: { staticConfig: { static: ["http://shop.shop.svc:8080/api/search?limit=1"], labels: { service: "shop", team: "web", canary: "search" } } },
        },
      },
    ]);
  });

  it("joins the request's path to the base URL's own path, and keeps an absolute URL as it is", () => {
    const based = { ...searchFlow, name: "based", baseUrl: "http://shop.shop.svc:8080/v2/" };
    const absolute = {
      ...searchFlow,
      name: "absolute",
      steps: [{ ...searchFlow.steps[0], request: { ...searchFlow.steps[0].request, url: "https://shop.example.com/api/search" } }],
    };
    const services = buildCatalog([shopService([based, absolute])]);
    const targets = buildEnvironmentArtifacts(profileOf("dev"), services)
      .monitorFiles.flatMap((f) => f.manifests)
      .filter((m) => m.kind === "Probe" && (m.spec as any).jobName === "canary")
      .map((m) => [m.metadata.name, (m.spec as any).targets.staticConfig.static]);
    expect(targets).toEqual([
      ["shop-canary-based", ["http://shop.shop.svc:8080/v2/api/search?limit=1"]],
      ["shop-canary-absolute", ["https://shop.example.com/api/search"]],
    ]);
  });
});

describe("Debian's blackbox exporter (0.23) accepts the modules (the cluster runs 0.28)", () => {
  const binary = "/usr/bin/prometheus-blackbox-exporter";
  const dir = mkdtempSync(join(tmpdir(), "blackbox-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `--config.check` on these modules: its exit status and output. */
  function configCheck(modules: unknown): { ok: boolean; output: string } {
    const file = join(dir, "blackbox.yml");
    writeFileSync(file, renderYaml({ modules }));
    try {
      return { ok: true, output: execFileSync(binary, ["--config.check", `--config.file=${file}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
  }

  it("is installed (Debian's prometheus-blackbox-exporter package)", () => {
    expect(existsSync(binary)).toBe(true);
  });

  it.each(["dev", "prod"])("%s: every module of the values passes --config.check", (env) => {
    const modules = blackboxValuesOf(env).config.modules;
    expect(Object.keys(modules)).toContain("canary_shop_search");
    const run = configCheck(modules);
    expect(run).toEqual({ ok: true, output: expect.any(String) });
  });

  it("fails a module it cannot read (a 0.28-only body_file), so the check above can fail", () => {
    const modules = blackboxValuesOf("dev").config.modules;
    const broken = { ...modules, canary_shop_search: { ...modules.canary_shop_search, http: { ...modules.canary_shop_search.http, body_file: "/tmp/body" } } };
    const run = configCheck(broken);
    expect(run.ok).toBe(false);
    expect(run.output).toMatch(/body_file not found/);
  });
});
