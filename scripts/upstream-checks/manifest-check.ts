import type Ajv from "ajv";
import { compileCrdValidator, type ManifestProblem, type ManifestValidator } from "./crd-validator";
import { crdKey, isBuiltInApiVersion, type CrdVersion } from "./crds";
import { isMap } from "./paths";
import type { StackManifest } from "./terraform-json";

/** What the CRD check concluded for one manifest. */
export type ManifestVerdict =
  | { readonly status: "valid"; readonly crd: CrdVersion }
  | { readonly status: "invalid"; readonly crd: CrdVersion; readonly problems: readonly ManifestProblem[] }
  /** A built-in kind (ConfigMap, Deployment): no CRD, not checked here. */
  | { readonly status: "built-in" }
  /** A custom kind or version with no CRD schema here, or a version the CRD does not serve: a failure. */
  | { readonly status: "no-schema"; readonly reason: string };

/** Number of CEL rules (`x-kubernetes-validations`) in a schema: the check cannot evaluate them. */
export function celRuleCount(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, child) => n + celRuleCount(child), 0);
  if (!isMap(node)) return 0;
  const own = Array.isArray(node["x-kubernetes-validations"]) ? node["x-kubernetes-validations"].length : 0;
  return Object.entries(node).reduce((n, [key, child]) => (key === "x-kubernetes-validations" ? n : n + celRuleCount(child)), own);
}

/** The CRD versions known to the check, each compiled the first time a manifest needs it. */
export class CrdCatalog {
  private readonly versions: ReadonlyMap<string, CrdVersion>;
  private readonly groups: ReadonlySet<string>;
  private readonly compiled = new Map<string, ManifestValidator>();

  constructor(
    private readonly ajv: Ajv,
    versions: readonly CrdVersion[],
  ) {
    this.versions = new Map(versions.map((v) => [crdKey(v.apiVersion, v.kind), v]));
    this.groups = new Set(versions.map((v) => v.apiVersion.split("/")[0]!));
  }

  /** The CRD versions compiled so far (the kinds the manifests used). */
  usedVersions(): CrdVersion[] {
    return [...this.compiled.keys()].map((key) => this.versions.get(key)!);
  }

  /** Checks one manifest against the schema of the CRD version its apiVersion and kind name. */
  check(manifest: Record<string, unknown>): ManifestVerdict {
    const apiVersion = String(manifest.apiVersion);
    const kind = String(manifest.kind);
    const key = crdKey(apiVersion, kind);
    const crd = this.versions.get(key);
    if (!crd) {
      if (isBuiltInApiVersion(apiVersion)) return { status: "built-in" };
      const group = apiVersion.split("/")[0]!;
      return {
        status: "no-schema",
        reason: this.groups.has(group)
          ? `no CRD version ${apiVersion} of kind ${kind} among the CRDs of group ${group}`
          : `no CRD for group ${group} here, so ${kind} cannot be checked`,
      };
    }
    if (!crd.served) return { status: "no-schema", reason: `${kind} ${apiVersion} is not a served version of its CRD` };
    if (!this.compiled.has(key)) this.compiled.set(key, compileCrdValidator(this.ajv, crd.schema));
    const problems = this.compiled.get(key)!(manifest);
    return problems.length === 0 ? { status: "valid", crd } : { status: "invalid", crd, problems };
  }
}

/** One manifest of a stack with its verdict. */
export interface CheckedManifest extends StackManifest {
  readonly verdict: ManifestVerdict;
}

/** Checks every manifest of a stack. */
export function checkManifests(catalog: CrdCatalog, manifests: readonly StackManifest[]): CheckedManifest[] {
  return manifests.map((m) => ({ ...m, verdict: catalog.check(m.manifest) }));
}
