/**
 * The Secrets an environment needs before its platform stack deploys, derived from what is actually
 * deployed: every release's rendered values and the Alertmanager configuration. Nothing here is a
 * list of known Secrets; a new reference is found by its form, and a key that names a secret in a
 * form this module does not read is an error, so no reference slips past the checks and the README.
 */
import { ALERTMANAGER_SECRET_MOUNT_DIR } from "../alertmanager/receivers";
import { CANARY_RUNNER_NAME } from "../monitors/canary-runner";
import type { EnvironmentArtifacts } from "./environment-artifacts";

/** One Secret that must exist, with the keys that must be in it, before the releases that read it start. */
export interface RequiredSecret {
  readonly name: string;
  readonly namespace: string;
  /** Keys that must be present and non-empty, sorted; empty when only the Secret's existence matters (a mounted Secret no file is read from). */
  readonly keys: readonly string[];
  /** Names of the releases whose values reference it, sorted. */
  readonly readBy: readonly string[];
}

/**
 * Keys of a Secret loaded whole into a pod's environment (`envFrom[].secretRef`). The product loads
 * only S3 credentials that way (`*.storage.credentialsSecretName` in the profiles): the S3 clients of
 * Loki, Tempo and Mimir read these two variables.
 */
export const OBJECT_STORAGE_CREDENTIAL_KEYS: readonly string[] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];

/** A key that names a secret, so that it is either a form read below or an error. */
const NAMES_A_SECRET = /secret/i;
/** A whole value that a component expands from its environment at start (`-config.expand-env`): `${AWS_SECRET_ACCESS_KEY}`. */
const ENVIRONMENT_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

type Json = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const isName = (value: unknown): value is string => typeof value === "string" && value !== "";

/** What one walk over one release's values found. */
interface Findings {
  /** Secret name to keys read from it (by name and key). */
  readonly keys: Map<string, Set<string>>;
  /** Secrets mounted as files (`alertmanagerSpec.secrets`): their keys are the files read. */
  readonly mounted: Set<string>;
  /** Paths under {@link ALERTMANAGER_SECRET_MOUNT_DIR} the values read. */
  readonly files: Set<string>;
  /** Secrets the chart mounts as files (`extraSecretMounts[]`), by mount path. */
  readonly mounts: Map<string, string>;
  /** Every absolute path the values name, to find the files read from {@link Findings.mounts}. */
  readonly paths: Set<string>;
  /** Environment variables a Secret sets in the release's pods. */
  readonly variables: Set<string>;
  /** `${VAR}` expansions under secret-named keys, with where they are. */
  readonly expansions: { readonly variable: string; readonly where: string }[];
  readonly problems: string[];
}

/** `{ name, key }` (a SecretKeySelector), or undefined when the value is not one. */
function selector(value: unknown): { name: string; key: string; optional: boolean } | undefined {
  if (!isObject(value) || !isName(value.name) || !isName(value.key)) return undefined;
  return { name: value.name, key: value.key, optional: value.optional === true };
}

