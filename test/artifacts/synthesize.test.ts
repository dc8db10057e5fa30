import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readTree } from "../../app/atomic-tree";
import { synthesize } from "../../app/synthesize";
import { PROFILE_INPUTS } from "../../environments";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "obs-synth-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(name: string) {
  const outDir = path.join(tmp, name, "cdktf.out");
  const generatedDir = path.join(tmp, name, "generated");
  synthesize({ outDir, generatedDir });
  return { out: readTree(outDir), generated: readTree(generatedDir), outDir, generatedDir };
}

const first = run("first");
const second = run("second");

/** Values that must never reach an artifact: credentials, tokens, keys, webhook URLs. */
const SECRET_SHAPES: readonly RegExp[] = [
  /hooks\.slack\.com\/services\//,
  /xox[abpr]-[0-9A-Za-z-]+/,
  /AKIA[0-9A-Z]{16}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  // The collector's load_balancing exporter has a `routing_key` too: what it routes by (traceID, service, ...), not a credential.
  // A reference is not a value either: `${AWS_SECRET_ACCESS_KEY}` (`$${...}` in Terraform JSON) is expanded from a Secret at start.
  /\b(api_url|routing_key|service_key|auth_password|password|secret_access_key|bearer_token|api_key)\s*[:=]\s*["']?(?!\$+\{)(?!(?:traceID|service|resource|metric|streamID|attributes)(?![0-9A-Za-z]))[^\s"'_][^\s"']*/i,
  // A canary's `{{password}}` is a placeholder the runner fills from a Secret at run time.
  /"(api_url|routing_key|service_key|auth_password|password|adminPassword)"\s*:\s*"(?!\{\{)[^"]+"/i,
];

describe("synthesize", () => {
  it("produces the three stacks of every environment and the review artifacts", () => {
    const stacksDir = path.join(first.outDir, "stacks");
    expect(fs.readdirSync(stacksDir).sort()).toEqual(
      ["dev", "local", "prod", "staging"].flatMap((env) => [`obs-${env}-bootstrap`, `obs-${env}-content`, `obs-${env}-platform`]).sort(),
    );
    for (const env of ["local", "dev", "staging", "prod"]) {
      expect(first.generated.has(`${env}/alertmanager.yaml`)).toBe(true);
      expect(first.generated.has(`${env}/values/kube-prometheus-stack.yaml`)).toBe(true);
      expect([...first.generated.keys()].some((f) => f.startsWith(`${env}/rules/tests/`))).toBe(true);
    }
  });

  it("is deterministic: a second run yields identical bytes in generated/ and cdktf.out/", () => {
    expect([...second.generated.keys()]).toEqual([...first.generated.keys()]);
    for (const [file, content] of first.generated) expect(second.generated.get(file)).toBe(content);
    const outFiles = [...first.out.keys()].filter((f) => f.endsWith("cdk.tf.json"));
    expect(outFiles.length).toBe(12);
    for (const file of outFiles) expect(second.out.get(file)).toBe(first.out.get(file));
  });

  it("declares each content stack dependent on its platform stack, and each platform stack on its bootstrap stack", () => {
    const manifest = JSON.parse(first.out.get("manifest.json")!);
    for (const env of ["local", "dev", "staging", "prod"]) {
      expect(manifest.stacks[`obs-${env}-content`].dependencies).toEqual([`obs-${env}-platform`]);
      expect(manifest.stacks[`obs-${env}-platform`].dependencies).toEqual([`obs-${env}-bootstrap`]);
    }
  });

  it("writes no secret value anywhere in cdktf.out/ or generated/", () => {
    for (const [file, content] of [...first.out, ...first.generated]) {
      for (const shape of SECRET_SHAPES) {
        const hit = shape.exec(content);
        expect(hit ? `${file}: ${hit[0]}` : null).toBeNull();
      }
    }
  });

  it("fails when a profile is invalid, leaving the previous outputs untouched and nothing partial", () => {
    const broken = { ...PROFILE_INPUTS, staging: { ...PROFILE_INPUTS.staging, namespace: "Not A Namespace" } };
    const before = readTree(first.generatedDir);
    expect(() => synthesize({ outDir: first.outDir, generatedDir: first.generatedDir, profileInputs: broken })).toThrow(
      /invalid environment profile "staging":\n  - namespace must be a Kubernetes name .*, got "Not A Namespace" \(environment "staging"\)/,
    );
    expect(readTree(first.generatedDir)).toEqual(before);
    expect(readTree(first.outDir)).toEqual(first.out);
    expect(fs.readdirSync(path.join(tmp, "first")).sort()).toEqual(["cdktf.out", "generated"]);
  });
});
