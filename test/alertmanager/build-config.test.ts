import { parse } from "yaml";
import { ALERTMANAGER_SECRET_MOUNT_DIR, buildAlertmanagerConfig, renderAlertmanagerYaml, WATCHDOG_TIMING, type Route } from "../../alertmanager";
import { alertingProfileSchema, DEFAULT_SEVERITY_POLICIES } from "../../environments/alerting-schema";
import { TEAMS } from "../../model/teams";
import { alertingCopy, alertingOf, SERVICES } from "./fixtures";

const prod = () => buildAlertmanagerConfig(alertingOf("prod"), SERVICES);

/** The child route of the root that matches `matcher`. */
function childWith(route: Route, matcher: string): Route {
  const child = route.routes?.find((r) => r.matchers?.includes(matcher));
  if (!child) throw new Error(`no route with ${matcher}`);
  return child;
}

describe("buildAlertmanagerConfig: routes", () => {
  it("sends Watchdog first, to the dead man's switch, every minute", () => {
    const [first] = prod().route.routes!;
    expect(first).toEqual({ receiver: "deadmans-switch", matchers: ['alertname="Watchdog"'], group_by: ["alertname"], ...WATCHDOG_TIMING });
  });

  it("drops InfoInhibitor and info alerts into the null receiver before any team route", () => {
    const routes = prod().route.routes!;
    expect(routes[1]).toEqual({ receiver: "null", matchers: ['alertname="InfoInhibitor"'] });
    expect(routes[2]).toMatchObject({ receiver: "null", matchers: ['severity="info"'], repeat_interval: DEFAULT_SEVERITY_POLICIES.info.repeatInterval });
  });

  it("routes each team by severity, with each severity's grouping and timing", () => {
    const core = childWith(prod().route, 'team="core"');
    expect(core).toEqual({
      receiver: "core-ticket",
      matchers: ['team="core"'],
      routes: [
        {
          receiver: "core-pager",
          matchers: ['severity="critical"'],
          group_by: ["alertname", "namespace", "service"],
          group_wait: "30s",
          group_interval: "5m",
          repeat_interval: "4h",
        },
        {
          receiver: "core-ticket",
          matchers: ['severity="warning"'],
          group_by: ["alertname", "namespace", "service"],
          group_wait: "1m",
          group_interval: "10m",
          repeat_interval: "12h",
        },
      ],
    });
  });

  it("orders team routes by name and ends with the default team's severity routes", () => {
    const routes = prod().route.routes!;
    const teamRoutes = routes.slice(3, 3 + TEAMS.length);
    expect(teamRoutes.map((r) => r.matchers)).toEqual([...TEAMS].sort().map((t) => [`team="${t}"`]));
    expect(routes.slice(3 + TEAMS.length).map((r) => [r.receiver, r.matchers])).toEqual([
      ["platform-pager", ['severity="critical"']],
      ["platform-ticket", ['severity="warning"']],
    ]);
    expect(prod().route.receiver).toBe("platform-ticket");
  });

  it("sets every key of the chart's default route, so Helm's merge adds nothing", () => {
    expect(Object.keys(prod().route)).toEqual(["receiver", "group_by", "group_wait", "group_interval", "repeat_interval", "routes"]);
    expect(prod()).toMatchObject({ global: { resolve_timeout: "5m" }, templates: [] });
  });

  it("applies the profile's severity policies", () => {
    const input = alertingCopy("dev");
    input.severityPolicies = {
      ...DEFAULT_SEVERITY_POLICIES,
      critical: { groupBy: ["alertname"], groupWait: "10s", groupInterval: "1m", repeatInterval: "1h" },
    };
    const config = buildAlertmanagerConfig(alertingProfileSchema.parse(input), SERVICES);
    expect(childWith(childWith(config.route, 'team="web"'), 'severity="critical"')).toMatchObject({
      group_by: ["alertname"],
      group_wait: "10s",
      group_interval: "1m",
      repeat_interval: "1h",
    });
  });

  it("mutes staging warnings at night, never critical alerts", () => {
    const config = buildAlertmanagerConfig(alertingOf("staging"), SERVICES);
    const web = childWith(config.route, 'team="web"');
    expect(childWith(web, 'severity="warning"').mute_time_intervals).toEqual(["staging-nights"]);
    expect(childWith(web, 'severity="critical"').mute_time_intervals).toBeUndefined();
    expect(config.time_intervals).toEqual([
      {
        name: "staging-nights",
        time_intervals: [
          {
            times: [
              { start_time: "20:00", end_time: "24:00" },
              { start_time: "00:00", end_time: "08:00" },
            ],
            location: "Europe/Berlin",
          },
        ],
      },
    ]);
  });

  it("limits a mute timing to the teams it names", () => {
    const input = alertingCopy("staging");
    input.muteTimings[0].teams = ["data"];
    const config = buildAlertmanagerConfig(alertingProfileSchema.parse(input), SERVICES);
    expect(childWith(childWith(config.route, 'team="data"'), 'severity="warning"').mute_time_intervals).toEqual(["staging-nights"]);
    expect(childWith(childWith(config.route, 'team="web"'), 'severity="warning"').mute_time_intervals).toBeUndefined();
  });
});

