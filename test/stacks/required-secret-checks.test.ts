import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Testing } from "cdktf";
import type { RequiredSecret } from "../../artifacts/required-secrets";
import { RequiredSecretChecks } from "../../constructs/required-secret-checks";

const secret = (over: Partial<RequiredSecret> = {}): RequiredSecret => ({
  name: "grafana-admin",
  namespace: "observability",
  keys: ["admin-password", "admin-user"],
  readBy: ["kube-prometheus-stack"],
  ...over,
});

/** Synthesizes the checks of `secrets` and the helm_release resources guarded by them, by reader. */
function synthesize(secrets: readonly RequiredSecret[], readers: readonly string[] = []): any {
  let checks: RequiredSecretChecks | undefined;
  const json = Testing.synthScope((scope) => {
    checks = new RequiredSecretChecks(scope, "secrets", { secrets });
    for (const reader of readers) {
      const release = new Release(scope, reader, { name: reader, chart: "c" });
      checks.guard(release, reader);
    }
  });
  return JSON.parse(json);
}

describe("RequiredSecretChecks", () => {
  it("guards every release with the checks of the Secrets it reads, keeping its other dependencies", () => {
    const json = synthesize(
      [secret({ name: "shared", keys: ["k"], readBy: ["a", "b"] }), secret({ name: "only-a", keys: [], readBy: ["a"] })],
      ["a", "b", "c"],
    );
    const dependsOn = (release: string) => Object.values<any>(json.resource.helm_release).find((r) => r.name === release).depends_on;
    const address = (name: string) => `data.kubernetes_secret_v1.${Object.keys(json.data.kubernetes_secret_v1).find((id) => id.includes(name))}`;
    expect(dependsOn("a")).toEqual([address("only-a"), address("shared")]);
    expect(dependsOn("b")).toEqual([address("shared")]);
    expect(dependsOn("c")).toBeUndefined();
  });

  it("checks only the existence of a Secret no key is read from", () => {
    const json = synthesize([secret({ name: "alertmanager-receivers", keys: [] })]);
    const [check] = Object.values<any>(json.data.kubernetes_secret_v1);
    expect(check.lifecycle.postcondition).toEqual([
      {
        condition: "${try(length(self.metadata[0].uid), 0) > 0}",
        error_message:
          'Secret "alertmanager-receivers" not found in namespace "observability": kube-prometheus-stack reads it. Create it (it may have no keys, but it must exist); see README, First deploy, step 4.',
      },
    ]);
  });

  it("names every reader of a Secret in its messages", () => {
    const json = synthesize([secret({ name: "shared", keys: ["k"], readBy: ["loki", "mimir"] })]);
    const [check] = Object.values<any>(json.data.kubernetes_secret_v1);
    for (const p of check.lifecycle.postcondition) expect(p.error_message).toContain("loki, mimir read it");
  });

  it("fails when a Secret name or key could break out of the HCL string or template", () => {
    expect(() => synthesize([secret({ name: "Grafana_Admin" })])).toThrow(/secrets\[\]\.name must be a Kubernetes Secret name, got "Grafana_Admin"/);
    expect(() => synthesize([secret({ keys: ['pass"word'] })])).toThrow(/keys of Secret "grafana-admin" must match \[-\._a-zA-Z0-9\]\+, got "pass\\"word"/);
    expect(() => synthesize([secret({ keys: ["${var.x}"] })])).toThrow(/keys of Secret "grafana-admin" must match/);
  });

  it("fails when the remedy is not a literal", () => {
    expect(() => Testing.synthScope((scope) => new RequiredSecretChecks(scope, "s", { secrets: [secret()], remedy: "see ${var.doc}" }))).toThrow(
      /remedy must be a literal without \$\{ or %\{/,
    );
  });
});

/**
 * The product's own conditions, evaluated by Terraform itself where it is installed: the provider
 * cannot be downloaded here, so each Secret state is given to a `terraform_data` resource (built
 * into Terraform, nothing to download) shaped like the data source, `self.` read as `self.input.`,
 * with `data` sensitive as the provider marks it.
 */
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const describeWithTerraform = terraform.status === 0 ? describe : describe.skip;

describeWithTerraform("RequiredSecretChecks' conditions, evaluated by Terraform", () => {
  const VALUE = "s3cr3t-value-never-printed";
  const postconditions: { condition: string; error_message: string }[] = Object.values<any>(synthesize([secret()]).data.kubernetes_secret_v1)[0].lifecycle
    .postcondition;
  const states: Record<string, { uid: string | null; data: Record<string, string> | null }> = {
    present: { uid: "0b4e", data: { "admin-password": "${var.admin_password}", "admin-user": "admin" } },
    "missing-null": { uid: null, data: null },
    "missing-empty": { uid: "", data: {} },
    "no-password": { uid: "0b4e", data: { "admin-user": "admin" } },
    "empty-password": { uid: "0b4e", data: { "admin-password": "", "admin-user": "admin" } },
  };
  let output = "";

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-conditions-"));
    try {
      const resources = Object.fromEntries(
        Object.entries(states).map(([state, { uid, data }]) => [
          state,
          {
            input: `\${{ metadata = [{ uid = ${JSON.stringify(uid)} }], data = ${data === null ? "null" : `sensitive(${JSON.stringify(data)})`} }}`,
            lifecycle: {
              postcondition: postconditions.map((p) => ({ condition: p.condition.replace(/\bself\./g, "self.input."), error_message: p.error_message })),
            },
          },
        ]),
      );
      // The value comes in through a sensitive variable, so that it is nowhere in the configuration Terraform quotes.
      const config = { variable: { admin_password: { type: "string", sensitive: true } }, resource: { terraform_data: resources } };
      fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
      const env = { ...process.env, TF_IN_AUTOMATION: "1", TF_VAR_admin_password: VALUE };
      const run = (args: string[]) => spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env });
      const init = run(["init", "-input=false", "-no-color"]);
      if (init.status !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
      const plan = run(["plan", "-input=false", "-no-color", "-lock=false"]);
      output = `${plan.stdout}\n${plan.stderr}`;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** The messages of the postconditions that failed for one state, unwrapped, in the order Terraform printed them. */
  const failed = (state: string): string[] =>
    output
      .split("Error: Resource postcondition failed")
      .slice(1)
      .filter((diagnostic) => diagnostic.includes(`in resource.terraform_data.${state}.lifecycle`))
      .map((diagnostic) => /\n\n(Secret [\s\S]*?)(?:\n\n|$)/.exec(diagnostic)?.[1]?.replace(/\s+/g, " ").trim() ?? diagnostic);

  it("passes a Secret that holds every key", () => {
    expect(failed("present")).toEqual([]);
  });

  it("fails a missing Secret once, naming it, its namespace and its keys, whether the provider leaves uid null or empty", () => {
    expect(failed("missing-null")).toEqual([postconditions[0]!.error_message]);
    expect(failed("missing-empty")).toEqual([postconditions[0]!.error_message]);
  });

  it("fails a missing or empty key, naming the Secret, the key and the namespace", () => {
    const passwordMessage = postconditions[1]!.error_message;
    expect(passwordMessage).toContain('has no key "admin-password"');
    expect(failed("no-password")).toEqual([passwordMessage]);
    expect(failed("empty-password")).toEqual([passwordMessage]);
  });

  it("never prints a value of the Secret", () => {
    expect(output).toContain("Resource postcondition failed");
    expect(output).not.toContain(VALUE);
  });
});
