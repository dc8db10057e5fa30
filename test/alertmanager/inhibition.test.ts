import { buildAlertmanagerConfig, renderAlertmanagerYaml } from "../../alertmanager";
import { LocalAlertmanager, type ApiAlert } from "./alertmanager-process";
import { tempDir } from "./amtool";
import { alertingOf, SERVICES } from "./fixtures";

/**
 * Inhibition checked by a real Alertmanager 0.25 on loopback, fed the prod config: amtool cannot
 * evaluate inhibit rules offline. Alertmanager computes inhibition when the API lists alerts, once
 * the inhibitor has seen the source alerts, so the test polls until every alert is processed and
 * the expected sources are known.
 */
const dir = tempDir("alertmanager-inhibition-");
let am: LocalAlertmanager;

const alert = (alertname: string, service: string, team: string, severity: string, extra: Record<string, string> = {}) => ({
  alertname,
  service,
  team,
  severity,
  ...extra,
});

const ALERTS = {
  errorCritical: alert("ServiceHighErrorRate", "edge", "web", "critical"),
  errorWarning: alert("ServiceHighErrorRate", "edge", "web", "warning"),
  errorWarningOtherService: alert("ServiceHighErrorRate", "media", "media", "warning"),
  burnAvailabilityCritical: alert("SLOErrorBudgetBurn", "divan-api", "social", "critical", { slo: "availability" }),
  burnLatencyWarning: alert("SLOErrorBudgetBurn", "divan-api", "social", "warning", { slo: "latency" }),
  postgresDown: alert("PostgresDown", "core-api", "core", "critical", { dependency: "postgres-main" }),
  feedLatency: alert("ServiceHighLatencyP95", "feed", "growth", "warning"),
  workersBacklog: alert("QueueBacklogHigh", "workers", "data", "critical"),
  workersRedisDown: alert("RedisDown", "workers", "data", "critical", { dependency: "redis-main" }),
  notificationsErrors: alert("ServiceHighErrorRate", "notifications", "growth", "warning"),
  aiLatency: alert("ServiceHighLatencyP95", "ai-coach", "ai", "warning"),
  infoInhibitor: { alertname: "InfoInhibitor", namespace: "apps", severity: "none" },
  infoInApps: { alertname: "KubeletTooManyPods", namespace: "apps", severity: "info" },
  infoElsewhere: { alertname: "KubeletTooManyPods", namespace: "other", severity: "info" },
};
type Key = keyof typeof ALERTS;

let byKey: Record<Key, ApiAlert>;

beforeAll(async () => {
  const config = buildAlertmanagerConfig(alertingOf("prod"), SERVICES, { secretsDir: `${dir.path}/secrets` });
  am = await LocalAlertmanager.start(dir.write("alertmanager.yaml", renderAlertmanagerYaml(config)), `${dir.path}/data`);
  await am.post(Object.values(ALERTS));
  const same = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  // Inhibition shows once the sources are cached: wait until the alerts known to be muted are.
  await am.until(async () => {
    const alerts = await am.alerts();
    const find = (key: Key) => alerts.find((a) => same(a.labels, ALERTS[key]));
    const found = Object.fromEntries((Object.keys(ALERTS) as Key[]).map((k) => [k, find(k)]));
    if (Object.values(found).some((a) => a === undefined || a.status.state === "unprocessed")) return false;
    byKey = found as Record<Key, ApiAlert>;
    return (["errorWarning", "feedLatency", "aiLatency", "infoInApps"] as const).every((k) => byKey[k].status.state === "suppressed");
  }, "the expected inhibitions");
});

// Alertmanager writes its silences and notification log into data/ on SIGTERM: remove the folder
// only once the process has exited.
afterAll(async () => {
  await am?.stop();
  dir.remove();
});

const inhibitorsOf = (key: Key) => byKey[key].status.inhibitedBy;
const fingerprintOf = (key: Key) => byKey[key].fingerprint;

describe("inhibition by a real Alertmanager, prod config", () => {
  it("mutes a warning while the critical of the same alert and service fires", () => {
    expect(inhibitorsOf("errorWarning")).toEqual([fingerprintOf("errorCritical")]);
  });

  it("keeps the warning of the same alert for another service", () => {
    expect(byKey.errorWarningOtherService.status.state).toBe("active");
  });

  it("keeps a warning of another SLO of the same service", () => {
    expect(byKey.burnLatencyWarning.status.state).toBe("active");
  });

  it("mutes the alerts of services that depend on a database that is down", () => {
    expect(inhibitorsOf("feedLatency")).toEqual([fingerprintOf("postgresDown")]);
  });

  it("mutes the alerts of services that depend on a Redis that is down", () => {
    expect(inhibitorsOf("aiLatency")).toEqual([fingerprintOf("workersRedisDown")]);
    expect(inhibitorsOf("notificationsErrors")).toEqual([fingerprintOf("workersRedisDown")]);
  });

  it("mutes every alert of a service depending on it, critical ones too", () => {
    // Alertmanager reports the first inhibiting alert it finds; either dependency mutes the backlog.
    expect(byKey.workersBacklog.status.state).toBe("suppressed");
    expect([fingerprintOf("postgresDown"), fingerprintOf("workersRedisDown")]).toEqual(expect.arrayContaining([...inhibitorsOf("workersBacklog")]));
  });

  it("never mutes a dependency-down alert, which names the root cause", () => {
    expect(byKey.postgresDown.status.state).toBe("active");
    expect(byKey.workersRedisDown.status.state).toBe("active");
  });

  it("keeps the alerts of services that do not depend on what is down", () => {
    expect(byKey.errorCritical.status.state).toBe("active");
    expect(byKey.errorWarningOtherService.status.state).toBe("active");
  });

  it("mutes info alerts in the namespace of an InfoInhibitor, not elsewhere", () => {
    expect(inhibitorsOf("infoInApps")).toEqual([fingerprintOf("infoInhibitor")]);
    expect(byKey.infoElsewhere.status.state).toBe("active");
  });
});