describe("buildAlertmanagerConfig: inhibition", () => {
  it("keeps kube-prometheus-stack's severity and InfoInhibitor rules", () => {
    // The chart's identity labels, then each kind's in registry order (http: route, slo, stores: dependency, queue, canary: canary).
    const identity = ["alertname", "namespace", "service", "route", "threshold", "slo", "dependency", "queue", "canary"];
    expect(prod().inhibit_rules.slice(0, 4)).toEqual([
      { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: identity },
      { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: identity },
      { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ["namespace"] },
      { target_matchers: ['alertname="InfoInhibitor"'] },
    ]);
  });

  it("generates one rule per dependency, muting the services that declare it", () => {
    const byDependency = prod().inhibit_rules.slice(4);
    expect(byDependency).toEqual(
      [
        ["divan-postgres", "divan-api"],
        ["divan-redis", "divan-api"],
        ["postgres-main", "core-api|feed|workers"],
        ["redis-main", "ai-coach|core-api|notifications|workers"],
      ].map(([dependency, services]) => ({
        source_matchers: ['alertname=~"PostgresDown|RedisDown"', `dependency="${dependency}"`],
        target_matchers: [`service=~"${services}"`, 'alertname!~"PostgresDown|RedisDown"'],
      })),
    );
  });

  it("escapes regex characters in service names and quotes in matcher values", () => {
    const config = buildAlertmanagerConfig(alertingOf("dev"), [{ name: 'odd.svc"x', team: "core", dependencies: ["db"] }]);
    expect(config.inhibit_rules.at(-1)!.target_matchers[0]).toBe('service=~"odd\\\\.svc\\"x"');
  });

  it("generates no dependency rule for services without dependencies", () => {
    expect(buildAlertmanagerConfig(alertingOf("dev"), [{ name: "edge", team: "web", dependencies: [] }]).inhibit_rules).toHaveLength(4);
  });
});

describe("buildAlertmanagerConfig: receivers", () => {
  it("puts the null receiver first, then the profile's receivers by name", () => {
    expect(buildAlertmanagerConfig(alertingOf("dev"), SERVICES).receivers.map((r) => r.name)).toEqual(["null", "deadmans-switch", "obs-dev"]);
  });

  it("reads every credential from the mounted Secret", () => {
    const receivers = prod().receivers;
    const byName = (name: string) => receivers.find((r) => r.name === name)!;
    const secret = `${ALERTMANAGER_SECRET_MOUNT_DIR}/alertmanager-receivers`;
    expect(byName("core-pager").pagerduty_configs![0]).toMatchObject({ routing_key_file: `${secret}/pagerduty-core-routing-key`, send_resolved: true });
    expect(byName("core-ticket").slack_configs![0]).toMatchObject({ api_url_file: `${secret}/slack-core-alerts-webhook-url`, channel: "#core-alerts" });
    expect(byName("data-ticket").email_configs![0]).toEqual({
      send_resolved: false,
      to: "data-oncall@example.com",
      from: "alertmanager@example.com",
      smarthost: "smtp.example.com:587",
      require_tls: true,
      auth_username: "alertmanager@example.com",
      auth_password_file: `${secret}/smtp-password`,
    });
    expect(byName("deadmans-switch").webhook_configs![0]).toEqual({
      send_resolved: true,
      url: "https://deadman.example.com/api/v1/heartbeat/obs-prod",
      http_config: { authorization: { type: "Bearer", credentials_file: `${secret}/deadmans-switch-token` } },
    });
  });

  it("takes the mount directory as an option", () => {
    const config = buildAlertmanagerConfig(alertingOf("dev"), SERVICES, { secretsDir: "/tmp/secrets/" });
    expect(config.receivers.find((r) => r.name === "obs-dev")!.slack_configs![0]!.api_url_file).toBe(
      "/tmp/secrets/alertmanager-receivers/slack-obs-dev-webhook-url",
    );
  });
});

describe("buildAlertmanagerConfig: validation", () => {
  it("fails when a service's team has no receivers", () => {
    expect(() => buildAlertmanagerConfig(alertingOf("prod"), [...SERVICES, { name: "billing", team: "finance", dependencies: [] }])).toThrow(
      `team of service "billing" must have receivers in alerting.teams, got "finance" (teams with receivers: ${[...TEAMS].sort().join(", ")})`,
    );
  });

  it("fails when two services share a name", () => {
    expect(() => buildAlertmanagerConfig(alertingOf("dev"), [SERVICES[0]!, SERVICES[0]!])).toThrow(/service names must be unique, got "divan-api" twice/);
  });
});

describe("renderAlertmanagerYaml", () => {
  it("is deterministic and independent of the catalog's order", () => {
    const reversed = buildAlertmanagerConfig(alertingOf("prod"), [...SERVICES].reverse());
    expect(renderAlertmanagerYaml(reversed)).toBe(renderAlertmanagerYaml(prod()));
  });

  it("round-trips, without anchors, with clock times quoted for Go's YAML 1.1 parser", () => {
    const config = buildAlertmanagerConfig(alertingOf("staging"), SERVICES);
    const yaml = renderAlertmanagerYaml(config);
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(config)));
    expect(yaml).not.toMatch(/[&*]a\d/);
    expect(yaml).toContain('start_time: "20:00"');
    expect(yaml).toContain('- name: "null"');
  });
});
