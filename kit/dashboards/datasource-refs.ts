import { DATASOURCE_UIDS } from "../../model/datasources";

/** A reference to a provisioned datasource, as dashboards and queries carry it. */
export interface DatasourceRef {
  readonly type: "prometheus" | "loki" | "tempo";
  readonly uid: string;
}

/** The provisioned datasources dashboards query; uids are the fixed ones Grafana is provisioned with. */
export const DATASOURCES = {
  prometheus: { type: "prometheus", uid: DATASOURCE_UIDS.prometheus },
  loki: { type: "loki", uid: DATASOURCE_UIDS.loki },
  tempo: { type: "tempo", uid: DATASOURCE_UIDS.tempo },
} as const satisfies Record<string, DatasourceRef>;
