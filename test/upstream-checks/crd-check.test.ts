import { compileCrdValidator, crdAjv } from "../../scripts/upstream-checks/crd-validator";
import { crdVersions } from "../../scripts/upstream-checks/crds";
import { celRuleCount, CrdCatalog } from "../../scripts/upstream-checks/manifest-check";
import { formatPath } from "../../scripts/upstream-checks/paths";
import { prunedFields, toValidationSchema } from "../../scripts/upstream-checks/structural-schema";
import { helmReleases, kubernetesObjects } from "../../scripts/upstream-checks/terraform-json";

/** A tiny CRD in the shape controller-gen writes: one served version, the Kubernetes extensions in use. */
const WIDGET_SCHEMA = {
  type: "object",
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["port"],
      properties: {
        port: { "x-kubernetes-int-or-string": true },
        mode: { type: "string", enum: ["fast", "slow"] },
        interval: { type: "string", pattern: "^((?i)[0-9]+s)$" },
        replicas: { type: "integer", format: "int32" },
        labels: { type: "object", additionalProperties: { type: "string" } },
        extra: {
          type: "object",
          "x-kubernetes-preserve-unknown-fields": true,
          properties: { strict: { type: "object", properties: { a: { type: "string" } } } },
        },
        ports: {
          type: "array",
          items: { type: "object", properties: { name: { type: "string" }, number: { type: "integer" } } },
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
        },
        tags: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
      },
    },
  },
};
const widgetCrd = (versions: Record<string, unknown>[]) => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  spec: { group: "example.com", names: { kind: "Widget" }, versions },
});
const widget = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: "w" }) => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata,
  spec,
});
const validate = compileCrdValidator(crdAjv(), WIDGET_SCHEMA);
const paths = (manifest: unknown) => validate(manifest).map((p) => p.path);

describe("CRD versions", () => {
  it("reads every version with its served and storage flags, ignoring other documents", () => {
    const versions = crdVersions([
      null,
      { kind: "ConfigMap" },
      widgetCrd([
        { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: WIDGET_SCHEMA } },
        { name: "v1beta1", served: false, storage: false, schema: { openAPIV3Schema: WIDGET_SCHEMA } },
      ]),
    ]);
    expect(versions.map(({ apiVersion, kind, served, storage }) => ({ apiVersion, kind, served, storage }))).toEqual([
      { apiVersion: "example.com/v1", kind: "Widget", served: true, storage: true },
      { apiVersion: "example.com/v1beta1", kind: "Widget", served: false, storage: false },
    ]);
  });

  it("fails on a version without a schema", () => {
    expect(() => crdVersions([widgetCrd([{ name: "v1", served: true, storage: true }])])).toThrow(/Widget example.com\/v1 has no schema.openAPIV3Schema/);
  });
});

describe("structural schema handling", () => {
  it("rewrites int-or-string to exactly an integer or a string, and metadata to ObjectMeta", () => {
    const schema = toValidationSchema({
      type: "object",
      properties: { metadata: { type: "object" }, p: { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true } },
    });
    expect((schema.properties as any).p).toEqual({ type: ["integer", "string"], "x-kubernetes-int-or-string": true });
    expect(Object.keys((schema.properties as any).metadata.properties)).toEqual(expect.arrayContaining(["name", "namespace", "labels", "annotations"]));
  });

  it("keeps apiVersion, kind and metadata at the root even when the CRD does not declare them", () => {
    const schema = toValidationSchema({ type: "object", properties: { spec: { type: "object" } } });
    expect(prunedFields(schema, { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, status: {} }).map(formatPath)).toEqual(["status"]);
  });

  it("fails on a Kubernetes extension it does not handle", () => {
    expect(() => toValidationSchema({ type: "object", properties: { o: { type: "object", "x-kubernetes-embedded-resource": true } } })).toThrow(
      /unsupported schema extension x-kubernetes-embedded-resource at \(root\)\.o/,
    );
  });

  it("reports the fields the API server would prune, preserve-unknown-fields per node", () => {
    const schema = toValidationSchema(WIDGET_SCHEMA);
    const manifest = widget(
      { port: 1, prot: 2, labels: { any: "x" }, extra: { free: 1, strict: { a: "x", b: "y" } }, ports: [{ name: "a", nmber: 1 }] },
      { name: "w", lables: {} },
    );
    expect(prunedFields(schema, manifest).map(formatPath)).toEqual(["metadata.lables", "spec.prot", "spec.extra.strict.b", "spec.ports[0].nmber"]);
  });
});

