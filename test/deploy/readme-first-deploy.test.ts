import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { ALERTMANAGER_SECRET_MOUNT_DIR, requiredSecretKeys } from "../../alertmanager/receivers";
import { addEnvironmentStacks, buildAllArtifacts, stackNames } from "../../app";
import { buildEnvironmentArtifacts, type EnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { parseProfile, PROFILE_INPUTS } from "../../environments";

const ROOT = path.resolve(__dirname, "../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** Secret name to its keys, sorted. */
type SecretKeys = Record<string, string[]>;

/** Keys of a Secret loaded whole into the environment (`envFrom.secretRef`): the S3 clients of Loki and Tempo read these. */
const OBJECT_STORAGE_KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];

/**
 * Every Secret an environment's Helm values and Alertmanager configuration reference, with the
 * keys read from it, in the forms those values use: `existingSecret` with its `*Key` siblings
 * (Grafana's admin), `envFrom` `secretRef` (object storage credentials), `{ name, key }` under
 * `secretKeyRef` or `basicAuth` (remote write), and `alertmanagerSpec.secrets`, whose keys are the
 * `*_file` paths the Alertmanager configuration reads. Any other key naming a secret fails, so a
 * new kind of reference cannot slip past this list.
 */
function referencedSecrets(env: EnvironmentArtifacts): SecretKeys {
  const secrets = new Map<string, Set<string>>();
  const add = (name: string, keys: readonly string[]) => {
    const known = secrets.get(name) ?? new Set<string>();
    keys.forEach((key) => known.add(key));
    secrets.set(name, known);
  };
  const mounted: string[] = [];
  const files = new Set<string>();
  const visit = (value: unknown, at: readonly string[]): void => {
    if (typeof value === "string") {
      if (value.startsWith(`${ALERTMANAGER_SECRET_MOUNT_DIR}/`)) files.add(value);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...at, String(i)]));
    } else if (value !== null && typeof value === "object") {
      const object = value as Record<string, any>;
      for (const [key, item] of Object.entries(object)) {
        const where = [...at, key];
        if (key === "existingSecret") {
          add(
            item,
            Object.entries(object).flatMap(([k, v]) => (k.endsWith("Key") ? [v as string] : [])),
          );
        } else if (key === "secretRef") {
          add(item.name, OBJECT_STORAGE_KEYS);
        } else if (key === "secretKeyRef") {
          add(item.name, [item.key]);
        } else if (key === "basicAuth") {
          for (const ref of Object.values<{ name: string; key: string }>(item)) add(ref.name, [ref.key]);
        } else if (key === "secrets" && at[at.length - 1] === "alertmanagerSpec") {
          mounted.push(...(item as string[]));
        } else if (typeof item === "string" && /^\$\{AWS_[A-Z_]+\}$/.test(item)) {
          // Mimir's `secret_access_key: ${AWS_SECRET_ACCESS_KEY}`: expanded from a `secretRef`'s variables, read above.
        } else if (/secret/i.test(key)) {
          throw new Error(`${where.join(".")}: a Secret reference referencedSecrets cannot read; teach it the keys`);
        } else {
          visit(item, where);
        }
      }
    }
  };
  for (const release of env.releases) visit(release.values, [release.releaseName]);
  visit(env.alertmanagerConfig, ["alertmanagerConfig"]);
  for (const name of mounted) add(name, []);
  for (const file of files) {
    const [name, key, ...rest] = file.slice(ALERTMANAGER_SECRET_MOUNT_DIR.length + 1).split("/");
    if (!mounted.includes(name!) || key === undefined || rest.length > 0) throw new Error(`${file} is no key of a Secret Alertmanager mounts`);
    add(name!, [key]);
  }
  return Object.fromEntries([...secrets].sort(([a], [b]) => a.localeCompare(b)).map(([name, keys]) => [name, [...keys].sort()]));
}

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
  it.each(cases)("%s: creates every Secret the values and the Alertmanager config reference, each key, in the profile's namespace", (_name, env) => {
    const { context } = env.profile.kubernetes;
    const expected = Object.entries(referencedSecrets(env)).map(([name, keys]) => ({ context, namespace: env.profile.namespace, name, keys }));
    const written = commands.filter((c) => c.context === context).sort((a, b) => a.name.localeCompare(b.name));
    expect(written).toEqual(expected);
  });

  it("creates Secrets only in the contexts of the shipped environments", () => {
    const contexts = environments.map((env) => env.profile.kubernetes.context);
    expect(new Set(contexts).size).toBe(contexts.length);
    expect(commands.filter((c) => !contexts.includes(c.context))).toEqual([]);
  });

  it.each(cases)("%s: derives the Secrets the profile names, the receivers' with the keys requiredSecretKeys lists", (_name, env) => {
    const { profile } = env;
    const secrets = referencedSecrets(env);
    expect(secrets[profile.alerting.secretName]).toEqual(requiredSecretKeys(profile.alerting));
    expect(secrets[profile.grafana.adminSecret.name]).toEqual([profile.grafana.adminSecret.passwordKey, profile.grafana.adminSecret.userKey].sort());
    const storage = [profile.loki.topology, profile.tempo.topology, ...(profile.mimir ? [profile.mimir] : [])].flatMap((t) =>
      "storage" in t && t.storage.type === "s3" ? [t.storage] : [],
    );
    for (const s of storage) expect(secrets[s.credentialsSecretName]).toEqual(OBJECT_STORAGE_KEYS);
    expect(Object.keys(secrets)).toHaveLength(2 + storage.length);
  });

  it("reads a remote write's basic auth Secret too (no shipped profile has one)", () => {
    const dev: any = structuredClone(PROFILE_INPUTS.dev);
    dev.prometheus.remoteWrite = [{ url: "https://mimir.corp.internal/api/v1/push", basicAuthSecretName: "mimir-remote-write" }];
    const secrets = referencedSecrets(buildEnvironmentArtifacts(parseProfile(dev, "dev"), []));
    expect(secrets["mimir-remote-write"]).toEqual(["password", "username"]);
  });

  it("asks prod for the 17 keys of its receivers", () => {
    const prod = environments.find((env) => env.profile.name === "prod")!;
    expect(referencedSecrets(prod)[prod.profile.alerting.secretName]).toHaveLength(17);
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
