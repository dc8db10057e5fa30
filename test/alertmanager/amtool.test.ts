import { buildAlertmanagerConfig, NULL_RECEIVER, renderAlertmanagerYaml } from "../../alertmanager";
import { SLACK_TEXT, TITLE } from "../../alertmanager/notification-templates";
import { TEAMS } from "../../model/teams";
import { amtool, routeReceivers, tempDir, verifyRoute } from "./amtool";
import { alertingOf, PROFILE_NAMES, SERVICES, type ProfileName } from "./fixtures";

const dir = tempDir("alertmanager-config-");
const configFiles = new Map<ProfileName, string>();

beforeAll(() => {
  for (const name of PROFILE_NAMES) {
    const config = buildAlertmanagerConfig(alertingOf(name), SERVICES, { secretsDir: `${dir.path}/secrets` });
    configFiles.set(name, dir.write(`${name}.yaml`, renderAlertmanagerYaml(config)));
  }
});
afterAll(() => dir.remove());

const fileOf = (name: ProfileName) => configFiles.get(name)!;

describe.each(PROFILE_NAMES)("the %s Alertmanager config, checked by amtool 0.25", (name) => {
  it("passes amtool check-config", () => {
    const run = amtool(["check-config", fileOf(name)]);
    expect(`${run.stdout}${run.stderr}`).toContain("SUCCESS");
    expect(run.status).toBe(0);
  });

  const alerting = () => alertingOf(name);

  it.each(TEAMS)("routes team %s: critical to its pager, warning to its ticket receiver, info to null", (team) => {
    const { pager, ticket } = alerting().teams[team];
    expect(routeReceivers(fileOf(name), { alertname: "ServiceHighErrorRate", team, service: "x", severity: "critical" })).toEqual([pager]);
    expect(routeReceivers(fileOf(name), { alertname: "ServiceHighErrorRate", team, service: "x", severity: "warning" })).toEqual([ticket]);
    expect(routeReceivers(fileOf(name), { alertname: "ServiceHighErrorRate", team, service: "x", severity: "info" })).toEqual([NULL_RECEIVER]);
  });

  it("routes Watchdog to the dead man's switch, whatever its other labels", () => {
    const dms = alerting().deadMansSwitch;
    expect(verifyRoute(fileOf(name), dms, { alertname: "Watchdog", severity: "none" }).status).toBe(0);
    expect(verifyRoute(fileOf(name), dms, { alertname: "Watchdog", severity: "critical", team: "core" }).status).toBe(0);
  });

  it("routes InfoInhibitor to the null receiver", () => {
    expect(verifyRoute(fileOf(name), NULL_RECEIVER, { alertname: "InfoInhibitor", severity: "none" }).status).toBe(0);
  });

  it("routes alerts without a known team to the default team", () => {
    const platform = alerting().teams.platform!;
    expect(routeReceivers(fileOf(name), { alertname: "KubePodCrashLooping", namespace: "kube-system", severity: "critical" })).toEqual([platform.pager]);
    expect(routeReceivers(fileOf(name), { alertname: "X", team: "no-such-team", severity: "warning" })).toEqual([platform.ticket]);
    expect(routeReceivers(fileOf(name), { alertname: "X", severity: "none" })).toEqual([platform.ticket]);
  });

  it("routes a team's alert of an unknown severity to its ticket receiver", () => {
    expect(routeReceivers(fileOf(name), { alertname: "X", team: "media", severity: "none" })).toEqual([alerting().teams.media!.ticket]);
  });
});

describe("routing of the shipped profiles, by expected receiver name", () => {
  it.each([
    ["prod", { team: "core", severity: "critical" }, "core-pager"],
    ["prod", { team: "core", severity: "warning" }, "core-ticket"],
    ["prod", { team: "data", severity: "warning" }, "data-ticket"],
    ["prod", { team: "growth", severity: "info" }, "null"],
    ["prod", { alertname: "Watchdog" }, "deadmans-switch"],
    ["staging", { team: "web", severity: "critical" }, "web-staging"],
    ["staging", { team: "web", severity: "warning" }, "web-staging"],
    ["dev", { team: "ai", severity: "critical" }, "obs-dev"],
    ["dev", { team: "social", severity: "warning" }, "obs-dev"],
    ["local", { team: "platform", severity: "critical" }, "local-sink"],
    ["local", { alertname: "Watchdog" }, "local-heartbeat"],
  ] as const)("%s: %o reaches %s", (name, labels, receiver) => {
    const run = verifyRoute(fileOf(name), receiver, { alertname: "ServiceHighErrorRate", ...labels });
    expect(run.status).toBe(0);
  });

  it("fails verification when the receiver is wrong (the check has teeth)", () => {
    expect(verifyRoute(fileOf("prod"), "core-ticket", { alertname: "X", team: "core", severity: "critical" }).status).not.toBe(0);
  });
});

describe("notification templates", () => {
  const data = {
    receiver: "core-ticket",
    status: "firing",
    alerts: [
      {
        status: "firing",
        labels: { alertname: "ServiceHighErrorRate", service: "core-api", severity: "warning" },
        annotations: { summary: "core-api 5xx above 5%", description: "7% of requests fail", runbook_url: "https://rb/ServiceHighErrorRate.md" },
        startsAt: "2025-01-01T00:00:00Z",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus/graph",
        fingerprint: "1",
      },
    ],
    groupLabels: { alertname: "ServiceHighErrorRate" },
    commonLabels: { alertname: "ServiceHighErrorRate", service: "core-api", severity: "warning" },
    commonAnnotations: { summary: "core-api 5xx above 5%", runbook_url: "https://rb/ServiceHighErrorRate.md" },
    externalURL: "http://alertmanager",
  };
  const render = (text: string) => {
    const files = tempDir("alertmanager-template-");
    try {
      const glob = files.write("empty.tmpl", "");
      const dataFile = files.write("data.json", JSON.stringify(data));
      return amtool(["template", "render", `--template.glob=${glob}`, `--template.text=${text}`, `--template.data=${dataFile}`]);
    } finally {
      files.remove();
    }
  };

  it("renders the title with status, count, alert and service", () => {
    const run = render(TITLE);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("[FIRING:1] ServiceHighErrorRate · core-api");
  });

  it("renders the Slack text with summary, description and runbook", () => {
    const run = render(SLACK_TEXT);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("*warning* core-api 5xx above 5%\n7% of requests fail\n");
    expect(run.stdout).toContain("Runbook: https://rb/ServiceHighErrorRate.md");
  });
});
