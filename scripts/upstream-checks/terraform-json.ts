import { isMap } from "./paths";
import { terraformStringValue } from "./terraform-string";

/** A `kubernetes_manifest` resource of a synthesized stack: its Terraform address and the object it applies. */
export interface StackManifest {
  /** `kubernetes_manifest.<logical id>`. */
  readonly address: string;
  readonly manifest: Record<string, unknown>;
}

/** The Kubernetes side of a synthesized stack (`cdk.tf.json`). */
export interface StackKubernetesObjects {
  readonly manifests: readonly StackManifest[];
  /**
   * Typed resources of the kubernetes provider (`kubernetes_config_map_v1`, ...): built-in kinds,
   * with no CRD; the provider's own schema types their arguments. Counted by resource type.
   */
  readonly typedResources: Readonly<Record<string, number>>;
  /** Resources of other providers (`grafana_dashboard`, ...), counted by type: not Kubernetes objects. */
  readonly otherResources: Readonly<Record<string, number>>;
}

function resourcesOf(stack: unknown): Record<string, Record<string, Record<string, unknown>>> {
  const resource = isMap(stack) ? stack.resource : undefined;
  return isMap(resource) ? (resource as Record<string, Record<string, Record<string, unknown>>>) : {};
}

/** Reads the Kubernetes objects out of a synthesized stack's Terraform JSON. */
export function kubernetesObjects(stack: unknown): StackKubernetesObjects {
  const manifests: StackManifest[] = [];
  const typedResources: Record<string, number> = {};
  const otherResources: Record<string, number> = {};
  for (const [type, byId] of Object.entries(resourcesOf(stack))) {
    const ids = Object.keys(byId);
    if (type === "kubernetes_manifest") {
      for (const id of ids) {
        const manifest = byId[id]!.manifest;
        if (!isMap(manifest)) throw new Error(`kubernetes_manifest.${id} has no manifest object`);
        manifests.push({ address: `kubernetes_manifest.${id}`, manifest });
      }
    } else if (type.startsWith("kubernetes_")) typedResources[type] = ids.length;
    else otherResources[type] = ids.length;
  }
  return { manifests, typedResources, otherResources };
}

/** A `helm_release` of a synthesized platform stack: name, chart, version and the values documents it deploys. */
export interface StackHelmRelease {
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  /** The `values` argument as Terraform reads it (template escapes undone): YAML documents, merged by Helm in order. */
  readonly values: readonly string[];
}

/** Reads the Helm releases out of a synthesized stack's Terraform JSON. */
export function helmReleases(stack: unknown): StackHelmRelease[] {
  return Object.values(resourcesOf(stack).helm_release ?? {}).map((r) => ({
    name: String(r.name),
    chart: String(r.chart),
    version: String(r.version),
    values: Array.isArray(r.values) ? r.values.map((v) => terraformStringValue(String(v))) : [],
  }));
}
