#!/bin/sh
# Starts, stops and reports the four services of a local (no Docker) run, and a local Prometheus
# scraping them when a prometheus binary is installed.
# Used by the Makefile: `sh scripts/stack.sh start|stop|status`.
# Pid files and logs go to .run/, the services' data (PKI, repositories) to data/; both are git-ignored.
set -eu
cd "$(dirname "$0")/.."

RUN=.run
VERSION=0.1.0-SNAPSHOT
# start order: the git server first (it writes the CA the others trust), the gateway last
SERVICES="git-http-server kernel-sim-service tls-client-service gateway-service"
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-180}
PROMETHEUS_CONFIG=prometheus/prometheus-local.yml
PROMETHEUS_ADDRESS=${PROMETHEUS_ADDRESS:-127.0.0.1:9090}
JAVA_OPTS=${JAVA_OPTS:-}
# kernel-sim's heap is set explicitly (issue 19: peak RSS <= 512 MB after a full reproduction; without -Xmx G1
# sizes the heap from the machine's RAM and RSS is wherever it left it). KERNEL_SIM_HEAP overrides it.
KERNEL_SIM_HEAP=${KERNEL_SIM_HEAP:-320m}
# the gateway only coordinates (REST, polls, its database, the reports): C1 alone compiles it well enough, and
# spares the two cores the ~18 s of C2 compilation a fresh gateway spent during a reproduction (issue 19,
# docs/BENCHMARKS.md). GATEWAY_JIT= (empty) gives it the JVM's default tiered compilation back.
GATEWAY_JIT=${GATEWAY_JIT--XX:TieredStopAtLevel=1}

health_url() {
  case $1 in
    git-http-server) echo http://127.0.0.1:8083/actuator/health ;;
    kernel-sim-service) echo http://127.0.0.1:8081/actuator/health ;;
    tls-client-service) echo http://127.0.0.1:8082/actuator/health ;;
    gateway-service) echo http://127.0.0.1:8080/actuator/health ;;
  esac
}

# what identifies a process this script started in its command line
signature() {
  case $1 in
    prometheus) echo "$PROMETHEUS_CONFIG" ;;
    *) echo "$1-$VERSION-exec.jar" ;;
  esac
}

# prints the pid of a service this script started, if that process is still alive and still that service
running_pid() {
  f=$RUN/$1.pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # guard against a recycled pid where /proc says what the process is
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$(signature "$1")"; then
    return 1
  fi
  echo "$pid"
}

# A local Prometheus scraping the four services (prometheus/prometheus-local.yml), when a prometheus
# binary is installed; its data goes to .run/prometheus/. Optional: the stack runs without it.
start_prometheus() {
  if pid=$(running_pid prometheus); then
    echo "  prometheus already running (pid $pid): http://$PROMETHEUS_ADDRESS"
    return 0
  fi
  if ! command -v prometheus >/dev/null 2>&1; then
    echo "  prometheus: not installed, so not started (Debian: apt-get install prometheus; or docker compose up)"
    return 0
  fi
  nohup prometheus --config.file="$PROMETHEUS_CONFIG" --storage.tsdb.path="$RUN/prometheus" \
    --web.listen-address="$PROMETHEUS_ADDRESS" >"$RUN/prometheus.log" 2>&1 </dev/null &
  echo $! >"$RUN/prometheus.pid"
  sleep 1
  if kill -0 "$(cat "$RUN/prometheus.pid")" 2>/dev/null; then
    echo "  prometheus started (pid $(cat "$RUN/prometheus.pid"), log $RUN/prometheus.log): http://$PROMETHEUS_ADDRESS"
  else
    echo "  prometheus did not start (port taken?); the services run without it. Its log: $RUN/prometheus.log"
    rm -f "$RUN/prometheus.pid"
  fi
}

# Issue 16: the services bind 127.0.0.1 unless TESTBED_SERVER_ADDRESS (HTTP) or KERNEL_SIM_GRPC_ADDRESS (gRPC)
# opens them; opened, they want a bearer token (TESTBED_TOKEN or TESTBED_TOKEN_FILE, passed to each service through
# the environment) and refuse to start without one. Say so here, once, before starting anything.
check_token() {
  opened=""
  for address in "${TESTBED_SERVER_ADDRESS:-127.0.0.1}" "${KERNEL_SIM_GRPC_ADDRESS:-127.0.0.1}"; do
    case $address in
      127.*|localhost|::1|'[::1]') ;;
      *) opened="$address" ;;
    esac
  done
  [ -n "$opened" ] || return 0
  if [ -n "${TESTBED_TOKEN:-}${TESTBED_TOKEN_FILE:-}" ]; then
    echo "  bound on $opened: writes and kernel-sim's gRPC calls need 'Authorization: Bearer <TESTBED_TOKEN>'"
  elif [ "${TESTBED_ALLOW_ANONYMOUS:-false}" = true ]; then
    echo "  bound on $opened with TESTBED_ALLOW_ANONYMOUS=true: anyone who can reach the ports may write"
  else
    echo "ERROR: the services would bind $opened (beyond loopback) without a bearer token, and would refuse to start." >&2
    echo "  Set TESTBED_TOKEN (at least 16 characters, e.g. export TESTBED_TOKEN=\$(openssl rand -hex 32)) or" >&2
    echo "  TESTBED_TOKEN_FILE; or unset TESTBED_SERVER_ADDRESS/KERNEL_SIM_GRPC_ADDRESS to stay on 127.0.0.1." >&2
    exit 1
  fi
}

