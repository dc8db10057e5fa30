import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import type { EnvironmentProfile } from "../environments/profile-schema";
import { renderHelmValues } from "../helm-values/render";

/**
 * Text as a literal Terraform string. Terraform reads every string of its JSON configuration as a
 * template, so `${...}` and `%{...}` in Helm values (the collector's `${env:MY_POD_IP}`, Grafana's
 * `$${__value.raw}`) would be interpolated or rejected; `$${` and `%%{` are its escapes for them.
 */
export function terraformLiteral(text: string): string {
  // A function replacement: in a replacement string, `$$` would itself mean one `$`.
  return text.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
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
