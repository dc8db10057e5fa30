import { isMap } from "./paths";

/** A JSON schema node of a CRD (openAPIV3Schema), as parsed from YAML. */
export type SchemaNode = Record<string, unknown>;

/** One version of a custom resource as its CRD declares it. */
export interface CrdVersion {
  /** `<group>/<version>`, as a manifest's `apiVersion` names it. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Whether the API server serves this version (a manifest may only use a served one). */
  readonly served: boolean;
  /** Whether objects are stored in this version. */
  readonly storage: boolean;
  /** `spec.versions[].schema.openAPIV3Schema`. */
  readonly schema: SchemaNode;
}

/** `<apiVersion> <kind>`: the key a manifest is matched to its CRD version by. */
export function crdKey(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/**
 * Every version of every CustomResourceDefinition among `documents` (the parsed YAML documents of
 * the CRD files; other documents are ignored). Throws on a CRD version without a schema: a
 * `apiextensions.k8s.io/v1` CRD must carry one per version, and a check with no schema must not pass.
 */
export function crdVersions(documents: readonly unknown[]): CrdVersion[] {
  const versions: CrdVersion[] = [];
  for (const doc of documents) {
    if (!isMap(doc) || doc.kind !== "CustomResourceDefinition") continue;
    const spec = doc.spec as { group: string; names: { kind: string }; versions: readonly Record<string, unknown>[] };
    for (const version of spec.versions) {
      const schema = (version.schema as { openAPIV3Schema?: SchemaNode } | undefined)?.openAPIV3Schema;
      const apiVersion = `${spec.group}/${String(version.name)}`;
      if (!isMap(schema)) throw new Error(`CRD ${spec.names.kind} ${apiVersion} has no schema.openAPIV3Schema`);
      versions.push({ apiVersion, kind: spec.names.kind, served: version.served === true, storage: version.storage === true, schema });
    }
  }
  return versions;
}

/**
 * API groups built into Kubernetes: their kinds have no CRD, so the CRD check lists them as not
 * checked. Any other group without a CRD here fails: a custom kind must not pass unchecked.
 * (A CRD's group always holds a dot, so the dotless groups are all built-in.)
 */
const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
]);

/** True when `apiVersion` (`v1`, `apps/v1`, `monitoring.coreos.com/v1`) is a built-in Kubernetes group. */
export function isBuiltInApiVersion(apiVersion: string): boolean {
  const slash = apiVersion.indexOf("/");
  return BUILT_IN_GROUPS.has(slash === -1 ? "" : apiVersion.slice(0, slash));
}
