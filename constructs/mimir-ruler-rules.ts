import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Construct } from "constructs";
import { renderYaml } from "../kit/render-yaml";
import type { RuleFile } from "../kit/rule-types";
import { MIMIR_RULER_CONFIGMAP } from "../helm-values/mimir";

/** Props of {@link MimirRulerRules}. */
export interface MimirRulerRulesProps {
  readonly namespace: string;
  /** The Mimir tenant the rules are evaluated for: the ruler pods mount the ConfigMap as its directory. */
  readonly tenant: string;
  /** The rule files Mimir's ruler evaluates (rules/placement.ts); each becomes one key, one rule namespace. */
  readonly ruleFiles: readonly RuleFile[];
}

/** What Kubernetes accepts in one ConfigMap's data (1 MiB). */
export const CONFIGMAP_DATA_LIMIT_BYTES = 1024 * 1024;

/** The ConfigMap's data: one key per rule file (`checkout.yaml`), the file as `generated/<env>/rules/mimir-ruler/<tenant>/` holds it. */
export function mimirRulerConfigMapData(ruleFiles: readonly RuleFile[]): Record<string, string> {
  return Object.fromEntries(ruleFiles.map((file) => [file.fileName, renderYaml({ groups: file.groups })]));
}

/**
 * The ConfigMap {@link MIMIR_RULER_CONFIGMAP} holding the rule groups Mimir's ruler evaluates,
 * which the ruler pods of the platform stack's mimir release mount as `<directory>/<tenant>/`
 * (helm-values/mimir.ts). Applied by the content stack, like the PrometheusRule objects: the
 * catalog changes here, the release does not. Throws when the files outgrow one ConfigMap.
 */
export class MimirRulerRules extends Construct {
  readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: MimirRulerRulesProps) {
    super(scope, id);
    const data = mimirRulerConfigMapData(props.ruleFiles);
    const bytes = Object.entries(data).reduce((n, [key, value]) => n + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
    if (bytes > CONFIGMAP_DATA_LIMIT_BYTES) {
      throw new Error(
        `ruleFiles must fit one ConfigMap (${CONFIGMAP_DATA_LIMIT_BYTES} bytes), got ${bytes} bytes in ${props.ruleFiles.length} files (ConfigMap "${MIMIR_RULER_CONFIGMAP}", tenant "${props.tenant}")`,
      );
    }
    this.configMap = new ConfigMapV1(this, "configmap", {
      metadata: {
        name: MIMIR_RULER_CONFIGMAP,
        namespace: props.namespace,
        labels: { "app.kubernetes.io/managed-by": "observability-stack", "observability.stack/mimir-tenant": props.tenant },
      },
      data,
    });
  }
}
