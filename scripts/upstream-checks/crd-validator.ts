import Ajv, { type ErrorObject } from "ajv";
import type { RegExpEngine } from "ajv/dist/types";
import { RE2JS } from "re2js";
import { formatPath, isMap, pointerSegments } from "./paths";
import type { SchemaNode } from "./crds";
import { prunedFields, toValidationSchema } from "./structural-schema";

/** One thing wrong with a manifest: where, and what. */
export interface ManifestProblem {
  /** `spec.groups[0].rulez`. */
  readonly path: string;
  readonly message: string;
}

/** Checks one object against its CRD version's schema. */
export type ManifestValidator = (manifest: unknown) => ManifestProblem[];

/** The 32- and 64-bit integer ranges of `format: int32`/`int64`, and RFC 3339 for `date-time`. */
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * CRD patterns are Go regular expressions (the API server matches them with Go's RE2, e.g.
 * `(?i)january|...` in AlertmanagerConfig), so ajv matches them with re2js, not JavaScript's engine.
 */
const re2Engine: RegExpEngine = Object.assign(
  (pattern: string) => {
    const re = RE2JS.compile(pattern);
    return { test: (s: string) => re.matcher(s).find() };
  },
  { code: 'require("re2js").RE2JS' },
);

/** Deep equality of JSON values (for list uniqueness). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isMap(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  return value;
}

/**
 * `x-kubernetes-list-type`: `set` lists hold no duplicate item, `map` lists no two items with the
 * same values of `x-kubernetes-list-map-keys` (the API server rejects both); `atomic` is unchecked.
 */
function listTypeValidator(listType: unknown, parent: SchemaNode) {
  const mapKeys = Array.isArray(parent["x-kubernetes-list-map-keys"]) ? (parent["x-kubernetes-list-map-keys"] as string[]) : [];
  const validate = (data: unknown): boolean => {
    if (!Array.isArray(data) || listType === "atomic") return true;
    const identity = (item: unknown) => (listType === "map" && isMap(item) ? mapKeys.map((k) => item[k]) : item);
    for (let i = 0; i < data.length; i += 1) {
      for (let j = 0; j < i; j += 1) {
        if (sameJson(identity(data[i]), identity(data[j]))) {
          validate.errors = [
            {
              keyword: "x-kubernetes-list-type",
              message: listType === "map" ? `duplicate item for keys ${mapKeys.join(", ")} (items ${j} and ${i})` : `duplicate item (items ${j} and ${i})`,
              params: { listType },
            },
          ];
          return false;
        }
      }
    }
    return true;
  };
  validate.errors = [] as Partial<ErrorObject>[];
  return validate;
}

/** An ajv instance that knows the Kubernetes extensions and formats of CRD schemas, strict about any other keyword. */
export function crdAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true, code: { regExp: re2Engine } });
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("date-time", { type: "string", validate: (s: string) => RFC3339.test(s) });
  // Annotations for the check (their effect is in toValidationSchema and prunedFields).
  ajv.addKeyword({ keyword: "x-kubernetes-preserve-unknown-fields", schemaType: "boolean" });
  ajv.addKeyword({ keyword: "x-kubernetes-int-or-string", schemaType: "boolean" });
  ajv.addKeyword({ keyword: "x-kubernetes-map-type", schemaType: "string" });
  ajv.addKeyword({ keyword: "x-kubernetes-list-map-keys", schemaType: "array" });
  ajv.addKeyword({ keyword: "x-kubernetes-validations", schemaType: "array" });
  ajv.addKeyword({
    keyword: "x-kubernetes-list-type",
    schemaType: "string",
    errors: true,
    compile: (value: unknown, parent) => listTypeValidator(value, parent),
  });
  return ajv;
}

/** A value as a problem shows it: JSON, cut at 80 characters. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? "undefined";
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/**
 * ajv's errors (from an instance built with `verbose: true`) as problems: the path (with a
 * `propertyNames` error, the offending key), the message, the allowed values of an enum and the
 * value received.
 */
export function ajvProblems(errors: readonly ErrorObject[]): ManifestProblem[] {
  return errors.map((e) => {
    const segments = pointerSegments(e.instancePath);
    const key = (e.params as { propertyName?: string }).propertyName;
    const allowed = e.keyword === "enum" ? ` ${shown((e.params as { allowedValues: unknown }).allowedValues)}` : "";
    const received = key === undefined ? shown(e.data) : shown(key);
    return { path: formatPath(key === undefined ? segments : [...segments, key]), message: `${e.message ?? "invalid"}${allowed}, got ${received}` };
  });
}

/**
 * A validator for one CRD version's `openAPIV3Schema`: ajv for types, enums, patterns, required
 * fields and list uniqueness, plus {@link prunedFields} for the fields the API server would drop
 * (reported as `unknown field`). Problems are sorted by path.
 */
export function compileCrdValidator(ajv: Ajv, openApiSchema: SchemaNode): ManifestValidator {
  const schema = toValidationSchema(openApiSchema);
  const validate = ajv.compile(schema);
  return (manifest) => {
    const unknown = prunedFields(schema, manifest).map((path) => ({
      path: formatPath(path),
      message: `unknown field ${JSON.stringify(path[path.length - 1])}: not in the CRD schema, the API server would drop it without a word`,
    }));
    const invalid = validate(manifest) ? [] : ajvProblems(validate.errors ?? []);
    return [...unknown, ...invalid].sort((a, b) => a.path.localeCompare(b.path));
  };
}
