/**
 * Vigil's built-in notification templates: the named templates Alertmanager's configs refer to
 * (`__subject`, `slack.default.title`, `pagerduty.default.description`, `email.default.html`, …),
 * producing the same subject line as Alertmanager so that mail filters and PagerDuty summaries keep
 * working. User `templates:` files may redefine any of them.
 */
export const DEFAULT_TEMPLATES = `
{{ define "__alertmanager" }}Vigil{{ end }}
{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver | urlquery }}{{ end }}

{{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}
{{ define "__description" }}{{ end }}

{{ define "__text_alert_list" }}{{ range . }}Labels:
{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Annotations:
{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{ define "__text_alert_list_markdown" }}{{ range . }}
Labels:
{{ range .Labels.SortedPairs }}  - {{ .Name }} = {{ .Value }}
{{ end }}
Annotations:
{{ range .Annotations.SortedPairs }}  - {{ .Name }} = {{ .Value }}
{{ end }}
Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{ define "slack.default.callbackid" }}{{ end }}
{{ define "slack.default.pretext" }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "slack.default.iconemoji" }}{{ end }}
{{ define "slack.default.iconurl" }}{{ end }}
{{ define "slack.default.text" }}{{ end }}
{{ define "slack.default.footer" }}{{ end }}

{{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
{{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}

{{ define "msteams.default.summary" }}{{ template "__subject" . }}{{ end }}
{{ define "msteams.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "msteams.default.text" }}{{ if gt (len .Alerts.Firing) 0 }}# Alerts Firing:
{{ template "__text_alert_list_markdown" .Alerts.Firing }}{{ end }}{{ if gt (len .Alerts.Resolved) 0 }}# Alerts Resolved:
{{ template "__text_alert_list_markdown" .Alerts.Resolved }}{{ end }}{{ end }}
{{ define "msteamsv2.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "msteamsv2.default.text" }}{{ template "msteams.default.text" . }}{{ end }}

{{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
{{ define "__email_alert_rows" }}{{ range . }}<tr><td style="padding:8px 12px;border-top:1px solid #e4e4e4">
<div><strong>Labels</strong></div>
{{ range .Labels.SortedPairs }}<div>{{ .Name }} = {{ .Value }}</div>
{{ end }}{{ if gt (len .Annotations) 0 }}<div><strong>Annotations</strong></div>
{{ end }}{{ range .Annotations.SortedPairs }}<div>{{ .Name }} = {{ .Value }}</div>
{{ end }}<div><a href="{{ .GeneratorURL }}">Source</a></div>
</td></tr>
{{ end }}{{ end }}
{{ define "email.default.html" }}<!DOCTYPE html>
<html><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width"><title>{{ template "__subject" . }}</title></head>
<body style="margin:0;padding:16px;background:#f6f6f6;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#333">
<table width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;margin:0 auto;background:#fff;border:1px solid #e4e4e4;border-radius:4px">
<tr><td style="padding:16px 12px;color:#fff;font-size:16px;background:{{ if eq .Status "firing" }}#E6522C{{ else }}#68B90F{{ end }}">{{ .Alerts | len }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}</td></tr>
<tr><td style="padding:12px"><a href="{{ template "__alertmanagerURL" . }}" style="display:inline-block;padding:8px 14px;background:#348eda;color:#fff;text-decoration:none;border-radius:3px">View in Vigil</a></td></tr>
{{ if gt (len .Alerts.Firing) 0 }}<tr><td style="padding:8px 12px"><strong>[{{ .Alerts.Firing | len }}] Firing</strong></td></tr>
{{ template "__email_alert_rows" .Alerts.Firing }}{{ end }}{{ if gt (len .Alerts.Resolved) 0 }}<tr><td style="padding:8px 12px"><strong>[{{ .Alerts.Resolved | len }}] Resolved</strong></td></tr>
{{ template "__email_alert_rows" .Alerts.Resolved }}{{ end }}</table>
<p style="text-align:center;color:#999;font-size:12px">Sent by Vigil</p>
</body></html>
{{ end }}
`;
