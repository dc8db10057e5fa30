import { existsSync } from "node:fs";
import { parse } from "yaml";
import { buildAlertmanagerConfig, renderAlertmanagerYaml, requiredSecretKeys } from "../../alertmanager";
import { amtool, tempDir } from "./amtool";
import { alertingOf, PROFILE_NAMES, SERVICES } from "./fixtures";

/** Alertmanager fields that hold a secret value themselves; the config may only use their `*_file` twins. */
const INLINE_SECRET_FIELDS = [
  "api_url",
  "routing_key",
  "service_key",
  "auth_password",
  "auth_secret",
  "password",
  "bearer_token",
  "credentials",
  "api_key",
  "bot_token",
  "token",
];

/** Every `[key, value]` pair of a parsed YAML document, depth first. */
function entries(node: unknown): [string, unknown][] {
  if (Array.isArray(node)) return node.flatMap(entries);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => [[k, v] as [string, unknown], ...entries(v)]);
}

// The local profile sends everything to an in-cluster sink and holds no credential at all.
const PROFILES_WITH_SECRETS = PROFILE_NAMES.filter((name) => requiredSecretKeys(alertingOf(name)).length > 0);

it("covers every shipped profile that uses credentials", () => {
  expect(PROFILES_WITH_SECRETS).toEqual(PROFILE_NAMES.filter((name) => name !== "local"));
});

describe.each(PROFILES_WITH_SECRETS)("the %s Alertmanager config holds no secret value", (name) => {
  const secrets = tempDir("alertmanager-secrets-");
  const alerting = alertingOf(name);
  // The mounted Secret as Alertmanager sees it: <mount>/<secretName>/<key>, with recognisable values.
  const values = requiredSecretKeys(alerting).map((key) => {
    const value = `SECRET-VALUE-${name}-${key}-0123456789`;
    secrets.write(`mount/${alerting.secretName}/${key}`, value);
    return { key, value };
  });
  afterAll(() => secrets.remove());

  const secretsDir = `${secrets.path}/mount`;
  const yaml = renderAlertmanagerYaml(buildAlertmanagerConfig(alerting, SERVICES, { secretsDir }));

  it("needs some secret, so this test proves something", () => {
    expect(values.length).toBeGreaterThan(0);
  });

  it("contains none of the Secret's values", () => {
    for (const { value } of values) expect(yaml).not.toContain(value);
  });

  it("uses no field that holds a secret inline", () => {
    const keys = new Set(entries(parse(yaml)).map(([k]) => k));
    expect(INLINE_SECRET_FIELDS.filter((field) => keys.has(field))).toEqual([]);
  });

  it("points every *_file field at a key of the profile's Secret, and names every key it needs", () => {
    const files = entries(parse(yaml))
      .filter(([k]) => k.endsWith("_file"))
      .map(([, v]) => String(v));
    const prefix = `${secretsDir}/${alerting.secretName}/`;
    expect(files.filter((f) => !f.startsWith(prefix))).toEqual([]);
    expect(files.filter((f) => !existsSync(f))).toEqual([]);
    expect([...new Set(files.map((f) => f.slice(prefix.length)))].sort()).toEqual(values.map((v) => v.key));
  });

  it("keeps webhook URLs free of credentials", () => {
    const urls = entries(parse(yaml))
      .filter(([k]) => k === "url")
      .map(([, v]) => new URL(String(v)));
    expect(urls.filter((u) => u.username !== "" || u.password !== "" || u.search !== "")).toEqual([]);
  });
});

describe("secret files", () => {
  it("are not opened by amtool check-config, so the config checks before the Secret exists", () => {
    const dir = tempDir("alertmanager-nofiles-");
    try {
      const missing = `${dir.path}/not-mounted`;
      const file = dir.write("prod.yaml", renderAlertmanagerYaml(buildAlertmanagerConfig(alertingOf("prod"), SERVICES, { secretsDir: missing })));
      expect(existsSync(missing)).toBe(false);
      expect(amtool(["check-config", file]).status).toBe(0);
    } finally {
      dir.remove();
    }
  });
});