describe("compileCrdValidator", () => {
  it("passes a valid object", () => {
    expect(validate(widget({ port: "http", mode: "fast", interval: "30S", replicas: 3, tags: ["a", "b"], ports: [{ name: "a" }, { name: "b" }] }))).toEqual([]);
  });

  it("takes an integer or a string where the CRD says int-or-string, nothing else", () => {
    expect(paths(widget({ port: 8080 }))).toEqual([]);
    expect(paths(widget({ port: "http" }))).toEqual([]);
    expect(validate(widget({ port: true }))).toEqual([{ path: "spec.port", message: "must be integer,string, got true" }]);
  });

  it("reports an unknown field with its key, and a bad value with the value received", () => {
    expect(validate(widget({ port: 1, mdoe: "fast", mode: "quick" }))).toEqual([
      { path: "spec.mdoe", message: 'unknown field "mdoe": not in the CRD schema, the API server would drop it without a word' },
      { path: "spec.mode", message: 'must be equal to one of the allowed values ["fast","slow"], got "quick"' },
    ]);
  });

  it("matches patterns as Go's RE2 does ((?i) flags), and checks int32 ranges", () => {
    expect(paths(widget({ port: 1, interval: "30s" }))).toEqual([]);
    expect(paths(widget({ port: 1, interval: "30 seconds" }))).toEqual(["spec.interval"]);
    expect(paths(widget({ port: 1, replicas: 2 ** 31 }))).toEqual(["spec.replicas"]);
  });

  it("reports duplicate keys of a list-type map and duplicate items of a list-type set", () => {
    expect(
      validate(
        widget({
          port: 1,
          ports: [
            { name: "a", number: 1 },
            { name: "a", number: 2 },
          ],
        }),
      ),
    ).toEqual([{ path: "spec.ports", message: 'duplicate item for keys name (items 0 and 1), got [{"name":"a","number":1},{"name":"a","number":2}]' }]);
    expect(paths(widget({ port: 1, tags: ["a", "a"] }))).toEqual(["spec.tags"]);
  });

  it("validates labels as Kubernetes does", () => {
    expect(paths(widget({ port: 1 }, { name: "w", labels: { "app.kubernetes.io/name": "ok", team: "not ok!" } }))).toEqual(["metadata.labels.team"]);
  });
});

describe("CrdCatalog", () => {
  const catalog = new CrdCatalog(
    crdAjv(),
    crdVersions([
      widgetCrd([
        { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: WIDGET_SCHEMA } },
        { name: "v0", served: false, storage: false, schema: { openAPIV3Schema: WIDGET_SCHEMA } },
      ]),
    ]),
  );

  it("checks a custom kind against its CRD version", () => {
    expect(catalog.check(widget({ port: 1 })).status).toBe("valid");
    expect(catalog.check(widget({})).status).toBe("invalid");
  });

  it("lists built-in kinds as not checked", () => {
    expect(catalog.check({ apiVersion: "v1", kind: "ConfigMap" })).toEqual({ status: "built-in" });
    expect(catalog.check({ apiVersion: "apps/v1", kind: "Deployment" })).toEqual({ status: "built-in" });
  });

  it("fails a custom kind, version or group it has no schema for, and a version not served", () => {
    expect(catalog.check({ apiVersion: "example.com/v1", kind: "Gadget" })).toEqual({
      status: "no-schema",
      reason: "no CRD version example.com/v1 of kind Gadget among the CRDs of group example.com",
    });
    expect(catalog.check({ apiVersion: "other.io/v1", kind: "Widget" })).toEqual({
      status: "no-schema",
      reason: "no CRD for group other.io here, so Widget cannot be checked",
    });
    expect(catalog.check({ ...widget({ port: 1 }), apiVersion: "example.com/v0" })).toEqual({
      status: "no-schema",
      reason: "Widget example.com/v0 is not a served version of its CRD",
    });
  });

  it("counts CEL rules it cannot evaluate", () => {
    expect(
      celRuleCount({
        properties: { a: { "x-kubernetes-validations": [{ rule: "a" }, { rule: "b" }] }, b: { items: { "x-kubernetes-validations": [{ rule: "c" }] } } },
      }),
    ).toBe(3);
  });
});

describe("synthesized Terraform JSON", () => {
  const stack = {
    resource: {
      kubernetes_manifest: { rule_A: { manifest: { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" } } },
      kubernetes_config_map_v1: { a: {}, b: {} },
      grafana_dashboard: { d: {} },
      helm_release: { r: { name: "loki", chart: "loki", version: "18.11.0", values: ["a: 1\n"] } },
    },
  };

  it("reads manifests, typed kubernetes resources and other resources apart", () => {
    expect(kubernetesObjects(stack)).toEqual({
      manifests: [{ address: "kubernetes_manifest.rule_A", manifest: { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" } }],
      typedResources: { kubernetes_config_map_v1: 2 },
      otherResources: { grafana_dashboard: 1, helm_release: 1 },
    });
  });

  it("reads Helm releases with their chart, version and values", () => {
    expect(helmReleases(stack)).toEqual([{ name: "loki", chart: "loki", version: "18.11.0", values: ["a: 1\n"] }]);
  });
});
