import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import type { KubernetesObject } from "../monitors/canary-runner";

/** Props of {@link CanaryRunnerObjects}. */
export interface CanaryRunnerObjectsProps {
  /** The runner's ConfigMap, Deployment, Service and ServiceMonitor, built by monitors/canary-runner.ts; applied as they are. */
  readonly manifests: readonly KubernetesObject[];
}

/**
 * The canary runner's objects, applied by the content stack (its ServiceMonitor needs the
 * operator's CRDs, which the platform stack installs first). One `kubernetes_manifest` per object,
 * its id `<kind>-<name>` (ids are API: renaming one replaces the object).
 */
export class CanaryRunnerObjects extends Construct {
  readonly manifests: readonly Manifest[];

  constructor(scope: Construct, id: string, props: CanaryRunnerObjectsProps) {
    super(scope, id);
    this.manifests = props.manifests.map(
      (m) => new Manifest(this, `${m.kind.toLowerCase()}-${m.metadata.name}`, { manifest: m as unknown as Record<string, unknown> }),
    );
  }
}
