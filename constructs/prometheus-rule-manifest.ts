import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import type { RuleFile } from "../kit/rule-types";
import { PROMETHEUS_SELECTOR_LABELS } from "../helm-values/selector-labels";

/** Props of {@link PrometheusRuleManifest}. */
export interface PrometheusRuleManifestProps {
  readonly namespace: string;
  /** One generated rule file; its groups become the object's spec. */
  readonly ruleFile: RuleFile;
}

/** Kubernetes name of the PrometheusRule holding one rule file (`divan-api.yaml` -> `obs-rules-divan-api`). */
export function prometheusRuleName(ruleFile: RuleFile): string {
  return `obs-rules-${ruleFile.fileName.replace(/\.ya?ml$/, "")}`;
}

/**
 * A PrometheusRule object for one rule file, labelled so kube-prometheus-stack's Prometheus
 * selects it. Applied by the content stack after the platform stack installed the CRD.
 */
export class PrometheusRuleManifest extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: PrometheusRuleManifestProps) {
    super(scope, id);
    this.manifest = new Manifest(this, "manifest", {
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: {
          name: prometheusRuleName(props.ruleFile),
          namespace: props.namespace,
          labels: { ...PROMETHEUS_SELECTOR_LABELS, "app.kubernetes.io/managed-by": "observability-stack" },
        },
        spec: { groups: props.ruleFile.groups },
      },
    });
  }
}
