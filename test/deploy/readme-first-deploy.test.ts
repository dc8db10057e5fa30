import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { addEnvironmentStacks, buildAllArtifacts, stackNames } from "../../app";
import { requiredSecrets } from "../../artifacts/required-secrets";

const ROOT = path.resolve(__dirname, "../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** One `kubectl create secret generic` command of the README. */
interface SecretCommand {
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly string[];
}

/** The README's "## First deploy" section, up to the next `## ` heading. */
function firstDeploySection(): string {
  const start = README.indexOf("\n## First deploy\n");
  if (start < 0) throw new Error("README.md has no ## First deploy section");
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Reads context, namespace, Secret name and keys (`--from-literal=<key>=`, `--from-file=[<key>=]<path>`) from one command. */
function parseSecretCommand(command: string): SecretCommand {
  const tokens = command.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  let context: string | undefined;
  let namespace: string | undefined;
  let name: string | undefined;
  const keys: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const eq = token.startsWith("--") ? token.indexOf("=") : -1;
    const flag = eq < 0 ? token : token.slice(0, eq);
    const value = () => (eq < 0 ? tokens[++i]! : token.slice(eq + 1));
    if (flag === "--context") context = value();
    else if (flag === "-n" || flag === "--namespace") namespace = value();
    else if (flag === "--from-literal") keys.push(value().split("=")[0]!);
    else if (flag === "--from-file") {
      const source = value();
      keys.push(source.includes("=") ? source.split("=")[0]! : path.basename(source));
    } else if (flag === "generic") name = tokens[++i];
  }
  if (context === undefined || namespace === undefined || name === undefined) {
    throw new Error(`README: every Secret command names --context, -n and the Secret: ${command}`);
  }
  return { context, namespace, name, keys: [...keys].sort() };
}

/** Every `kubectl ... create secret generic` command in the section's sh blocks, continuation lines joined. */
function readmeSecretCommands(): SecretCommand[] {
  const blocks = [...firstDeploySection().matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((block) => block.replace(/\\\n/g, " ").split("\n"))
    .filter((line) => /^kubectl\b.*\bcreate secret generic\b/.test(line.trim()))
    .map(parseSecretCommand);
}

const environments = buildAllArtifacts();
const commands = readmeSecretCommands();
const cases = environments.map((env) => [env.profile.name, env] as const);

describe("README, First deploy: the Secrets", () => {
  it.each(cases)("%s: creates every Secret the releases read (requiredSecrets), each key, in the profile's namespace", (_name, env) => {
    const { context } = env.profile.kubernetes;
    const expected = requiredSecrets(env).map(({ name, namespace, keys }) => ({ context, namespace, name, keys }));
    const written = commands.filter((c) => c.context === context).sort((a, b) => a.name.localeCompare(b.name));
    expect(written).toEqual(expected);
  });

  it("creates Secrets only in the contexts of the shipped environments", () => {
    const contexts = environments.map((env) => env.profile.kubernetes.context);
    expect(new Set(contexts).size).toBe(contexts.length);
    expect(commands.filter((c) => !contexts.includes(c.context))).toEqual([]);
  });
});

/** A step of the section by its bold heading, `**3. ...` up to the next step. */
function step(n: number): string {
  const section = firstDeploySection();
  const start = section.indexOf(`\n**${n}. `);
  if (start < 0) throw new Error(`README, First deploy: no step ${n}`);
  const next = section.indexOf(`\n**${n + 1}. `, start);
  return section.slice(start, next < 0 ? undefined : next);
}

describe("README, First deploy: the order and what a missing Secret looks like", () => {
  const app = addEnvironmentStacks(Testing.app(), environments);
  const prodStack = (name: string) => JSON.parse(Testing.synth(app.node.findChild(name) as TerraformStack));
  const names = stackNames("prod");
  const bootstrap = prodStack(names.bootstrap);
  const platform = prodStack(names.platform);

  it("goes bootstrap (namespace), Secrets, platform, content, with the stacks' real names", () => {
    expect(step(3)).toContain(`npx cdktf deploy ${names.bootstrap}`);
    expect(step(4)).toMatch(/create secret generic/);
    expect(step(5)).toContain("`npx cdktf deploy obs-<env>-platform`");
    expect(step(6)).toContain("`npx cdktf deploy obs-<env>-content`");
    expect(stackNames("<env>")).toEqual({ bootstrap: "obs-<env>-bootstrap", platform: "obs-<env>-platform", content: "obs-<env>-content" });
  });

  it("moves an existing install's namespace to the address the bootstrap stack holds it at, which the platform stack forgets", () => {
    const imported = /terraform import (\S+) (\S+)\)/.exec(step(3));
    expect(imported).not.toBeNull();
    const [, address, id] = imported!;
    expect(step(3)).toContain(`cd cdktf.out/stacks/${names.bootstrap} && terraform init`);
    expect(Object.keys(bootstrap.resource.kubernetes_namespace_v1).map((name) => `kubernetes_namespace_v1.${name}`)).toEqual([address]);
    expect(id).toBe(bootstrap.resource.kubernetes_namespace_v1.namespace.metadata.name);
    expect(platform.removed).toEqual([{ from: address, lifecycle: { destroy: false } }]);
  });

  it("quotes the plan's messages for prod word for word", () => {
    const quoted = [...step(5).matchAll(/```text\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n").filter((line) => line.startsWith("Secret ")));
    expect(quoted).toHaveLength(2);
    const messages = Object.values<any>(platform.data.kubernetes_secret_v1).flatMap((check) => check.lifecycle.postcondition.map((p: any) => p.error_message));
    for (const line of quoted) expect(messages).toContain(line);
  });
});

describe("README, First deploy: Terraform state", () => {
  it("git ignores the state files cdktf's local backend writes for every stack", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "obs-first-deploy-"));
    try {
      addEnvironmentStacks(new App({ outdir }), environments).synth();
      const stacks = environments.flatMap((env) => Object.values(stackNames(env.profile.name)));
      const statePaths = stacks.map((stack) => {
        const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
        return synthesized.terraform.backend.local.path as string;
      });
      expect(statePaths).toEqual(stacks.map((stack) => path.join(process.cwd(), `terraform.${stack}.tfstate`)));
      const files = stacks.flatMap((stack) => [`terraform.${stack}.tfstate`, `terraform.${stack}.tfstate.backup`, `.terraform.${stack}.tfstate.lock.info`]);
      const ignored = spawnSync("git", ["check-ignore", ...files], { cwd: ROOT, encoding: "utf8" })
        .stdout.split("\n")
        .filter(Boolean);
      expect(ignored).toEqual(files);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("its S3 backend example gives each stack its own state object", () => {
    const example = /```ts\n([\s\S]*?)```/.exec(firstDeploySection())?.[1];
    expect(example).toContain("new S3Backend(");
    const dir = path.join(ROOT, `.synth-tmp-readme-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.writeFileSync(path.join(dir, "s3-state.ts"), example!);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { useS3State } = require(path.join(dir, "s3-state.ts")) as { useS3State: (stack: TerraformStack) => void };
      const app = Testing.app();
      const backends = ["obs-prod-platform", "obs-prod-content"].map((id) => {
        const stack = new TerraformStack(app, id);
        useS3State(stack);
        return JSON.parse(Testing.synth(stack)).terraform.backend;
      });
      expect(backends.map((b) => Object.keys(b))).toEqual([["s3"], ["s3"]]);
      expect(backends.map((b) => b.s3.key)).toEqual(["observability/obs-prod-platform.tfstate", "observability/obs-prod-content.tfstate"]);
      expect(backends[0].s3).toMatchObject({ encrypt: true, dynamodb_table: expect.any(String) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
