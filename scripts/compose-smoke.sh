#!/usr/bin/env bash
# make compose-smoke: docker-compose.yml for real, end to end, then gone again. Not part of make test.
#
#   1. docker compose up --build -d      (or docker-compose v1, with BuildKit through the docker CLI)
#   2. every service's healthcheck healthy
#   3. POST /api/downloads through the gateway, until the download succeeded with its pack verified,
#      and its row is in PostgreSQL (the gateway's store in compose)
#   4. Prometheus: every scrape target up
#   5. up -d --force-recreate gateway-service: healthy again, the download still listed
#   6. down -v (also after a failure, unless COMPOSE_SMOKE_KEEP=1)
# Each failure prints what failed (and the service's last log lines) and exits non-zero.
#
# Host ports come from the compose file's *_HOST_PORT variables (defaults 8080-8083, 8443, 9090, 3000),
# so it runs beside `make run` with e.g. GATEWAY_HOST_PORT=18080 PROMETHEUS_HOST_PORT=19090 ... set.
# Settings (environment):
#   COMPOSE_SMOKE_PROJECT  compose project name (testbed-smoke): its containers and volumes only
#   COMPOSE_SMOKE_FILES    extra compose files, space-separated (e.g. docker-compose.local-standin.yml)
#   COMPOSE_SMOKE_SKIP     services not to start, space-separated (e.g. grafana)
#   COMPOSE_SMOKE_TIMEOUT  seconds to wait for healthchecks and for the download (900)
#   COMPOSE_SMOKE_KEEP     1: leave the stack up at the end (then: down -v yourself)
#   COMPOSE_SMOKE_REPO     repository to download (pack-256k)
# Needs: Docker with Compose (v2 plugin, or docker-compose v1) and BuildKit, curl, bash.
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=${COMPOSE_SMOKE_PROJECT:-testbed-smoke}
TIMEOUT=${COMPOSE_SMOKE_TIMEOUT:-900}
REPO=${COMPOSE_SMOKE_REPO:-pack-256k}
SKIP=" ${COMPOSE_SMOKE_SKIP:-} "
HOST=127.0.0.1
GATEWAY_PORT=${GATEWAY_HOST_PORT:-8080}
PROMETHEUS_PORT=${PROMETHEUS_HOST_PORT:-9090}
GATEWAY="http://$HOST:$GATEWAY_PORT"
# the services bind 0.0.0.0 in their containers and want a bearer token (docker-compose.yml has no default):
# the caller's, or one for this run
if [ -z "${TESTBED_TOKEN:-}" ]; then
  TESTBED_TOKEN=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
fi
export TESTBED_TOKEN
PROMETHEUS="http://$HOST:$PROMETHEUS_PORT"
T0=$SECONDS
STEP_T0=$SECONDS
TIMINGS=()
COMPOSE=()
FAILED_SERVICE=""

say() { echo "compose-smoke: $*"; }
fail() {
  echo "compose-smoke: FAILED: $*" >&2
  if [ -n "$FAILED_SERVICE" ] && [ ${#COMPOSE[@]} -gt 0 ]; then
    echo "---- last log lines of $FAILED_SERVICE ----" >&2
    "${COMPOSE[@]}" logs --no-color --tail 40 "$FAILED_SERVICE" >&2 || true
  fi
  exit 1
}
step_start() { STEP_T0=$SECONDS; say "$*"; }
step_done() { TIMINGS+=("$(printf '%-44s %5d s' "$1" $((SECONDS - STEP_T0)))"); say "ok: $1 ($((SECONDS - STEP_T0)) s)"; }

choose_compose() {
  command -v curl >/dev/null || fail "curl is not installed"
  command -v docker >/dev/null || fail "the docker command is not installed"
  docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info): start Docker first"
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null; then
    COMPOSE=(docker-compose)
    # v1 builds with the classic builder unless told to go through the docker CLI with BuildKit, and the
    # Dockerfiles need BuildKit (RUN --mount=type=cache): docs/DEPLOYMENT.md
    export COMPOSE_DOCKER_CLI_BUILD=${COMPOSE_DOCKER_CLI_BUILD:-1} DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-1}
  else
    fail "neither 'docker compose' (Compose v2) nor 'docker-compose' is installed"
  fi
  COMPOSE+=(-p "$PROJECT" -f docker-compose.yml)
  for f in ${COMPOSE_SMOKE_FILES:-}; do
    [ -f "$f" ] || fail "COMPOSE_SMOKE_FILES names $f, which does not exist"
    COMPOSE+=(-f "$f")
  done
  say "using: ${COMPOSE[*]}"
}

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

