import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import type { EnvironmentProfile } from "../environments/profile-schema";
import { renderHelmValues } from "../helm-values/render";

/**
 * `text` as Terraform reads it back unchanged. In Terraform's JSON syntax an argument's string is a
 * template: `${` starts an interpolation and `%{` a directive, so `values` holding the components'
 * own expansions (Mimir's `${AWS_ACCESS_KEY_ID}`, the collector's `${env:MY_POD_IP}`, Grafana's
 * `$${__value.raw}`) would fail to plan or reach Helm altered. Both are doubled (`$${`, `%%{`), the
 * template language's escapes, so Helm receives exactly the bytes of generated/<env>/values.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** A pinned chart: repository, chart name and exact version. */
export interface ChartPin {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/** Props of {@link HelmChartRelease}. */
export interface HelmChartReleaseProps {
  /** Helm release name; part of every object name the chart creates. */
  readonly releaseName: string;
  readonly pin: ChartPin;
  readonly namespace: string;
  /** Values as a plain object; serialized once, deterministically, here. */
  readonly values: Readonly<Record<string, unknown>>;
  /** atomic, cleanup-on-fail and timeout from the environment profile. */
  readonly helm: EnvironmentProfile["helm"];
  /**
   * Releases that must be installed first (e.g. the one that brings the CRDs).
   * @default - none
   */
  readonly dependsOn?: readonly HelmChartRelease[];
}

/**
 * One Helm release of a pinned chart with values built from typed objects. Waits for readiness;
 * `atomic` rolls a failed upgrade back and `cleanup_on_fail` removes what it created.
 */
export class HelmChartRelease extends Construct {
  readonly release: Release;
  readonly values: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: HelmChartReleaseProps) {
    super(scope, id);
    this.values = props.values;
    this.release = new Release(this, "release", {
      name: props.releaseName,
      repository: props.pin.repository,
      chart: props.pin.chart,
      version: props.pin.version,
      namespace: props.namespace,
      createNamespace: false,
      atomic: props.helm.atomic,
      cleanupOnFail: props.helm.cleanupOnFail,
      timeout: props.helm.timeoutSeconds,
      wait: true,
      maxHistory: 10,
      values: [terraformLiteral(renderHelmValues(props.values))],
      ...(props.dependsOn && props.dependsOn.length > 0 ? { dependsOn: props.dependsOn.map((d) => d.release) } : {}),
    });
  }
}