function walkRelease(values: Json): Findings {
  const found: Findings = {
    keys: new Map(),
    mounted: new Set(),
    files: new Set(),
    mounts: new Map(),
    paths: new Set(),
    variables: new Set(),
    expansions: [],
    problems: [],
  };
  const read = (name: string, keys: readonly string[]) => {
    const known = found.keys.get(name) ?? new Set<string>();
    keys.forEach((key) => known.add(key));
    found.keys.set(name, known);
  };
  const visit = (value: unknown, at: readonly string[], parents: readonly unknown[]): void => {
    if (typeof value === "string") {
      if (value.startsWith(`${ALERTMANAGER_SECRET_MOUNT_DIR}/`)) found.files.add(value);
      else if (value.startsWith("/")) found.paths.add(value);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...at, String(i)], [...parents, value]));
      return;
    }
    if (!isObject(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const where = [...at, key].join(".");
      const parentKey = at[at.length - 1];
      if (key === "existingSecret" && isName(item)) {
        // Grafana's `admin.existingSecret` with its `userKey`/`passwordKey` siblings.
        read(
          item,
          Object.entries(value).flatMap(([k, v]) => (k.endsWith("Key") && isName(v) ? [v] : [])),
        );
      } else if (key === "secretRef" && isObject(item) && isName(item.name) && /envFrom$/i.test(at[at.length - 2] ?? "")) {
        // `envFrom[].secretRef` / `extraEnvFrom[].secretRef` (Loki's `defaults`, Tempo's and Mimir's `global`).
        if (item.optional === true) continue;
        read(item.name, OBJECT_STORAGE_CREDENTIAL_KEYS);
        OBJECT_STORAGE_CREDENTIAL_KEYS.forEach((variable) => found.variables.add(variable));
      } else if (key === "secretKeyRef" && selector(item)) {
        // `env[].valueFrom.secretKeyRef`, or Grafana's `envValueFrom.<VAR>.secretKeyRef`.
        const ref = selector(item)!;
        if (ref.optional) continue;
        read(ref.name, [ref.key]);
        const container = parents[parents.length - 1];
        if (parentKey === "valueFrom" && isObject(container) && isName(container.name)) found.variables.add(container.name);
        else if (at[at.length - 2] === "envValueFrom" && parentKey !== undefined) found.variables.add(parentKey);
      } else if (key === "basicAuth") {
        // The operator's remote write `basicAuth: { username: {name, key}, password: {name, key} }`.
        const refs = isObject(item) ? Object.values(item).map(selector) : [undefined];
        if (refs.every((ref) => ref !== undefined)) refs.forEach((ref) => read(ref!.name, [ref!.key]));
        else found.problems.push(`${where} must hold { name, key } selectors, got ${JSON.stringify(item)}`);
      } else if (((key === "secret" && parentKey === "auth") || (key === "passwordSecret" && parentKey === "datasource")) && selector(item)) {
        // The exporters' passwords: redis-exporter's `auth.secret`, postgres-exporter's `config.datasource.passwordSecret`.
        read(selector(item)!.name, [selector(item)!.key]);
      } else if (key === "extraSecretMounts" && Array.isArray(item) && item.every((m) => isObject(m) && isName(m.secretName) && isName(m.mountPath))) {
        // A chart's extra Secret volumes (the blackbox exporter's): mounted whole, read through the files under `mountPath`.
        for (const m of item as Json[]) found.mounts.set(String(m.mountPath).replace(/\/+$/, ""), String(m.secretName));
      } else if (key === "secret" && isObject(item) && isName(item.secretName)) {
        // A pod's Secret volume (the canary runner's): its `items` are the keys it must hold.
        if (item.optional === true) continue;
        const items = Array.isArray(item.items) ? item.items : [];
        read(
          item.secretName,
          items.flatMap((i) => (isObject(i) && isName(i.key) ? [i.key] : [])),
        );
      } else if (key === "secrets" && parentKey === "alertmanagerSpec" && Array.isArray(item) && item.every(isName)) {
        // Mounted at <mount dir>/<name>/ and read through the configuration's `*_file` paths.
        item.forEach((name) => found.mounted.add(name));
      } else if (NAMES_A_SECRET.test(key) && typeof item === "string" && ENVIRONMENT_VARIABLE.test(item)) {
        // e.g. Mimir's `secret_access_key: ${AWS_SECRET_ACCESS_KEY}`: a variable, which a Secret of this release must set.
        found.expansions.push({ variable: ENVIRONMENT_VARIABLE.exec(item)![1]!, where });
      } else if (NAMES_A_SECRET.test(key)) {
        found.problems.push(`${where} names a Secret in a form requiredSecrets cannot read, got ${JSON.stringify(item)}`);
      } else {
        visit(item, [...at, key], [...parents, value]);
      }
    }
  };
  visit(values, [], []);
  // Files read from `extraSecretMounts`: `<mountPath>/<key>` makes `key` required.
  for (const [mountPath, name] of found.mounts) {
    read(name, []);
    for (const path of found.paths) {
      if (!path.startsWith(`${mountPath}/`)) continue;
      const [key, ...rest] = path.slice(mountPath.length + 1).split("/");
      if (!key || rest.length > 0) found.problems.push(`${path} is no key of Secret "${name}" mounted at ${mountPath}`);
      else read(name, [key]);
    }
  }
  return found;
}