check_ports_free() {
  local spec var port
  for spec in GATEWAY_HOST_PORT:8080 KERNEL_SIM_HOST_PORT:8081 TLS_CLIENT_HOST_PORT:8082 GIT_HOST_PORT:8443 \
              GIT_MANAGEMENT_HOST_PORT:8083 PROMETHEUS_HOST_PORT:9090 GRAFANA_HOST_PORT:3000; do
    var=${spec%%:*}
    port=${!var:-${spec#*:}}
    if [ "$var" = GRAFANA_HOST_PORT ] && [[ $SKIP == *" grafana "* ]]; then
      continue
    fi
    if port_in_use "$port"; then
      fail "port $port on $HOST is in use (make run? another stack?): set $var to a free port"
    fi
  done
}

services() {
  local s out=()
  for s in $("${COMPOSE[@]}" config --services); do
    [[ $SKIP == *" $s "* ]] || out+=("$s")
  done
  echo "${out[@]}"
}

# "<service> <health or state>" for each container of the project
container_states() {
  local id
  for id in $(docker ps -a -q --filter "label=com.docker.compose.project=$PROJECT"); do
    docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id"
  done
}

wait_healthy() { # the services that must be healthy
  local deadline=$((SECONDS + TIMEOUT)) want=("$@") states s state pending
  while :; do
    states=$(container_states)
    pending=()
    for s in "${want[@]}"; do
      state=$(awk -v s="$s" '$1 == s { print $2 }' <<<"$states" | head -n 1)
      case "$state" in
        healthy) ;;
        unhealthy|exited|dead) FAILED_SERVICE=$s; fail "$s is $state" ;;
        *) pending+=("$s:${state:-missing}") ;;
      esac
    done
    [ ${#pending[@]} -eq 0 ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      FAILED_SERVICE=${pending[0]%%:*}
      fail "not healthy after ${TIMEOUT} s: ${pending[*]}"
    fi
    sleep 5
  done
}

json_field() { # the first "name":"value" or "name":value in a JSON text
  grep -o "\"$1\":[[:space:]]*\(\"[^\"]*\"\|[a-z0-9.]*\)" <<<"$2" | head -n 1 | sed 's/^[^:]*:[[:space:]]*//; s/"//g'
}

download() {
  local body response id deadline d status verified
  body="{\"repo\":\"$REPO\",\"client\":\"bc\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":1},\"clock\":\"virtual\",\"seed\":1}"
  [ "$(curl -sS -m 30 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$GATEWAY/api/downloads")" = 401 ] \
    || fail "POST /api/downloads without the bearer token was not refused with 401"
  response=$(curl -sS -m 30 -w '\n%{http_code}' -H 'Content-Type: application/json' -H "Authorization: Bearer $TESTBED_TOKEN" \
    -d "$body" "$GATEWAY/api/downloads") \
    || fail "POST $GATEWAY/api/downloads: no answer"
  [ "$(tail -n 1 <<<"$response")" = 202 ] || fail "POST /api/downloads answered $(tail -n 1 <<<"$response"): $(head -n -1 <<<"$response")"
  id=$(json_field id "$(head -n -1 <<<"$response")")
  [ -n "$id" ] || fail "POST /api/downloads gave no id: $response"
  deadline=$((SECONDS + TIMEOUT))
  while :; do
    d=$(curl -sS -m 30 "$GATEWAY/api/downloads/$id") || fail "GET /api/downloads/$id: no answer"
    status=$(json_field status "$d")
    [ "$status" != running ] && [ -n "$status" ] && break
    [ $SECONDS -lt $deadline ] || fail "download $id still running after ${TIMEOUT} s"
    sleep 1
  done
  verified=$(grep -o '"pack":{[^}]*}' <<<"$d" | grep -o '"verified":[a-z]*' | head -n 1 | cut -d: -f2)
  [ "$status" = succeeded ] || fail "download $id ended $status: $d"
  [ "$verified" = true ] || fail "download $id succeeded but its pack is not verified: $d"
  DOWNLOAD_ID=$id
  say "download $id: succeeded, pack verified ($(json_field bytes "$d") bytes)"
}

