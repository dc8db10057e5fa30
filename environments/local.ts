import { dev } from "./dev";
import type { EnvironmentProfileInput } from "./profile-schema";

/** local: dev's shape on a kind/k3d cluster on a laptop; smaller volumes and capacity. */
export const local: EnvironmentProfileInput = {
  ...dev,
  name: "local",
  kubernetes: { configPath: "~/.kube/config", context: "kind-obs" },
  clusterCapacity: { nodes: 1, cpu: "4", memory: "8Gi" },
  externalLabels: { cluster: "kind-obs", environment: "local" },
  grafana: { ...dev.grafana, url: "http://localhost:3000" },
  prometheus: { ...dev.prometheus, retention: "1d", retentionSize: "4GB", storage: { size: "5Gi" } },
};
