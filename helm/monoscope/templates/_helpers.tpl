{{/* Names and labels shared by every object of the chart. */}}

{{- define "monoscope.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "monoscope.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "monoscope.operatorName" -}}
{{- printf "%s-operator" (include "monoscope.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "monoscope.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: monoscope
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* The operator's pods. */}}
{{- define "monoscope.selectorLabels" -}}
app.kubernetes.io/name: monoscope-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Worker pods, as the operator labels them. */}}
{{- define "monoscope.workerSelectorLabels" -}}
app.kubernetes.io/name: monoscope-worker
{{- end -}}

{{- define "monoscope.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "monoscope.operatorName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "monoscope.operatorImage" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "monoscope.workerImage" -}}
{{- printf "%s:%s" .Values.worker.image.repository (default .Chart.AppVersion .Values.worker.image.tag) -}}
{{- end -}}

{{/* Namespaces that hold worker pods: the watched ones, else networkPolicy.namespaces, else the release's. */}}
{{- define "monoscope.workerNamespaces" -}}
{{- $namespaces := .Values.watchNamespaces | default .Values.networkPolicy.namespaces | default (list .Release.Namespace) -}}
{{- toJson $namespaces -}}
{{- end -}}

{{/*
What the operator does in the namespaces it watches. Exactly the verbs of the operator's
dev.monoscope.operator.ApiVerbs table (a test compares them); nothing on Secrets: the kubelet
resolves the workers' secretKeyRef env, the operator never reads a Secret.
*/}}
{{- define "monoscope.watchRules" -}}
- apiGroups: ["monoscope.dev"]
  resources: ["streammonitors"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["monoscope.dev"]
  resources: ["streammonitors/status"]
  verbs: ["get", "update"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["get", "list", "create", "patch"]
{{- end -}}

{{/* Leader election, in the release namespace only. */}}
{{- define "monoscope.leaseRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update", "patch"]
{{- end -}}
