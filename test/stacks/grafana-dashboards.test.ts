import { Testing } from "cdktf";
import { GrafanaDashboards } from "../../constructs/grafana-dashboards";
import type { DashboardArtifact } from "../../dashboards";
import { assembleDashboard } from "../../kit/dashboards/dashboard";
import type { StackJson } from "./synthesized";

/** A small dashboard of the platform folder; only the title varies. */
const dashboard = (title: string): DashboardArtifact => assembleDashboard({ key: "checkout-funnel", title, description: "", folder: "platform", rows: [] });

const synth = (delivery: "terraform" | "sidecar", dashboards: DashboardArtifact[]): StackJson =>
  JSON.parse(
    Testing.synthScope((scope) => {
      new GrafanaDashboards(scope, "dashboards", { dashboards, delivery, grafanaUrl: "https://grafana.example.com", namespace: "observability" });
    }),
  );

describe("GrafanaDashboards", () => {
  it("terraform delivery: retitling a dashboard changes neither its resource id nor its uid", () => {
    const [before, after] = ["Checkout funnel", "Checkout: funnel and drop-offs"].map(
      (title) => synth("terraform", [dashboard(title)]).resource.grafana_dashboard!,
    );
    expect(Object.keys(after!)).toEqual(Object.keys(before!));
    expect(Object.keys(before!)).toEqual([expect.stringMatching(/^dashboards_dashboard-obs-checkout-funnel_[0-9A-F]{8}$/)]);
    const models = [before, after].map((r) => JSON.parse(Object.values<any>(r!)[0].config_json));
    expect(models.map((m) => [m.uid, m.title])).toEqual([
      ["obs-checkout-funnel", "Checkout funnel"],
      ["obs-checkout-funnel", "Checkout: funnel and drop-offs"],
    ]);
  });

  it("sidecar delivery: retitling a dashboard changes neither its ConfigMap's id, name nor file", () => {
    const [before, after] = ["Checkout funnel", "Checkout: funnel and drop-offs"].map(
      (title) => synth("sidecar", [dashboard(title)]).resource.kubernetes_config_map_v1!,
    );
    expect(Object.keys(after!)).toEqual(Object.keys(before!));
    expect(Object.keys(before!)).toEqual([expect.stringMatching(/^dashboards_configmap-obs-checkout-funnel_[0-9A-F]{8}$/)]);
    for (const r of [before, after]) {
      const map = Object.values<any>(r!)[0];
      expect(map.metadata.name).toBe("dashboard-obs-checkout-funnel");
      expect(Object.keys(map.data)).toEqual(["obs-checkout-funnel.json"]);
    }
  });
});
