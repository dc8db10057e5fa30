/**
 * Go templates of the notifications, inline in the receivers (no template files to mount). Every
 * route groups by `alertname`, so `runbook_url` (a function of the alert name) is common to a group.
 * They contain no `${` or `%{`, which Terraform would interpolate in the Helm values.
 */

/** `[FIRING:2] ServiceHighErrorRate · core-api`. */
export const TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ' +
  "{{ .CommonLabels.alertname }}{{ with .CommonLabels.service }} · {{ . }}{{ end }}";

/** One line per alert (severity, summary, description), then the runbook. */
export const SLACK_TEXT =
  "{{ range .Alerts }}*{{ .Labels.severity }}* {{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}" +
  "{{ with .CommonAnnotations.runbook_url }}Runbook: {{ . }}{{ end }}";

/** The runbook of the group: the Slack title links to it. */
export const RUNBOOK_URL = "{{ .CommonAnnotations.runbook_url }}";
