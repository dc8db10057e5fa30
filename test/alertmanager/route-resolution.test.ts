import { buildAlertmanagerConfig, renderAlertmanagerYaml } from "../../alertmanager";
import { matchesMatcher, resolveReceivers } from "../../alertmanager/route-resolution";
import { TEAMS } from "../../model/teams";
import { routeReceivers, tempDir } from "./amtool";
import { alertingOf, PROFILE_NAMES, SERVICES } from "./fixtures";

const dir = tempDir("route-resolution-");
afterAll(() => dir.remove());

/** Label sets covering every branch of the tree: each team and severity, Watchdog, no team. */
const LABEL_SETS: Record<string, string>[] = [
  ...TEAMS.flatMap((team) => ["critical", "warning", "info", "none"].map((severity) => ({ alertname: "ServiceHighErrorRate", service: "x", team, severity }))),
  { alertname: "Watchdog", severity: "none" },
  { alertname: "InfoInhibitor", severity: "none" },
  { alertname: "KubePodCrashLooping", severity: "critical" },
  { alertname: "X", team: "no-such-team", severity: "warning" },
];

describe("route resolution used by synth-time checks", () => {
  it.each(PROFILE_NAMES)("%s: agrees with amtool config routes test on every branch", (name) => {
    const config = buildAlertmanagerConfig(alertingOf(name), SERVICES, { secretsDir: `${dir.path}/secrets` });
    const file = dir.write(`${name}.yaml`, renderAlertmanagerYaml(config));
    for (const labels of LABEL_SETS) {
      expect({ labels, receivers: resolveReceivers(config.route, labels) }).toEqual({ labels, receivers: routeReceivers(file, labels) });
    }
  });

  it("matches the four matcher operators, with escaped quotes", () => {
    const labels = { team: "web", alertname: 'say "hi"' };
    expect(matchesMatcher('team="web"', labels)).toBe(true);
    expect(matchesMatcher('team!="web"', labels)).toBe(false);
    expect(matchesMatcher('team=~"we.|core"', labels)).toBe(true);
    expect(matchesMatcher('team!~"w"', labels)).toBe(true);
    expect(matchesMatcher('alertname="say \\"hi\\""', labels)).toBe(true);
    expect(matchesMatcher('missing=""', labels)).toBe(true);
  });

  it("fails on a matcher it cannot read, showing it", () => {
    expect(() => matchesMatcher("team=web", {})).toThrow(/matcher must look like name="value" .*got "team=web"/);
  });
});
