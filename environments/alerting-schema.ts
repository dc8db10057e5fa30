import { z } from "zod";
import { SEVERITIES, type Severity } from "../model/severity";
import { teamName } from "../model/teams";
import { secretKey } from "./primitives";
import { durationSchema, positiveDurationSchema } from "../model/duration";
import { httpUrlSyntax, KUBERNETES_NAME_PATTERN, labelName, REDACTED } from "../model/schema-primitives";

/**
 * Alerting part of an environment profile: named receivers, which receivers page and which open
 * tickets for each team, the dead man's switch, per-severity grouping and timing, mute timings.
 *
 * Secrets never appear here. A receiver names a key of the Kubernetes Secret `secretName`; that
 * Secret is mounted into Alertmanager at `/etc/alertmanager/secrets/<secretName>/<key>` and the
 * generated config reads it through a `*_file` field. Keys that look like inline secrets
 * (`apiUrl`, `routingKey`, `password`, `token`, ...) are rejected with their path, never echoed.
 */

/** The keys of a receiver that name a Secret key; the only secret-sounding keys a profile may use. */
const SECRET_REFERENCE_KEYS = ["secretName", "apiUrlKey", "routingKeyKey", "authPasswordKey", "bearerTokenKey"];

/** Key names (lowercased, `-`/`_` removed) that hold a secret value when written inline. */
const SECRET_LIKE_KEY = /password|passwd|secret|token|apikey|apiurl|routingkey|servicekey|integrationkey|credential|authorization|webhookurl|privatekey/;

/** Values that are secrets whatever key they sit under: Slack webhook URLs and Slack tokens. */
const SECRET_LIKE_VALUE = /hooks\.slack\.com\/services\/|^xox[abprs]-/;

/** A receiver or mute timing name; receiver names become Alertmanager receiver names as written. */
const name = z.string().regex(KUBERNETES_NAME_PATTERN, "must be lowercase letters, digits and '-' (at most 63)");

/** Receivers are named by the profile, except `null`: the receiver that drops info alerts. */
const NULL_RECEIVER_NAME = "null";

/** Whether one URL path segment looks like an embedded token (a UUID or a long random string). */
function looksLikeToken(segment: string): boolean {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment)) return true;
  return segment.length >= 20 && /^[A-Za-z0-9_-]+$/.test(segment) && /\d/.test(segment) && /[A-Za-z]/.test(segment);
}

/**
 * A webhook URL that is safe to commit: Alertmanager 0.25 has no webhook `url_file`, so the URL is
 * written into the config and must not carry a credential (userinfo, query string or token-like
 * path segment). Authenticate with `bearerTokenKey` instead.
 */
const webhookUrl = httpUrlSyntax.superRefine((value, ctx) => {
  // A value that is no URL at all is reported by httpUrlSyntax.
  if (!URL.canParse(value)) return;
  const url = new URL(value);
  const segments = url.pathname.split("/").filter((s) => s !== "");
  if (url.username !== "" || url.password !== "" || url.search !== "" || segments.some(looksLikeToken)) {
    ctx.addIssue({
      code: "custom",
      input: REDACTED,
      message:
        "must not carry a credential (user:password@, query string or a token-like path segment): Alertmanager 0.25 " +
        "writes webhook URLs into its config, so authenticate with bearerTokenKey (a key of the Secret) instead",
    });
  }
});

const sendResolved = z.boolean().default(true);