download_in_postgres() {
  local rows
  rows=$("${COMPOSE[@]}" exec -T postgres psql -U testbed -d testbed -tAc \
      "SELECT count(*) FROM downloads WHERE id = '$DOWNLOAD_ID'" 2>&1) \
    || { FAILED_SERVICE=gateway-service; fail "cannot query PostgreSQL's downloads table: $rows"; }
  [ "$(tr -d '[:space:]' <<<"$rows")" = 1 ] \
    || { FAILED_SERVICE=gateway-service; fail "download $DOWNLOAD_ID is not in PostgreSQL (the gateway is not using it): $rows"; }
  say "download $DOWNLOAD_ID is a row in PostgreSQL"
}

prometheus_targets_up() {
  local deadline=$((SECONDS + 120)) targets total up
  while :; do
    targets=$(curl -sS -m 10 "$PROMETHEUS/api/v1/targets?state=active" || true)
    total=$(grep -o '"health":"[a-z]*"' <<<"$targets" | wc -l)
    up=$(grep -o '"health":"up"' <<<"$targets" | wc -l)
    [ "$total" -gt 0 ] && [ "$up" -eq "$total" ] && break
    if [ $SECONDS -ge $deadline ]; then
      FAILED_SERVICE=prometheus
      fail "Prometheus: $up of $total targets up after 120 s: $(grep -o '"lastError":"[^"]*"' <<<"$targets" | sort -u | head -n 5)"
    fi
    sleep 5
  done
  local jobs
  jobs=$(grep -c '^[[:space:]]*- job_name:' prometheus/prometheus.yml)
  [ "$total" -eq "$jobs" ] || fail "Prometheus has $total targets, prometheus/prometheus.yml has $jobs jobs"
  say "Prometheus: all $total targets up"
}

still_listed() {
  local list
  list=$(curl -sS -m 30 "$GATEWAY/api/downloads?limit=1000") || fail "GET /api/downloads: no answer"
  grep -q "\"id\":\"$DOWNLOAD_ID\"" <<<"$list" \
    || { FAILED_SERVICE=gateway-service; fail "download $DOWNLOAD_ID is gone after the gateway was recreated: $list"; }
  say "download $DOWNLOAD_ID still listed after the recreate"
}

cleanup() {
  local rc=$?
  if [ ${#COMPOSE[@]} -gt 0 ] && [ "${COMPOSE_SMOKE_KEEP:-0}" != 1 ] && [ -n "${STARTED:-}" ]; then
    STEP_T0=$SECONDS
    say "down -v"
    if "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1; then
      TIMINGS+=("$(printf '%-44s %5d s' "down -v" $((SECONDS - STEP_T0)))")
    else
      echo "compose-smoke: down -v failed; remove the project '$PROJECT' by hand" >&2
      rc=1
    fi
  fi
  if [ ${#TIMINGS[@]} -gt 0 ]; then
    echo "compose-smoke: timings"
    printf '  %s\n' "${TIMINGS[@]}"
  fi
  if [ $rc -eq 0 ]; then
    say "PASSED in $((SECONDS - T0)) s"
  fi
  exit $rc
}

main() {
  trap cleanup EXIT
  choose_compose
  "${COMPOSE[@]}" config -q || fail "the compose files do not validate (config -q)"
  check_ports_free
  local run
  read -r -a run <<<"$(services)"

  step_start "up --build -d ${run[*]} (the first build runs Maven in each image: minutes)"
  STARTED=1
  "${COMPOSE[@]}" up --build -d "${run[@]}" || fail "docker compose up --build failed"
  step_done "up --build -d"

  step_start "waiting for the healthchecks of ${run[*]}"
  wait_healthy "${run[@]}"
  step_done "all healthchecks healthy"

  step_start "POST /api/downloads ($REPO) through $GATEWAY"
  download
  download_in_postgres
  step_done "download verified, row in PostgreSQL"

  if [[ " ${run[*]} " == *" prometheus "* ]]; then
    step_start "Prometheus targets at $PROMETHEUS"
    prometheus_targets_up
    step_done "Prometheus targets all up"
  fi

  step_start "up -d --force-recreate gateway-service"
  "${COMPOSE[@]}" up -d --force-recreate --no-deps gateway-service || fail "recreating gateway-service failed"
  wait_healthy gateway-service
  still_listed
  step_done "gateway recreated, download still listed"
}

main "$@"
