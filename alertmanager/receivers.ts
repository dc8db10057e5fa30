import type { AlertingProfile, ReceiverProfile } from "../environments/alerting-schema";
import type { Receiver } from "./config-types";
import { RUNBOOK_URL, SLACK_TEXT, TITLE } from "./notification-templates";

/**
 * Where kube-prometheus-stack mounts the Secrets listed in `alertmanager.alertmanagerSpec.secrets`:
 * `<dir>/<secretName>/<key>`.
 */
export const ALERTMANAGER_SECRET_MOUNT_DIR = "/etc/alertmanager/secrets";

/** Name of the receiver without integrations: what it gets is dropped (info alerts, InfoInhibitor). */
export const NULL_RECEIVER = "null";

/** Path of one key of the mounted Secret. */
export function secretFilePath(secretsDir: string, secretName: string, key: string): string {
  return `${secretsDir.replace(/\/+$/, "")}/${secretName}/${key}`;
}

/**
 * One profile receiver as an Alertmanager receiver. Credentials appear only as `*_file` paths into
 * the mounted Secret; Alertmanager reads the files when it notifies.
 */
export function buildReceiver(name: string, receiver: ReceiverProfile, secretFile: (key: string) => string): Receiver {
  switch (receiver.type) {
    case "slack":
      return {
        name,
        slack_configs: [
          {
            send_resolved: receiver.sendResolved,
            api_url_file: secretFile(receiver.apiUrlKey),
            channel: receiver.channel,
            title: TITLE,
            title_link: RUNBOOK_URL,
            text: SLACK_TEXT,
          },
        ],
      };
    case "pagerduty":
      return {
        name,
        pagerduty_configs: [
          {
            send_resolved: receiver.sendResolved,
            routing_key_file: secretFile(receiver.routingKeyKey),
            description: TITLE,
            details: { runbook_url: RUNBOOK_URL },
          },
        ],
      };
    case "webhook":
      return {
        name,
        webhook_configs: [
          {
            send_resolved: receiver.sendResolved,
            url: receiver.url,
            // Alertmanager 0.25 has no webhook url_file: the URL is plain, the credential is a file.
            ...(receiver.bearerTokenKey
              ? { http_config: { authorization: { type: "Bearer" as const, credentials_file: secretFile(receiver.bearerTokenKey) } } }
              : {}),
          },
        ],
      };
    case "email":
      return {
        name,
        email_configs: [
          {
            send_resolved: receiver.sendResolved,
            to: receiver.to,
            from: receiver.from,
            smarthost: receiver.smarthost,
            require_tls: receiver.requireTls,
            ...(receiver.authUsername ? { auth_username: receiver.authUsername } : {}),
            ...(receiver.authPasswordKey ? { auth_password_file: secretFile(receiver.authPasswordKey) } : {}),
          },
        ],
      };
  }
}

/** Keys the receivers' Secret must hold (what to put in it before deploying), sorted. */
export function requiredSecretKeys(alerting: AlertingProfile): string[] {
  const keys = Object.values(alerting.receivers).flatMap((r) => {
    switch (r.type) {
      case "slack":
        return [r.apiUrlKey];
      case "pagerduty":
        return [r.routingKeyKey];
      case "webhook":
        return r.bearerTokenKey ? [r.bearerTokenKey] : [];
      case "email":
        return r.authPasswordKey ? [r.authPasswordKey] : [];
    }
  });
  return [...new Set(keys)].sort();
}

/** The `null` receiver, then every profile receiver, sorted by name. */
export function buildReceivers(alerting: AlertingProfile, secretsDir: string): Receiver[] {
  const secretFile = (key: string) => secretFilePath(secretsDir, alerting.secretName, key);
  const named = Object.entries(alerting.receivers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, receiver]) => buildReceiver(name, receiver, secretFile));
  return [{ name: NULL_RECEIVER }, ...named];
}
