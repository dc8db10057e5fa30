import { perTeam } from "../model/teams";
import { dev } from "./dev";
import type { EnvironmentProfileInput } from "./profile-schema";

/** local: dev's shape on a kind/k3d cluster on a laptop; smaller volumes and capacity. */
export const local: EnvironmentProfileInput = {
  ...dev,
  name: "local",
  tier: "non-production",
  // kind binds kube-controller-manager, kube-scheduler, etcd and kube-proxy metrics to 127.0.0.1
  // on its nodes: as on a managed cluster, no pod can scrape them, so nothing alerts on them.
  kubernetes: { configPath: "~/.kube/config", context: "kind-obs", controlPlane: "managed" },
  clusterCapacity: { nodes: 1, cpu: "4", memory: "8Gi" },
  externalLabels: { cluster: "kind-obs", environment: "local" },
  grafana: { ...dev.grafana, url: "http://localhost:3000" },
  // 90d like dev (no Mimir: the longest SLO period the rules read), sized for a one-node cluster's
  // ~50k active series at 30s and 1.5 bytes a sample (0.2GB a day): the 8GB cap holds about 40 days.
  prometheus: { ...dev.prometheus, retention: "90d", retentionSize: "8GB", storage: { size: "10Gi" } },
  // A laptop cluster must not page anyone nor feed dev's dead man's switch: everything goes to an
  // in-cluster webhook sink (e.g. `npm run preview`'s sink, or any echo server).
  alerting: {
    secretName: "alertmanager-receivers",
    receivers: {
      "local-sink": { type: "webhook", url: "http://alert-sink.observability.svc:8080/alerts" },
      "local-heartbeat": { type: "webhook", url: "http://alert-sink.observability.svc:8080/heartbeat" },
    },
    teams: perTeam(() => ({ pager: "local-sink", ticket: "local-sink" })),
    deadMansSwitch: "local-heartbeat",
  },
};
