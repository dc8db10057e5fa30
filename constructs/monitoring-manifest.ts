import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import type { KubernetesManifest } from "../monitors/scrape-objects";

/** Props of {@link MonitoringManifest}. */
export interface MonitoringManifestProps {
  /** A ServiceMonitor, PodMonitor or Probe built by monitors/; applied as it is. */
  readonly manifest: KubernetesManifest;
}

/**
 * One prometheus-operator object (ServiceMonitor, PodMonitor, Probe) applied by the content stack,
 * after the platform stack installed the CRDs. It carries the labels Prometheus selects by.
 */
export class MonitoringManifest extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: MonitoringManifestProps) {
    super(scope, id);
    this.manifest = new Manifest(this, "manifest", { manifest: props.manifest as unknown as Record<string, unknown> });
  }
}
