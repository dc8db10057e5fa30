import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentProfile } from "../environments/profile-schema";

/** Props of {@link BootstrapStack}. */
export interface BootstrapStackProps {
  /** The environment whose namespace this is: its name, namespace and kube context. */
  readonly profile: EnvironmentProfile;
}

/**
 * `obs-<env>-bootstrap`: the namespace, alone, so that it exists before anyone creates the Secrets
 * in it and before the platform stack plans (which reads those Secrets). Deployed once, first; the
 * platform stack depends on it. Destroying it deletes the namespace and everything in it, Secrets
 * included.
 *
 * The resource address `kubernetes_namespace_v1.namespace` is the one the platform stack used
 * before, so an existing install moves it with one `terraform import` (README, First deploy).
 */
export class BootstrapStack extends TerraformStack {
  readonly namespace: NamespaceV1;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { profile } = props;
    new KubernetesProvider(this, "kubernetes", { configPath: profile.kubernetes.configPath, configContext: profile.kubernetes.context });
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: profile.namespace,
        labels: {
          "app.kubernetes.io/part-of": "observability-stack",
          // node-exporter needs host access, so the namespace is "privileged" rather than "restricted".
          "pod-security.kubernetes.io/enforce": "privileged",
          "pod-security.kubernetes.io/warn": "baseline",
        },
      },
    });
  }
}