# tls-client reaches kernel-sim's syscall streams over the framed stream on a Unix domain socket in a private
# directory (issue 19: length-prefixed syscalls, ~45 us per round trip against ~100 us for gRPC); kernel-sim also
# keeps its gRPC Unix socket, and the gateway's admin calls and Prometheus stay on TCP.
# KERNEL_SIM_FRAMED_UDS_PATH= (empty) puts tls-client back on gRPC over KERNEL_SIM_GRPC_UDS_PATH;
# KERNEL_SIM_GRPC_UDS_PATH= as well keeps everything on TCP; a path over 100 bytes (the socket address limit) is not used.
unix_socket() {
  if [ -z "${KERNEL_SIM_GRPC_UDS_PATH+set}" ]; then
    KERNEL_SIM_GRPC_UDS_PATH=$(pwd)/$RUN/grpc/kernel-sim.sock
    [ ${#KERNEL_SIM_GRPC_UDS_PATH} -le 100 ] || KERNEL_SIM_GRPC_UDS_PATH=
  fi
  if [ -z "${KERNEL_SIM_FRAMED_UDS_PATH+set}" ]; then
    KERNEL_SIM_FRAMED_UDS_PATH=$(pwd)/$RUN/grpc/kernel-sim-framed.sock
    [ ${#KERNEL_SIM_FRAMED_UDS_PATH} -le 100 ] || KERNEL_SIM_FRAMED_UDS_PATH=
  fi
  export KERNEL_SIM_GRPC_UDS_PATH KERNEL_SIM_FRAMED_UDS_PATH
  if [ -z "${TESTBED_KERNEL_DEFAULT:-}" ]; then
    if [ -n "$KERNEL_SIM_FRAMED_UDS_PATH" ]; then
      export TESTBED_KERNEL_DEFAULT=framed://$KERNEL_SIM_FRAMED_UDS_PATH
    elif [ -n "$KERNEL_SIM_GRPC_UDS_PATH" ]; then
      export TESTBED_KERNEL_DEFAULT=unix://$KERNEL_SIM_GRPC_UDS_PATH
    fi
  fi
}

start() {
  check_token
  mkdir -p "$RUN" data
  unix_socket
  echo "Starting the stack (logs in $RUN/):"
  for s in $SERVICES; do
    if pid=$(running_pid "$s"); then
      echo "  $s already running (pid $pid)"
    else
      jar=$s/target/$s-$VERSION-exec.jar
      [ -f "$jar" ] || { echo "ERROR: $jar is missing; run make build" >&2; exit 1; }
      opts=$JAVA_OPTS
      [ "$s" = kernel-sim-service ] && opts="-Xmx$KERNEL_SIM_HEAP -XX:+ExitOnOutOfMemoryError $opts"
      [ "$s" = gateway-service ] && opts="$GATEWAY_JIT $opts"
      # shellcheck disable=SC2086
      nohup java $opts -jar "$jar" >"$RUN/$s.log" 2>&1 </dev/null &
      echo $! >"$RUN/$s.pid"
      echo "  $s starting (pid $!, log $RUN/$s.log)"
    fi
    if ! java scripts/WaitHealthy.java "$s" "$(health_url "$s")" "$HEALTH_TIMEOUT" "$RUN/$s.log" "$(cat "$RUN/$s.pid")"; then
      echo "The services started before $s keep running: fix the cause and run make run again, or make stop." >&2
      exit 1
    fi
  done
  start_prometheus
}

stop() {
  stopped=0
  for s in prometheus gateway-service tls-client-service kernel-sim-service git-http-server; do
    if pid=$(running_pid "$s"); then
      kill "$pid"
      i=0
      while kill -0 "$pid" 2>/dev/null && [ $i -lt 60 ]; do sleep 0.5; i=$((i + 1)); done
      if kill -0 "$pid" 2>/dev/null; then
        echo "  $s (pid $pid) did not stop within 30 s; killing it"
        kill -9 "$pid" 2>/dev/null || true
      fi
      echo "  $s stopped"
      stopped=$((stopped + 1))
    fi
    rm -f "$RUN/$s.pid"
  done
  [ $stopped -gt 0 ] || echo "Nothing to stop (no service started by make run is running)."
}

status() {
  for s in $SERVICES prometheus; do
    if pid=$(running_pid "$s"); then echo "  $s running (pid $pid)"; else echo "  $s not running"; fi
  done
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
