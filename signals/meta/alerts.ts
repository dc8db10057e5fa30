/** The platform's meta alerts. */
export const META_ALERTS = {
  /** Always firing: proves the whole alert pipeline works (dead man's switch). */
  Watchdog: "Watchdog",
  /** Fires while info alerts fire alone; Alertmanager uses it to mute them (kube-prometheus-stack semantics). */
  InfoInhibitor: "InfoInhibitor",
} as const;
