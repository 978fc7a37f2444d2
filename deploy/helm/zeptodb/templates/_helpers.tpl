{{/* The release's resource name: "zeptodb" for the release the guide installs. */}}
{{- define "zeptodb.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "zeptodb.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "zeptodb.labels" -}}
{{ include "zeptodb.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The data claim: the guide's zeptodb-data, or persistence.existingClaim. */}}
{{- define "zeptodb.claim" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "zeptodb.fullname" .)) -}}
{{- end -}}

{{/* Settings the chart cannot honour stop the rendering with the reason. */}}
{{- define "zeptodb.check" -}}
{{- if or .Values.cluster.enabled (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled .Values.podDisruptionBudget.enabled -}}
{{- fail "more than one replica (replicaCount > 1, autoscaling, a PodDisruptionBudget or cluster.enabled) needs cluster mode, which this build of ZeptoDB does not have yet: separate replicas behind one Service would be separate databases. Use replicaCount=1." -}}
{{- end -}}
{{- end -}}