/**
 * Every Secret one environment's releases read, with the keys they read from it, in the forms the
 * values use: `existingSecret` with its `*Key` siblings (Grafana's admin), `envFrom[].secretRef` and
 * `extraEnvFrom[].secretRef` (object-storage credentials, {@link OBJECT_STORAGE_CREDENTIAL_KEYS}),
 * `secretKeyRef: { name, key }` (a pod's `env[].valueFrom`, Grafana's `envValueFrom.<VAR>`), the
 * operator's `basicAuth: { username, password }` selectors, the exporters' `auth.secret` (Redis) and
 * `config.datasource.passwordSecret` (Postgres) `{ name, key }`, and `alertmanagerSpec.secrets`, whose
 * keys are the files under `/etc/alertmanager/secrets/<name>/` the Alertmanager configuration reads,
 * a chart's `extraSecretMounts[]` (`secretName` at `mountPath`), whose keys are the files under
 * `mountPath` the values name (the blackbox exporter's canary bearer tokens), and a pod's Secret
 * volume `secret: { secretName, items[].key }` (the canary runner's Deployment, read by
 * "canary-runner": its Secrets are checked at the platform stack's plan, the first to run).
 * References marked `optional: true` are not required. A `${VAR}` under a secret-named key is an
 * environment variable and must be set by a Secret of the same release.
 *
 * @throws when any key names a secret in another form, when a file is read from a Secret no release
 * mounts, or when an expanded variable comes from no Secret: every such reference, one line each.
 */
export function requiredSecrets(artifacts: EnvironmentArtifacts): RequiredSecret[] {
  const env = artifacts.profile.name;
  const secrets = new Map<string, { keys: Set<string>; readBy: Set<string> }>();
  const problems: string[] = [];
  const need = (name: string, keys: Iterable<string>, reader: string) => {
    const secret = secrets.get(name) ?? { keys: new Set<string>(), readBy: new Set<string>() };
    for (const key of keys) secret.keys.add(key);
    secret.readBy.add(reader);
    secrets.set(name, secret);
  };

  const mountedBy = new Map<string, string[]>();
  const files = new Set<string>();
  for (const release of artifacts.releases) {
    const found = walkRelease(release.values);
    problems.push(...found.problems.map((p) => `release "${release.releaseName}": ${p}`));
    for (const [name, keys] of found.keys) need(name, keys, release.releaseName);
    for (const name of found.mounted) {
      need(name, [], release.releaseName);
      mountedBy.set(name, [...(mountedBy.get(name) ?? []), release.releaseName]);
    }
    found.files.forEach((file) => files.add(file));
    for (const { variable, where } of found.expansions) {
      if (!found.variables.has(variable)) {
        problems.push(`release "${release.releaseName}": ${where} expands \${${variable}}, which no Secret of the release sets`);
      }
    }
  }
  // The canary runner's Deployment mounts the Secrets its flows read, only the keys they read.
  for (const manifest of artifacts.canaryRunner.manifests) {
    const found = walkRelease(manifest as unknown as Json);
    problems.push(...found.problems.map((p) => `${manifest.kind} "${manifest.metadata.name}": ${p}`));
    for (const [name, keys] of found.keys) need(name, keys, CANARY_RUNNER_NAME);
  }
  // The Alertmanager configuration is read wherever it is deployed (today inside kube-prometheus-stack's values).
  const alertmanager = walkRelease(artifacts.alertmanagerConfig as unknown as Json);
  problems.push(...alertmanager.problems.map((p) => `alertmanager configuration: ${p}`));
  alertmanager.files.forEach((file) => files.add(file));

  for (const file of [...files].sort()) {
    const [name, key, ...rest] = file.slice(ALERTMANAGER_SECRET_MOUNT_DIR.length + 1).split("/");
    const readers = mountedBy.get(name!);
    if (!readers || !key || rest.length > 0) {
      problems.push(`${file} is no key of a Secret a release mounts under ${ALERTMANAGER_SECRET_MOUNT_DIR}`);
      continue;
    }
    for (const reader of readers) need(name!, [key], reader);
  }

  if (problems.length > 0) {
    throw new Error(`cannot tell which Secrets environment "${env}" needs:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return [...secrets]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { keys, readBy }]) => ({
      name,
      namespace: artifacts.profile.namespace,
      keys: [...keys].sort(),
      readBy: [...readBy].sort(),
    }));
}
