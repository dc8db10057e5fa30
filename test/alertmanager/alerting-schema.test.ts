import { alertingProfileSchema, DEFAULT_SEVERITY_POLICIES } from "../../environments/alerting-schema";
import { formatIssues } from "../../model/validation-error";
import { TEAMS } from "../../model/teams";
import { alertingCopy, alertingOf, PROFILE_NAMES } from "./fixtures";

/** The problems `parseProfile` would list for this alerting input, paths relative to `alerting`. */
function problemsOf(input: unknown): string[] {
  const parsed = alertingProfileSchema.safeParse(input, { reportInput: true });
  return parsed.success ? [] : formatIssues(parsed.error.issues, { input });
}

const NOT_A_TEAM = `must be a declared team (${TEAMS.join(", ")}; declared in model/teams.ts)`;

const SECRET_HINT = /secret values never go in the profile: store the value in the Kubernetes Secret named by alerting\.secretName/;

describe("alerting profile schema", () => {
  it.each(PROFILE_NAMES)("accepts the shipped %s profile, with receivers for every declared team", (name) => {
    const alerting = alertingOf(name);
    expect(Object.keys(alerting.teams).sort()).toEqual([...TEAMS].sort());
    expect(alerting.defaultTeam).toBe("platform");
  });

  it("applies the documented defaults", () => {
    const alerting = alertingOf("dev");
    expect(alerting.severityPolicies).toEqual(DEFAULT_SEVERITY_POLICIES);
    expect(alerting.muteTimings).toEqual([]);
    expect(alerting.receivers["obs-dev"]).toMatchObject({ sendResolved: true });
  });

  describe("inline secrets", () => {
    it.each([
      ["a Slack webhook URL", "obs-dev", "apiUrl", "https://hooks.slack.com/services/T000/B000/XXXXXXXX"],
      ["a PagerDuty routing key", "obs-dev", "routingKey", "abc"],
      ["a password", "obs-dev", "password", "x"],
      ["a bearer token", "deadmans-switch", "bearerToken", "s3cr3t"],
      ["an Alertmanager-style api_url", "obs-dev", "api_url", "https://example.com/hook"],
    ])("fails when a receiver gives %s inline, naming the path and never echoing the value", (_what, receiver, key, value) => {
      const input = alertingCopy("dev");
      input.receivers[receiver][key] = value;
      const problems = problemsOf(input);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^receivers\\.${receiver}\\.${key} secret values never go in the profile`));
      expect(problems[0]).toMatch(SECRET_HINT);
      expect(problems[0]).toMatch(/, got "\[redacted\]"$/);
      expect(problems.join("\n")).not.toContain(value);
    });

    it("reports every inline secret at once", () => {
      const input = alertingCopy("prod");
      input.receivers["core-pager"].routingKey = "abc";
      input.receivers["data-ticket"].authPassword = "x";
      expect(problemsOf(input).map((p) => p.split(" ")[0])).toEqual(["receivers.core-pager.routingKey", "receivers.data-ticket.authPassword"]);
    });

    it("fails when a Slack webhook URL hides under an innocent key", () => {
      const input = alertingCopy("dev");
      input.receivers["obs-dev"].channel = "https://hooks.slack.com/services/T000/B000/XXXXXXXX";
      expect(problemsOf(input)).toEqual([
        'receivers.obs-dev.channel looks like a secret value: put it in the Secret named by secretName and reference its key, got "[redacted]"',
      ]);
    });

    it.each([
      ["a token in the query", "https://deadman.example.com/ping?token=abc"],
      ["user info", "https://user:pass@deadman.example.com/ping"],
      ["a UUID path segment", "https://hc-ping.com/8a7f2b9e-3c1d-4e5f-9a0b-1c2d3e4f5a6b"],
      ["a random path segment", "https://deadman.example.com/ping/AbC123dEf456GhI789jKl0"],
    ])("fails when a webhook URL carries a credential (%s)", (_what, url) => {
      const input = alertingCopy("dev");
      input.receivers["deadmans-switch"].url = url;
      const problems = problemsOf(input);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^receivers\.deadmans-switch\.url must not carry a credential .* authenticate with bearerTokenKey/);
      expect(problems[0]).not.toContain(url);
    });

    it("is reported with the alerting. prefix by the profile parser", async () => {
      const { parseProfile, PROFILE_INPUTS } = await import("../../environments");
      const profile: any = structuredClone(PROFILE_INPUTS.dev);
      profile.alerting.receivers["obs-dev"].apiUrl = "https://hooks.slack.com/services/T000/B000/XXXXXXXX";
      expect(() => parseProfile(profile, "dev")).toThrow(
        /- alerting\.receivers\.obs-dev\.apiUrl secret values never go in the profile.*, got "\[redacted\]" \(environment "dev"\)/,
      );
    });
  });

  describe("teams", () => {
    it("fails when a declared team has no receivers, naming the team", () => {
      const input = alertingCopy("prod");
      delete input.teams.growth;
      expect(problemsOf(input)).toEqual([
        "teams.growth must have receivers: every team declared in model/teams.ts needs a pager and a ticket receiver, got nothing",
      ]);
    });

    it("fails when a team is not declared, naming the declared teams", () => {
      const input = alertingCopy("dev");
      input.teams.finance = { pager: "obs-dev", ticket: "obs-dev" };
      expect(problemsOf(input)).toEqual([`teams.finance ${NOT_A_TEAM}, got "finance"`]);
    });

    it("lists a missing and an unknown team at once, with the profile's name, through the profile parser", async () => {
      const { parseProfile, PROFILE_INPUTS } = await import("../../environments");
      const profile: any = structuredClone(PROFILE_INPUTS.dev);
      delete profile.alerting.teams.media;
      profile.alerting.teams.finance = { pager: "obs-dev", ticket: "obs-dev" };
      expect(() => parseProfile(profile, "dev")).toThrow(
        'invalid environment profile "dev":\n' +
          '  - alerting.teams.media must have receivers: every team declared in model/teams.ts needs a pager and a ticket receiver, got nothing (environment "dev")\n' +
          `  - alerting.teams.finance ${NOT_A_TEAM}, got "finance" (environment "dev")`,
      );
    });
  });

  describe("cross references", () => {
    it("fails when a team names a receiver that does not exist", () => {
      const input = alertingCopy("prod");
      input.teams.core.pager = "core-pagerr";
      expect(problemsOf(input)).toContain("teams.core.pager names no receiver (receivers: " + Object.keys(input.receivers).join(", ") + '), got "core-pagerr"');
    });

    it("fails when the dead man's switch is a team's receiver", () => {
      const input = alertingCopy("dev");
      input.deadMansSwitch = "obs-dev";
      expect(problemsOf(input)).toEqual([
        'deadMansSwitch must not be a team\'s receiver: the Watchdog notifies it every minute, got "obs-dev"',
        'receivers.deadmans-switch is not used by any team nor by deadMansSwitch, got "deadmans-switch"',
      ]);
    });

    it("fails when the default team is not a declared team", () => {
      const input = alertingCopy("dev");
      input.defaultTeam = "sre";
      expect(problemsOf(input)).toEqual([`defaultTeam ${NOT_A_TEAM}, got "sre"`]);
    });

    it("fails when a mute timing names a team that is not declared", () => {
      const input = alertingCopy("staging");
      input.muteTimings[0].teams = ["nobody"];
      expect(problemsOf(input)).toEqual([`muteTimings[0].teams[0] ${NOT_A_TEAM}, got "nobody"`]);
    });

    it('fails when a receiver is called "null"', () => {
      const input = alertingCopy("dev");
      input.receivers.null = input.receivers["obs-dev"];
      expect(problemsOf(input)).toContain('receivers.null is reserved: "null" is the receiver that drops info alerts, got "null"');
    });
  });

  describe("receivers and timings", () => {
    it("fails when an email receiver has a user name but no password key", () => {
      const input = alertingCopy("prod");
      delete input.receivers["data-ticket"].authPasswordKey;
      expect(problemsOf(input)).toHaveLength(1);
      expect(problemsOf(input)[0]).toMatch(/^receivers\.data-ticket\.authPasswordKey authUsername and authPasswordKey go together/);
    });

    it("fails when a Slack channel is not a channel", () => {
      const input = alertingCopy("dev");
      input.receivers["obs-dev"].channel = "obs dev";
      expect(problemsOf(input)).toEqual(['receivers.obs-dev.channel must be a Slack channel such as #obs-dev, got "obs dev"']);
    });

    it("fails when a mute timing ends before it starts or names an unknown time zone", () => {
      const input = alertingCopy("staging");
      input.muteTimings[0].timeIntervals[0].times[0] = { startTime: "22:00", endTime: "06:00" };
      input.muteTimings[0].timeIntervals[0].location = "Mars/Olympus";
      expect(problemsOf(input)).toEqual([
        'muteTimings[0].timeIntervals[0].times[0].endTime startTime must be before endTime, got "06:00"',
        'muteTimings[0].timeIntervals[0].location must be an IANA time zone such as Europe/Berlin, got "Mars/Olympus"',
      ]);
    });

    it("fails when a severity policy's duration is not a duration", () => {
      const input = alertingCopy("dev");
      input.severityPolicies = { ...DEFAULT_SEVERITY_POLICIES, warning: { ...DEFAULT_SEVERITY_POLICIES.warning, repeatInterval: "12 hours" } };
      expect(problemsOf(input)).toEqual(['severityPolicies.warning.repeatInterval must be a duration such as 30s, 5m, 1h30m, 2d, got "12 hours"']);
    });

    it("fails when a receiver type is unknown", () => {
      const input = alertingCopy("dev");
      input.receivers["obs-dev"] = { type: "teams", channel: "#x" };
      expect(problemsOf(input)[0]).toMatch(/^receivers\.obs-dev\.type must be one of slack, pagerduty, webhook, email, got "teams"$/);
    });
  });
});
