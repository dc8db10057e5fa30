import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import type { DashboardArtifact } from "../dashboards";
import { GRAFANA_DASHBOARD_SIDECAR_LABEL } from "../helm-values/kube-prometheus-stack";
import { GrafanaDashboard, GrafanaFolder, GrafanaProvider } from "./grafana-bindings";

/** Name of the sensitive Terraform variable holding Grafana's service-account token. */
export const GRAFANA_AUTH_VARIABLE = "grafana_auth";
/** Annotation the Grafana sidecar reads a dashboard's folder from (kube-prometheus-stack values set it). */
export const GRAFANA_FOLDER_ANNOTATION = "grafana_folder";

/** Props of {@link GrafanaDashboards}. */
export interface GrafanaDashboardsProps {
  readonly dashboards: readonly DashboardArtifact[];
  /**
   * `terraform`: folders and dashboards through Grafana's API (the provider); `sidecar`: labelled
   * ConfigMaps the Grafana sidecar loads, for clusters where Terraform cannot reach Grafana.
   */
  readonly delivery: "terraform" | "sidecar";
  /** Grafana's URL (terraform delivery). */
  readonly grafanaUrl: string;
  /** Namespace of the ConfigMaps (sidecar delivery). */
  readonly namespace: string;
}

/** The serialized model: one canonical form, so a second synth yields the same bytes. */
export function dashboardJson(dashboard: DashboardArtifact): string {
  return JSON.stringify(dashboard.model);
}

/**
 * Construct id of a dashboard's resource (`dashboard-obs-<key>` for the Grafana dashboard,
 * `configmap-obs-<key>` for the sidecar ConfigMap), from its key and never from its title: renaming
 * a construct id replaces the real resource. The `obs-` prefix keeps them equal to the ids the
 * resources were created under, `<kind>-<uid>` (the uid is `obs-<key>` while that fits in 40
 * characters, as for every dashboard so far).
 */
export function dashboardConstructId(kind: "dashboard" | "configmap", dashboard: Pick<DashboardArtifact, "key">): string {
  return `${kind}-obs-${dashboard.key}`;
}

/** Folder uid and title of a team (or the platform). */
export function folderOf(folder: string): { uid: string; title: string } {
  return { uid: `obs-${folder}`, title: folder === "platform" ? "Platform" : `Team ${folder}` };
}

/**
 * The environment's dashboards in Grafana: one folder per team (plus Platform) and one dashboard
 * each, through the Grafana provider, whose token comes from the sensitive `grafana_auth` variable
 * (`TF_VAR_grafana_auth`); or, in sidecar mode, one ConfigMap per dashboard with the sidecar label
 * and the folder annotation.
 */
export class GrafanaDashboards extends Construct {
  constructor(scope: Construct, id: string, props: GrafanaDashboardsProps) {
    super(scope, id);
    if (props.delivery === "sidecar") {
      for (const d of props.dashboards) {
        new ConfigMapV1(this, dashboardConstructId("configmap", d), {
          metadata: {
            name: `dashboard-${d.uid}`,
            namespace: props.namespace,
            labels: { [GRAFANA_DASHBOARD_SIDECAR_LABEL.name]: GRAFANA_DASHBOARD_SIDECAR_LABEL.value, "app.kubernetes.io/managed-by": "observability-stack" },
            annotations: { [GRAFANA_FOLDER_ANNOTATION]: folderOf(d.folder).title },
          },
          data: { [`${d.uid}.json`]: dashboardJson(d) },
        });
      }
      return;
    }
    const auth = new TerraformVariable(this, GRAFANA_AUTH_VARIABLE, {
      type: "string",
      sensitive: true,
      nullable: false,
      description: "Grafana service-account token (set TF_VAR_grafana_auth); never written to a file.",
    });
    auth.overrideLogicalId(GRAFANA_AUTH_VARIABLE);
    new GrafanaProvider(this, "grafana", { url: props.grafanaUrl, auth: auth.stringValue });
    const folders = new Map<string, GrafanaFolder>();
    for (const name of [...new Set(props.dashboards.map((d) => d.folder))].sort()) {
      const { uid, title } = folderOf(name);
      folders.set(name, new GrafanaFolder(this, `folder-${name}`, { uid, title }));
    }
    for (const d of props.dashboards) {
      new GrafanaDashboard(this, dashboardConstructId("dashboard", d), {
        configJson: dashboardJson(d),
        folder: folders.get(d.folder)!.uidAttribute,
        overwrite: true,
      });
    }
  }
}
