{{/* The kuma.io/tags annotation: the instance's tags plus its kuma.io/service (name_namespace_svc), as JSON with sorted keys. */}}
{{- define "mgi-bench.tags" -}}
{{- $tags := dict "kuma.io/service" (printf "%s_%s_svc" .name .namespace) -}}
{{- range $k, $v := .tags }}{{ $_ := set $tags $k $v }}{{ end -}}
{{- toJson $tags -}}
{{- end -}}
