{{/* Labels every object carries; selectors use name + instance. */}}
{{- define "testbed.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: tls-kernel-testbed
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{- end }}

{{- define "testbed.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* <registry>/<name>:<tag> */}}
{{- define "testbed.image" -}}
{{ .root.Values.image.registry }}/{{ .name }}:{{ .root.Values.image.tag }}
{{- end }}

{{/* Pod-level settings of every testbed pod: the images' user (uid/gid 10001), no service-account token. */}}
{{- define "testbed.podSecurity" -}}
automountServiceAccountToken: false
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
  seccompProfile:
    type: RuntimeDefault
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{- define "testbed.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  capabilities:
    drop: [ALL]
{{- end }}

{{/* Environment of every Spring service: the docker profile (binds 0.0.0.0, names the Services), the health
     groups for the probes, the JVM options (javaOpts, then the service's extraJavaOpts if given) and the token. */}}
{{- define "testbed.springEnv" -}}
- name: SPRING_PROFILES_ACTIVE
  value: {{ .profiles | quote }}
- name: TESTBED_SERVER_ADDRESS
  value: 0.0.0.0
- name: MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED
  value: "true"
- name: JAVA_OPTS
  value: {{ trim (printf "%s %s" .root.Values.javaOpts (default "" .extraJavaOpts)) | quote }}
{{- if .root.Values.auth.enabled }}
- name: {{ .root.Values.auth.env }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.auth.secretName }}
      key: {{ .root.Values.auth.secretKey }}
      optional: {{ .root.Values.auth.optional }}
{{- end }}
{{- end }}

{{/* Probes on the actuator's health groups (management.endpoint.health.probes): startup allows the JVM 5 minutes. */}}
{{- define "testbed.probes" -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: {{ .port }}
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: {{ .port }}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 6
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: {{ .port }}
  periodSeconds: 5
  timeoutSeconds: 5
  failureThreshold: 3
{{- end }}

{{/* Prometheus annotations on a pod (monitoring.mode=annotations). */}}
{{- define "testbed.scrapeAnnotations" -}}
{{- if eq .root.Values.monitoring.mode "annotations" }}
annotations:
  prometheus.io/scrape: "true"
  prometheus.io/path: /actuator/prometheus
  prometheus.io/port: {{ .port | quote }}
{{- end }}
{{- end }}