/** Slack incoming webhook; its URL (a secret) is read from `<secret>/<apiUrlKey>` via `api_url_file`. */
const slackReceiver = z.strictObject({
  type: z.literal("slack"),
  /** Channel the webhook posts to, e.g. `#obs-dev` (a Slack webhook is bound to one channel). */
  channel: z.string().regex(/^[#@][-_.a-z0-9]{1,80}$/, "must be a Slack channel such as #obs-dev"),
  /** Key of the Secret holding the webhook URL. */
  apiUrlKey: secretKey,
  /** @default true */
  sendResolved,
});

/** PagerDuty Events API v2; the integration (routing) key is read via `routing_key_file`. */
const pagerDutyReceiver = z.strictObject({
  type: z.literal("pagerduty"),
  /** Key of the Secret holding the Events API v2 integration key. */
  routingKeyKey: secretKey,
  /** @default true */
  sendResolved,
});

/** Generic webhook (JSON POST); optional bearer token read via `http_config.authorization.credentials_file`. */
const webhookReceiver = z.strictObject({
  type: z.literal("webhook"),
  url: webhookUrl,
  /** Key of the Secret holding a bearer token. @default - no Authorization header */
  bearerTokenKey: secretKey.optional(),
  /** @default true */
  sendResolved,
});

/** Email through an SMTP smarthost; the password is read via `auth_password_file`. */
const emailReceiver = z
  .strictObject({
    type: z.literal("email"),
    to: z.email("must be an email address"),
    from: z.email("must be an email address"),
    /** SMTP server as host:port, e.g. `smtp.example.com:587`. */
    smarthost: z.string().regex(/^[^\s:]+:\d+$/, "must be host:port"),
    /** SMTP user name (not a secret). @default - no SMTP authentication */
    authUsername: z.string().min(1).optional(),
    /** Key of the Secret holding the SMTP password. @default - no SMTP authentication */
    authPasswordKey: secretKey.optional(),
    /** @default true */
    requireTls: z.boolean().default(true),
    /** @default false (a resolved email is noise) */
    sendResolved: z.boolean().default(false),
  })
  .refine((r) => (r.authUsername === undefined) === (r.authPasswordKey === undefined), {
    message: "authUsername and authPasswordKey go together: give both or neither",
    path: ["authPasswordKey"],
  });

/** One receiver, discriminated by `type`. */
export const receiverSchema = z.discriminatedUnion("type", [slackReceiver, pagerDutyReceiver, webhookReceiver, emailReceiver]);

/** Grouping and timing of the notifications of one severity. */
const severityPolicy = z.strictObject({
  /** Labels an alert group is made of. */
  groupBy: z.array(labelName).min(1, "must name at least one label"),
  /** Wait before the first notification of a new group. */
  groupWait: durationSchema,
  /** Wait before notifying about alerts added to a group already notified. */
  groupInterval: positiveDurationSchema,
  /** Wait before repeating a notification that has not changed. */
  repeatInterval: positiveDurationSchema,
});

/** Group by what an alert is about: the alert, its service, its namespace. */
const DEFAULT_GROUP_BY = ["alertname", "namespace", "service"];

/** Defaults of `severityPolicies`: pages fast and repeated every 4h, tickets batched, info kept quiet. */
export const DEFAULT_SEVERITY_POLICIES: Readonly<Record<Severity, z.infer<typeof severityPolicy>>> = {
  critical: { groupBy: DEFAULT_GROUP_BY, groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" },
  warning: { groupBy: DEFAULT_GROUP_BY, groupWait: "1m", groupInterval: "10m", repeatInterval: "12h" },
  info: { groupBy: DEFAULT_GROUP_BY, groupWait: "5m", groupInterval: "30m", repeatInterval: "24h" },
};

const clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "must be a time HH:MM between 00:00 and 24:00");
const weekday = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";

/** One Alertmanager time interval: all given fields must match (times OR-ed within the list). */
const timeInterval = z.strictObject({
  /** Times of day, e.g. `{ startTime: "20:00", endTime: "24:00" }`. @default - all day */
  times: z
    .array(
      z
        .strictObject({ startTime: clock, endTime: clock })
        .refine((t) => t.startTime < t.endTime, { message: "startTime must be before endTime", path: ["endTime"] }),
    )
    .min(1)
    .optional(),
  /** Days or ranges, e.g. `saturday`, `monday:friday`. @default - every day */
  weekdays: z
    .array(z.string().regex(new RegExp(`^${weekday}(:${weekday})?$`), "must be a weekday or range such as monday:friday"))
    .min(1)
    .optional(),
  /** IANA time zone of `times` and `weekdays`. @default "UTC" */
  location: z.string().refine(isTimeZone, { message: "must be an IANA time zone such as Europe/Berlin" }).default("UTC"),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Notifications of some severities (and teams) are held back while any of the intervals is active. */
const muteTiming = z.strictObject({
  name,
  /** @default ["warning"] */
  severities: z.array(z.enum(SEVERITIES)).min(1).default(["warning"]),
  /** Teams muted. @default - every team */
  teams: z.array(teamName).min(1).optional(),
  timeIntervals: z.array(timeInterval).min(1),
});

/** Who is paged (`critical`) and who gets tickets (`warning`) for one team. */
const teamReceivers = z.strictObject(
  { pager: name, ticket: name },
  {
    error: (issue) =>
      issue.input === undefined ? "must have receivers: every team declared in model/teams.ts needs a pager and a ticket receiver" : undefined,
  },
);

/**
 * Receivers of every declared team, keyed by team: a declared team missing is an error, and so is
 * a key that is not a declared team. The record is loose only so that such a key reaches the check
 * below, which names the declared teams (a strict record would say "unknown key" and no more).
 */
const teamsSchema = z.looseRecord(teamName, teamReceivers).superRefine(
  (teams, ctx) => {
    for (const key of Object.keys(teams)) {
      const team = teamName.safeParse(key);
      if (!team.success) ctx.addIssue({ code: "custom", path: [key], input: key, message: team.error.issues[0]!.message });
    }
  },
  // Also when a declared team is missing (every problem of `teams` is listed at once), but only on an object.
  { when: ({ value }) => typeof value === "object" && value !== null && !Array.isArray(value) },
);

const alertingObject = z
  .strictObject({
    /** Kubernetes Secret mounted into Alertmanager at /etc/alertmanager/secrets/<name>/; holds every receiver credential. */
    secretName: name,
    /** Receivers by name; teams and the dead man's switch refer to them by this name. */
    receivers: z.record(name, receiverSchema),
    /** Per declared team (model/teams.ts; the `team` label of alerts), every one of them: who is paged and who gets tickets. */
    teams: teamsSchema,
    /** Receiver of the always-firing Watchdog, notified every minute; it must not be a team's receiver. */
    deadMansSwitch: name,
    /** Team that gets alerts without a `team` label or with an unknown one. @default "platform" */
    defaultTeam: teamName.default("platform"),
    /** Grouping and timing per severity. @default DEFAULT_SEVERITY_POLICIES */
    severityPolicies: z.strictObject({ critical: severityPolicy, warning: severityPolicy, info: severityPolicy }).default(DEFAULT_SEVERITY_POLICIES),
    /** @default [] (nothing muted) */
    muteTimings: z.array(muteTiming).default([]),
  })
  .superRefine((alerting, ctx) => {
    for (const problem of referenceProblems(alerting)) ctx.addIssue({ code: "custom", ...problem });
  });

type AlertingObject = z.infer<typeof alertingObject>;

/** Cross references the shape cannot express: every receiver named exists and is used, and so on. */
function referenceProblems(a: AlertingObject): { path: PropertyKey[]; message: string; input: unknown }[] {
  const problems: { path: PropertyKey[]; message: string; input: unknown }[] = [];
  const receivers = Object.keys(a.receivers);
  const known = (names: string[]) => (names.length > 0 ? names.join(", ") : "none");
  if (NULL_RECEIVER_NAME in a.receivers) {
    problems.push({
      path: ["receivers", NULL_RECEIVER_NAME],
      input: NULL_RECEIVER_NAME,
      message: 'is reserved: "null" is the receiver that drops info alerts',
    });
  }
  for (const [team, roles] of Object.entries(a.teams)) {
    for (const role of ["pager", "ticket"] as const) {
      if (!(roles[role] in a.receivers)) {
        problems.push({ path: ["teams", team, role], input: roles[role], message: `names no receiver (receivers: ${known(receivers)})` });
      }
    }
  }
  const teamReceivers = new Set(Object.values(a.teams).flatMap((r) => [r.pager, r.ticket]));
  if (!(a.deadMansSwitch in a.receivers)) {
    problems.push({ path: ["deadMansSwitch"], input: a.deadMansSwitch, message: `names no receiver (receivers: ${known(receivers)})` });
  } else if (teamReceivers.has(a.deadMansSwitch)) {
    problems.push({ path: ["deadMansSwitch"], input: a.deadMansSwitch, message: "must not be a team's receiver: the Watchdog notifies it every minute" });
  }
  for (const unused of receivers.filter((r) => !teamReceivers.has(r) && r !== a.deadMansSwitch)) {
    problems.push({ path: ["receivers", unused], input: unused, message: "is not used by any team nor by deadMansSwitch" });
  }
  const seen = new Set<string>();
  a.muteTimings.forEach((timing, i) => {
    if (seen.has(timing.name)) problems.push({ path: ["muteTimings", i, "name"], input: timing.name, message: "is used by another mute timing" });
    seen.add(timing.name);
  });
  return problems;
}

/**
 * Reports every key or value of the raw input that looks like an inline secret, with its path and
 * a redacted value, and drops it so the strict schema does not report it a second time.
 */
function withoutInlineSecrets(value: unknown, path: PropertyKey[], ctx: z.RefinementCtx): unknown {
  if (Array.isArray(value)) return value.map((item, i) => withoutInlineSecrets(item, [...path, i], ctx));
  if (typeof value === "string" && SECRET_LIKE_VALUE.test(value)) {
    ctx.addIssue({
      code: "custom",
      path,
      input: REDACTED,
      message: "looks like a secret value: put it in the Secret named by secretName and reference its key",
    });
    return value;
  }
  if (value === null || typeof value !== "object") return value;
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const normalized = key.toLowerCase().replace(/[-_]/g, "");
    if (!SECRET_REFERENCE_KEYS.includes(key) && SECRET_LIKE_KEY.test(normalized)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, key],
        input: REDACTED,
        message:
          "secret values never go in the profile: store the value in the Kubernetes Secret named by alerting.secretName " +
          "and give its key instead (apiUrlKey, routingKeyKey, authPasswordKey or bearerTokenKey)",
      });
      continue;
    }
    kept[key] = withoutInlineSecrets(item, [...path, key], ctx);
  }
  return kept;
}

/** The alerting profile as written (defaults not yet applied). */
export type AlertingProfileInput = z.input<typeof alertingObject>;

/**
 * The schema of `alerting`: inline secrets are rejected first (all of them, values redacted), then
 * the strict shape and the cross references are checked.
 */
export const alertingProfileSchema = z.preprocess((raw: AlertingProfileInput, ctx) => withoutInlineSecrets(raw, [], ctx), alertingObject);

/** A validated alerting profile. */
export type AlertingProfile = z.infer<typeof alertingProfileSchema>;
/** One validated receiver. */
export type ReceiverProfile = z.infer<typeof receiverSchema>;
/** Grouping and timing of one severity. */
export type SeverityPolicy = z.infer<typeof severityPolicy>;
/** One validated mute timing. */
export type MuteTiming = z.infer<typeof muteTiming>;
