import type { Resources } from "../environments/primitives";

/** Requests and limits of the small helper containers the charts run beside the main ones. */
export const SIDECAR_RESOURCES: Resources = {
  requests: { cpu: "10m", memory: "32Mi" },
  limits: { cpu: "100m", memory: "64Mi" },
};
