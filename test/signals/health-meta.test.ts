import { parseServiceSpec } from "../../signals/service-spec";
import { PLATFORM_OWNER } from "../../signals/meta/rules";
import { healthRuleGroups } from "../../signals/health/rules";
import { metaRuleGroup } from "../../signals/meta/rules";
import { CTX } from "../support/context";

describe("health alerts", () => {
  const service = parseServiceSpec({ name: "feed", team: "social", namespace: "feed", probes: { readinessUrl: "http://feed.feed.svc:8080/health/ready" } });
  const rules = healthRuleGroups(service, service.probes, CTX)[0]!.rules;

  it("alerts on the readiness probe failing for 2m, the scrape missing for 5m and restarts over 3 in 15m", () => {
    expect(rules.map((r) => ("alert" in r ? [r.alert, r.expr, r.for, r.labels.severity] : []))).toEqual([
      ["ReadinessProbeFailing", 'max by (instance) (probe_success{instance="http://feed.feed.svc:8080/health/ready"}) == 0', "2m", "critical"],
      ["TargetScrapeMissing", 'max by (job, instance) (up{job="feed"}) == 0\nor\nabsent(up{job="feed"})', "5m", "warning"],
      [
        "PodRestartingFrequently",
        'sum by (namespace, pod) (kube_pod_container_status_restarts_total{namespace="feed",pod=~"feed-.*"} - kube_pod_container_status_restarts_total{namespace="feed",pod=~"feed-.*"} offset 15m) > 3',
        undefined,
        "warning",
      ],
    ]);
  });

  it("has no readiness alert without a readiness URL", () => {
    const bare = parseServiceSpec({ name: "feed", team: "social", namespace: "feed" });
    expect(healthRuleGroups(bare, bare.probes, CTX)[0]!.rules.map((r) => ("alert" in r ? r.alert : ""))).toEqual([
      "TargetScrapeMissing",
      "PodRestartingFrequently",
    ]);
  });
});

describe("meta alerts", () => {
  const [watchdog, inhibitor] = metaRuleGroup(CTX).rules;

  it("has an always-firing Watchdog owned by the platform", () => {
    expect(watchdog).toEqual({
      alert: "Watchdog",
      expr: "vector(1)",
      labels: { service: "observability-stack", severity: "none", team: "platform" },
      annotations: {
        summary: "Alerting pipeline heartbeat (always firing)",
        description:
          "This alert always fires in environment dev. The dead man's switch receiver expects it every minute; its silence means Prometheus, Alertmanager or the path between them is broken.",
        runbook_url: "https://runbooks.example.com/observability/Watchdog.md",
      },
    });
    expect(PLATFORM_OWNER).toEqual({ service: "observability-stack", team: "platform" });
  });

  it("has an InfoInhibitor firing per namespace where only info alerts fire", () => {
    expect(inhibitor).toMatchObject({
      alert: "InfoInhibitor",
      expr:
        'count by (namespace) (ALERTS{severity="info",alertstate="firing"})\nunless on (namespace)\n' +
        'count by (namespace) (ALERTS{alertname!="InfoInhibitor",severity=~"warning|critical",alertstate="firing"})',
      labels: { service: "observability-stack", severity: "none", team: "platform" },
    });
  });
});
