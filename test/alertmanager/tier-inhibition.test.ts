/**
 * Inhibition of overridden alerts and threshold tiers, by a real Alertmanager on loopback fed the
 * prod config: a tier's critical mutes its own warning only, and workers' q_import backlog, paged
 * by its override, mutes no other queue's backlog ticket.
 */
import { buildAlertmanagerConfig, renderAlertmanagerYaml } from "../../alertmanager";
import { LocalAlertmanager, type ApiAlert } from "./alertmanager-process";
import { tempDir } from "./amtool";
import { alertingOf, SERVICES } from "./fixtures";

const dir = tempDir("alertmanager-tiers-");
let am: LocalAlertmanager;

const tier = (threshold: string, severity: string) => ({
  alertname: "HttpErrorRateThresholdExceeded",
  service: "ai-coach",
  team: "ai",
  severity,
  threshold,
});
const backlog = (queue: string, severity: string) => ({ alertname: "QueueBacklogHigh", service: "workers", team: "data", severity, queue });

const ALERTS = {
  tierCritical: tier("ai-errors", "critical"),
  tierWarning: tier("ai-errors", "warning"),
  otherTierWarning: tier("endpoint-errors", "warning"),
  importBacklog: backlog("q_import", "critical"),
  scoreBacklog: backlog("q_score", "warning"),
};
type Key = keyof typeof ALERTS;
let byKey: Record<Key, ApiAlert>;

beforeAll(async () => {
  const config = buildAlertmanagerConfig(alertingOf("prod"), SERVICES, { secretsDir: `${dir.path}/secrets` });
  am = await LocalAlertmanager.start(dir.write("alertmanager.yaml", renderAlertmanagerYaml(config)), `${dir.path}/data`);
  await am.post(Object.values(ALERTS));
  const same = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  await am.until(async () => {
    const alerts = await am.alerts();
    const found = Object.fromEntries((Object.keys(ALERTS) as Key[]).map((k) => [k, alerts.find((a) => same(a.labels, ALERTS[k]))]));
    if (Object.values(found).some((a) => a === undefined || a.status.state === "unprocessed")) return false;
    byKey = found as Record<Key, ApiAlert>;
    return byKey.tierWarning.status.state === "suppressed";
  }, "the tier's warning muted");
});

afterAll(async () => {
  await am?.stop();
  dir.remove();
});

describe("inhibition of tiers and overridden alerts, prod config", () => {
  it("mutes a tier's warning while its critical fires", () => {
    expect(byKey.tierWarning.status.inhibitedBy).toEqual([byKey.tierCritical.fingerprint]);
  });

  it("keeps the warning of another tier of the same service", () => {
    expect(byKey.otherTierWarning.status.state).toBe("active");
  });

  it("keeps another queue's backlog ticket while q_import's backlog pages", () => {
    expect(byKey.importBacklog.status.state).toBe("active");
    expect(byKey.scoreBacklog.status.state).toBe("active");
  });
});
