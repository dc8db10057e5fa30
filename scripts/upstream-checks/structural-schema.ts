import { isMap, type PathSegment } from "./paths";
import type { SchemaNode } from "./crds";

/**
 * The object metadata every Kubernetes object carries, in place of the `metadata: {type: object}`
 * a CRD declares: the API server decodes `metadata` as ObjectMeta (meta/v1), drops any other field
 * and validates labels. Fields and label syntax as the Kubernetes API reference gives them
 * (ObjectMeta; "Labels and Selectors: syntax and character set").
 */
export const OBJECT_META_SCHEMA: SchemaNode = {
  type: "object",
  properties: {
    name: { type: "string" },
    generateName: { type: "string" },
    namespace: { type: "string" },
    labels: {
      type: "object",
      propertyNames: { pattern: "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$" },
      additionalProperties: { type: "string", maxLength: 63, pattern: "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$" },
    },
    annotations: { type: "object", additionalProperties: { type: "string" } },
    finalizers: { type: "array", items: { type: "string" } },
    ownerReferences: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    // Set by the API server; a manifest that carries them is not pruned for it, so they are known.
    uid: { type: "string" },
    resourceVersion: { type: "string" },
    generation: { type: "integer" },
    creationTimestamp: { type: "string" },
    deletionTimestamp: { type: "string" },
    deletionGracePeriodSeconds: { type: "integer" },
    selfLink: { type: "string" },
    managedFields: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
  },
};

/**
 * The Kubernetes extensions a CRD schema may carry and what the check does with each. Any other
 * `x-kubernetes-*` key fails the compilation, so an extension nobody thought about cannot pass
 * silently.
 */
export const KUBERNETES_EXTENSIONS = {
  /** Unknown fields below are kept by the API server: not reported as unknown. */
  "x-kubernetes-preserve-unknown-fields": "unknown fields kept",
  /** An integer or a string (a port number or name); rewritten to `type: [integer, string]`. */
  "x-kubernetes-int-or-string": "integer or string",
  /** `set`: no duplicate items; `map`: no two items with the same `x-kubernetes-list-map-keys`; `atomic`: nothing. */
  "x-kubernetes-list-type": "uniqueness checked",
  "x-kubernetes-list-map-keys": "keys of a list-type map",
  /** Only tells server-side apply how to merge: nothing to validate. */
  "x-kubernetes-map-type": "merge strategy only",
  /** CEL rules: not evaluated here (no CEL engine); the CLI counts them for each kind it checks. */
  "x-kubernetes-validations": "CEL, not evaluated",
} as const;

/**
 * The CRD schema as ajv validates it: at the root, `apiVersion` and `kind` are strings and
 * `metadata` is {@link OBJECT_META_SCHEMA} (the API server keeps these three on every object,
 * whatever the CRD declares); every `x-kubernetes-int-or-string` node accepts exactly an integer
 * or a string (whatever `type` or `anyOf` it carries); an unsupported `x-kubernetes-*` extension
 * throws. Pure: returns a copy.
 */
export function toValidationSchema(schema: SchemaNode): SchemaNode {
  const root = rewrite(schema, "(root)");
  const properties = isMap(root.properties) ? root.properties : {};
  return { ...root, properties: { apiVersion: { type: "string" }, kind: { type: "string" }, ...properties, metadata: OBJECT_META_SCHEMA } };
}

function rewrite(node: SchemaNode, where: string): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-kubernetes-") && !(key in KUBERNETES_EXTENSIONS)) throw new Error(`unsupported schema extension ${key} at ${where}`);
    if (key === "properties" || key === "patternProperties" || key === "definitions") {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, SchemaNode>).map(([name, child]) => [name, rewrite(child, `${where}.${name}`)]));
    } else if ((key === "items" || key === "additionalProperties" || key === "not") && isMap(value)) {
      out[key] = rewrite(value, `${where}.${key}`);
    } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      out[key] = (value as SchemaNode[]).map((child, i) => rewrite(child, `${where}.${key}[${i}]`));
    } else {
      out[key] = value;
    }
  }
  if (out["x-kubernetes-int-or-string"] === true) {
    delete out.anyOf;
    out.type = ["integer", "string"];
  }
  return out;
}

/**
 * The fields of `value` the API server would prune: every field of an object whose schema neither
 * declares it in `properties` nor gives `additionalProperties`, unless that node carries
 * `x-kubernetes-preserve-unknown-fields: true` (per node, as the API server prunes: a declared
 * property below it is pruned by its own schema again). Kubernetes structural schemas do
 * not reject unknown fields, they drop them without a word; to a manifest's author a misspelt
 * `rulez` is exactly such a field, so the check reports each one as an error. `allOf`/`anyOf`/
 * `oneOf` are not followed: in a structural schema they may not declare fields of their own.
 * Apply it to {@link toValidationSchema}'s output, so `metadata` is walked as ObjectMeta.
 */
export function prunedFields(schema: SchemaNode, value: unknown, path: readonly PathSegment[] = []): PathSegment[][] {
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (Array.isArray(value)) {
    const items = schema.items;
    return isMap(items) ? value.flatMap((item, i) => prunedFields(items, item, [...path, i])) : [];
  }
  if (!isMap(value)) return [];
  const properties = isMap(schema.properties) ? (schema.properties as Record<string, SchemaNode>) : {};
  const additional = schema.additionalProperties;
  const found: PathSegment[][] = [];
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    const childSchema = properties[key] ?? (isMap(additional) ? additional : undefined);
    if (childSchema) found.push(...prunedFields(childSchema, child, childPath));
    else if (!preserve && additional !== true) found.push(childPath);
  }
  return found;
}
