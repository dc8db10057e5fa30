import * as path from "node:path";
import { celRuleCount, checkManifests, type CheckedManifest } from "./manifest-check";
import { environmentLabel, line } from "./output";
import { loadCrdCatalog, shownPath, stackJson, synthesizedEnvironments } from "./load";
import { kubernetesObjects } from "./terraform-json";

/** `kind name` of a manifest, as the output names it. */
function objectName(m: CheckedManifest): string {
  const metadata = m.manifest.metadata as { name?: unknown } | undefined;
  return `${String(m.manifest.kind)} ${String(metadata?.name)}`;
}

/** `PrometheusRule 10, Probe 6`: how many of each kind. */
function countsByKind(manifests: readonly CheckedManifest[]): string {
  const counts = new Map<string, number>();
  for (const m of manifests) counts.set(String(m.manifest.kind), (counts.get(String(m.manifest.kind)) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
}

/**
 * The CRD check: every `kubernetes_manifest` of every synthesized content stack against the schema
 * of its CRD version in `<upstream>/crds`. Prints one line per stack, and per problem its
 * environment, file, resource, path and message; returns the number of failing manifests.
 */
export function runCrdCheck(upstreamDir: string): number {
  const { catalog, files } = loadCrdCatalog(upstreamDir);
  console.log(`CRDs: ${files.length} files in ${shownPath(path.dirname(files[0] ?? path.join(upstreamDir, "crds")))}`);
  let failures = 0;
  let total = 0;
  for (const env of synthesizedEnvironments()) {
    const { file, stack } = stackJson(env, "content");
    const objects = kubernetesObjects(stack);
    const checked = checkManifests(catalog, objects.manifests);
    total += checked.length;
    const where = `${environmentLabel(env)} ${shownPath(file)}`;
    for (const m of checked) {
      const v = m.verdict;
      if (v.status === "invalid") {
        failures += 1;
        for (const p of v.problems) line("FAIL", `${where} ${m.address} (${objectName(m)}, CRD ${v.crd.apiVersion}): ${p.path}: ${p.message}`);
      } else if (v.status === "no-schema") {
        failures += 1;
        line("FAIL", `${where} ${m.address} (${objectName(m)}): ${v.reason}`);
      }
    }
    const valid = checked.filter((m) => m.verdict.status === "valid");
    line(valid.length === checked.length ? "ok" : "-", `${where}: ${valid.length} of ${checked.length} manifests valid (${countsByKind(valid)})`);
    const builtIn = checked.filter((m) => m.verdict.status === "built-in");
    if (builtIn.length > 0) line("-", `${where}: not checked, built-in kinds without a CRD: ${countsByKind(builtIn)}`);
    const typed = Object.entries(objects.typedResources).map(([type, n]) => `${type} ${n}`);
    if (typed.length > 0)
      line("-", `${where}: not checked, typed kubernetes resources (built-in kinds, no CRD; typed by the provider's schema): ${typed.join(", ")}`);
    const other = Object.entries(objects.otherResources).map(([type, n]) => `${type} ${n}`);
    if (other.length > 0) line("-", `${where}: not Kubernetes objects: ${other.join(", ")}`);
  }
  for (const crd of catalog.usedVersions()) {
    const cel = celRuleCount(crd.schema);
    const flags = [crd.served ? "served" : "not served", crd.storage ? "storage" : "not storage"].join(", ");
    console.log(`schema used: ${crd.kind} ${crd.apiVersion} (${flags})${cel > 0 ? `; ${cel} CEL rules not evaluated` : ""}`);
  }
  console.log(failures === 0 ? `crds: all ${total} manifests valid` : `crds: ${failures} of ${total} manifests fail`);
  return failures;
}
