import { ALL_ALERT_NAMES, type AlertName } from "../signals/alert-names";

/** The file of an alert's runbook inside `runbooks/`: `<AlertName>.md`. */
export function runbookFileName(alertName: AlertName): string {
  return `${alertName}.md`;
}

/**
 * The `runbook_url` annotation of an alert: the environment's runbook base URL (trailing slashes
 * ignored) + `/<AlertName>.md`, the file `runbooks/<AlertName>.md` published there.
 */
export function runbookUrl(baseUrl: string, alertName: AlertName): string {
  if (!(ALL_ALERT_NAMES as readonly string[]).includes(alertName)) {
    throw new Error(`alertName must be an alert of the catalogue (alert-rules/alert-names.ts), got ${JSON.stringify(alertName)}`);
  }
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    throw new Error(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  return `${baseUrl.replace(/\/+$/, "")}/${runbookFileName(alertName)}`;
}
