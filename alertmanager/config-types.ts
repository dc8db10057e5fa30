/**
 * The subset of Alertmanager's configuration file (0.25 and later) this product generates, typed
 * with Alertmanager's own snake_case keys so the object serializes to the file as it is.
 * Reference: https://prometheus.io/docs/alerting/latest/configuration/
 */

/** A matcher in Alertmanager's string form: `severity="critical"`, `service=~"a|b"`. */
export type Matcher = string;

/** One node of the routing tree. */
export interface Route {
  readonly receiver: string;
  readonly matchers?: readonly Matcher[];
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly mute_time_intervals?: readonly string[];
  readonly continue?: boolean;
  readonly routes?: readonly Route[];
}

/** Mutes `target` alerts while a `source` alert fires with the same values of the `equal` labels. */
export interface InhibitRule {
  readonly source_matchers?: readonly Matcher[];
  readonly target_matchers: readonly Matcher[];
  readonly equal?: readonly string[];
}

export interface SlackConfig {
  readonly send_resolved: boolean;
  /** Path of the mounted file holding the webhook URL (never the URL). */
  readonly api_url_file: string;
  readonly channel: string;
  readonly title: string;
  readonly title_link: string;
  readonly text: string;
}

export interface PagerDutyConfig {
  readonly send_resolved: boolean;
  /** Path of the mounted file holding the Events API v2 integration key (never the key). */
  readonly routing_key_file: string;
  readonly description: string;
  /** Added to Alertmanager's default details (firing, resolved, num_firing, num_resolved). */
  readonly details: Readonly<Record<string, string>>;
}

export interface WebhookConfig {
  readonly send_resolved: boolean;
  readonly url: string;
  readonly http_config?: {
    readonly authorization: { readonly type: "Bearer"; readonly credentials_file: string };
  };
}

export interface EmailConfig {
  readonly send_resolved: boolean;
  readonly to: string;
  readonly from: string;
  readonly smarthost: string;
  readonly require_tls: boolean;
  readonly auth_username?: string;
  /** Path of the mounted file holding the SMTP password (never the password). */
  readonly auth_password_file?: string;
}

/** A named receiver; one without any `*_configs` (the `null` receiver) drops what it gets. */
export interface Receiver {
  readonly name: string;
  readonly slack_configs?: readonly SlackConfig[];
  readonly pagerduty_configs?: readonly PagerDutyConfig[];
  readonly webhook_configs?: readonly WebhookConfig[];
  readonly email_configs?: readonly EmailConfig[];
}

export interface TimeRange {
  readonly start_time: string;
  readonly end_time: string;
}

export interface TimeIntervalSpec {
  readonly times?: readonly TimeRange[];
  readonly weekdays?: readonly string[];
  readonly location: string;
}

/** A named set of intervals that routes refer to in `mute_time_intervals`. */
export interface TimeInterval {
  readonly name: string;
  readonly time_intervals: readonly TimeIntervalSpec[];
}

/** The whole Alertmanager configuration file. */
export interface AlertmanagerConfig {
  readonly global: { readonly resolve_timeout: string };
  readonly route: Route;
  readonly inhibit_rules: readonly InhibitRule[];
  readonly receivers: readonly Receiver[];
  readonly time_intervals: readonly TimeInterval[];
  readonly templates: readonly string[];
}
