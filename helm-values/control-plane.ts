import type { ControlPlane } from "../environments/profile-schema";

/**
 * The control-plane components kube-prometheus-stack 88.5.3 scrapes, each with the
 * `defaultRules.rules.*` groups that alert on or record from it (the chart's
 * templates/prometheus/rules-1.14/: etcd.yaml, kubernetes-system-controller-manager.yaml,
 * kubernetes-system-scheduler.yaml, kube-scheduler.rules.yaml, kubernetes-system-kube-proxy.yaml).
 * A managed cluster (EKS, GKE, AKS) hides all four: scraping them finds nothing and their alerts
 * (KubeControllerManagerDown, KubeSchedulerDown, etcdMembersDown, KubeProxyDown) fire forever.
 */
export const CONTROL_PLANE_COMPONENTS = [
  { values: "kubeControllerManager", ruleGroups: ["kubeControllerManager"] },
  { values: "kubeScheduler", ruleGroups: ["kubeSchedulerAlerting", "kubeSchedulerRecording"] },
  { values: "kubeEtcd", ruleGroups: ["etcd"] },
  { values: "kubeProxy", ruleGroups: ["kubeProxy"] },
] as const;

/** A key of kube-prometheus-stack's values that switches one control-plane component's scraping. */
export type ControlPlaneComponent = (typeof CONTROL_PLANE_COMPONENTS)[number]["values"];
/** A `defaultRules.rules.*` group about a control-plane component. */
export type ControlPlaneRuleGroup = (typeof CONTROL_PLANE_COMPONENTS)[number]["ruleGroups"][number];

/**
 * Scraping of the control plane and the default rules about it, on together (`self-hosted`) or off
 * together (`managed`): `components` are top-level kube-prometheus-stack values
 * (`kubeEtcd: { enabled }`), `ruleGroups` go under `defaultRules.rules`. The chart already skips a
 * group whose component is off; naming both keeps the values saying what runs.
 */
export function controlPlaneSwitches(controlPlane: ControlPlane): {
  components: Record<ControlPlaneComponent, { enabled: boolean }>;
  ruleGroups: Record<ControlPlaneRuleGroup, boolean>;
} {
  const enabled = controlPlane === "self-hosted";
  return {
    components: Object.fromEntries(CONTROL_PLANE_COMPONENTS.map((c) => [c.values, { enabled }])) as Record<ControlPlaneComponent, { enabled: boolean }>,
    ruleGroups: Object.fromEntries(CONTROL_PLANE_COMPONENTS.flatMap((c) => c.ruleGroups.map((group) => [group, enabled]))) as Record<
      ControlPlaneRuleGroup,
      boolean
    >,
  };
}
