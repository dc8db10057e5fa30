/**
 * Runbook links, built in one place: `runbooks/<AlertName>.md` for every alert name a kind declares
 * (test/runbooks checks the two lists are the same), published under the profile's base URL.
 */

/** Alert names are PascalCase (kubernetes-mixin's convention); each kind declares its own. */
export const ALERT_NAME_PATTERN = /^[A-Z][A-Za-z0-9]*$/;

/** The file of an alert's runbook inside `runbooks/`: `<AlertName>.md`. */
export function runbookFileName(alertName: string): string {
  if (!ALERT_NAME_PATTERN.test(alertName)) {
    throw new Error(`alertName must be a PascalCase alert name such as QueueBacklogHigh, got ${JSON.stringify(alertName)}`);
  }
  return `${alertName}.md`;
}

/**
 * The `runbook_url` annotation of an alert: the environment's runbook base URL (trailing slashes
 * ignored) + `/<AlertName>.md`, the file `runbooks/<AlertName>.md` published there.
 */
export function runbookUrl(baseUrl: string, alertName: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    throw new Error(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  return `${baseUrl.replace(/\/+$/, "")}/${runbookFileName(alertName)}`;
}
