#!/usr/bin/env bash
# ============================================================================================
#  LOCAL STAND-IN, for machines WITHOUT REGISTRY ACCESS. With a normal Docker you do not need
#  this: `docker compose up --build` pulls the official images.
# ============================================================================================
# Builds look-alikes of the four base images docker-compose.yml and the Dockerfiles name, from a
# debootstrap'd Debian 12 with Debian's packages, and tags them with the official names so that the
# project's Dockerfiles and docker-compose.yml build and run unchanged:
#
#   maven:3.9-eclipse-temurin-17   Debian's openjdk-17-jdk-headless + Maven 3.9.11 from Maven Central
#   eclipse-temurin:17-jre-jammy   Debian's openjdk-17-jre-headless, bash, passwd
#   postgres:17-alpine             Debian's postgresql-15 (Debian 12 has no 17) + an entrypoint doing
#                                  what the official one does with POSTGRES_USER/PASSWORD/DB
#   prom/prometheus:<compose tag>  Debian's prometheus (2.42) + wget for the healthcheck
#
# The maven stand-in also trusts the host's local CA certificates (/usr/local/share/ca-certificates,
# or STANDIN_LOCAL_CA): Maven runs inside the image build and must reach Maven Central, through a
# TLS-intercepting egress proxy where the machine has one (these development machines do).
#
# Grafana is not built: Debian does not package it, and its only sources are Grafana's own
# repositories and Docker Hub. Start the stack without it (COMPOSE_SMOKE_SKIP=grafana).
# The images carry the label io.testbed.standin, so `remove` (and anyone) can tell them apart.
#
# Needs: root, debootstrap (apt-get install debootstrap), a running Docker engine, and Debian's
# mirror and Maven Central reachable. Builds use the host's network (an engine started with
# --bridge=none has no other). See docs/DEPLOYMENT.md, "Without registry access".
#
#   scripts/compose-standin-images.sh build    # ~10 min the first time (debootstrap, apt)
#   scripts/compose-standin-images.sh remove   # the stand-in images and the base image
#   scripts/compose-standin-images.sh dockerfiles  # only the Dockerfile copies the override builds from
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${STANDIN_WORK:-.run/standin}
MIRROR=${STANDIN_MIRROR:-http://deb.debian.org/debian}
BASE=testbed-standin/debian:bookworm
MAVEN_VERSION=3.9.11
MAVEN_SHA512=bcfe4fe305c962ace56ac7b5fc7a08b87d5abd8b7e89027ab251069faebee516b0ded8961445d6d91ec1985dfe30f8153268843c89aa392733d1a3ec956c9978
MAVEN_URL=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/$MAVEN_VERSION/apache-maven-$MAVEN_VERSION-bin.tar.gz
DOCKER=${DOCKER:-docker}

die() { echo "compose-standin-images: $*" >&2; exit 1; }
step() { echo "== $* ($(date -u +%H:%M:%S))"; }

# the tag docker-compose.yml gives Prometheus, so the stand-in answers to exactly that name
prometheus_tag() {
  local tag
  tag=$(sed -n 's/^[[:space:]]*image:[[:space:]]*\(prom\/prometheus:[^[:space:]]*\).*/\1/p' docker-compose.yml | head -n 1)
  [ -n "$tag" ] || die "docker-compose.yml names no prom/prometheus image"
  echo "$tag"
}

base_image() {
  if $DOCKER image inspect "$BASE" >/dev/null 2>&1; then
    echo "$BASE exists"
    return
  fi
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install -y debootstrap"
  [ "$(id -u)" = 0 ] || die "debootstrap needs root"
  local rootfs=$WORK/rootfs
  if [ ! -x "$rootfs/usr/bin/apt-get" ]; then
    step "debootstrap --variant=minbase bookworm into $rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
      || die "debootstrap failed, see $WORK/debootstrap.log"
  fi
  # apt sources with the security updates; no services started by package scripts (as in Docker's debian images)
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
    "$MIRROR" "$MIRROR" > "$rootfs/etc/apt/sources.list"
  printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d" && chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  step "importing $rootfs as $BASE"
  tar -C "$rootfs" -c . | $DOCKER import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'LABEL io.testbed.standin="Debian 12 minbase (debootstrap)"' \
    -c 'CMD ["bash"]' - "$BASE" >/dev/null
}

maven_tarball() {
  local file=$WORK/context/apache-maven-$MAVEN_VERSION-bin.tar.gz
  if [ ! -s "$file" ] || ! echo "$MAVEN_SHA512  $file" | sha512sum -c --status -; then
    step "Maven $MAVEN_VERSION from Maven Central"
    curl -fsSL -o "$file" "$MAVEN_URL" || die "cannot download $MAVEN_URL"
    echo "$MAVEN_SHA512  $file" | sha512sum -c --status - || die "$file does not match its SHA-512"
  fi
}

build_one() { # tag dockerfile
  step "building $1 (stand-in, scripts/standin/$2)"
  DOCKER_BUILDKIT=0 $DOCKER build --network host -q -t "$1" -f "$WORK/context/$2" "$WORK/context" >/dev/null \
    || die "building $1 failed"
}

# The services' Dockerfiles without their `# syntax=docker/dockerfile:1` line, for
# docker-compose.local-standin.yml: that line makes BuildKit fetch the docker/dockerfile:1 frontend
# from Docker Hub; the engine's built-in frontend handles the rest (RUN --mount=type=cache included).
dockerfiles() {
  local dir=$WORK/dockerfiles service
  mkdir -p "$dir"
  for service in git-http-server kernel-sim-service tls-client-service gateway-service; do
    sed '1{/^# syntax=/d}' "$service/Dockerfile" > "$dir/$service.Dockerfile"
  done
  echo "Dockerfiles without the # syntax line: $dir/"
}

build() {
  $DOCKER info >/dev/null 2>&1 || die "no Docker engine answers ($DOCKER info)"
  dockerfiles
  mkdir -p "$WORK/context"
  cp scripts/standin/*.Dockerfile scripts/standin/postgres-entrypoint.sh "$WORK/context/"
  # the host's local CA certificates, for Maven's downloads inside the image build (an intercepting
  # egress proxy's CA, where there is one): STANDIN_LOCAL_CA, default Debian's local CA directory
  rm -rf "$WORK/context/local-ca" && mkdir -p "$WORK/context/local-ca"
  find "${STANDIN_LOCAL_CA:-/usr/local/share/ca-certificates}" -maxdepth 1 -name '*.crt' \
    -exec cp {} "$WORK/context/local-ca/" \; 2>/dev/null || true
  base_image
  maven_tarball
  build_one eclipse-temurin:17-jre-jammy jre.Dockerfile
  build_one maven:3.9-eclipse-temurin-17 maven.Dockerfile
  build_one postgres:17-alpine postgres.Dockerfile
  build_one "$(prometheus_tag)" prometheus.Dockerfile
  echo "Stand-in images (label io.testbed.standin):"
  $DOCKER images --filter label=io.testbed.standin --format '  {{.Repository}}:{{.Tag}}  {{.Size}}'
}

remove() {
  # by id, intermediate and untagged ones included (they all inherit the label from the base image;
  # so do images built on the stand-ins, such as the services' own)
  # A child must go before its parent, so a few passes.
  local images
  for _ in 1 2 3 4; do
    images=$($DOCKER images -a -q --filter label=io.testbed.standin | sort -u)
    [ -n "$images" ] || break
    $DOCKER rmi -f $images >/dev/null 2>&1 || true
  done
  images=$($DOCKER images -a -q --filter label=io.testbed.standin | sort -u)
  [ -z "$images" ] || die "could not remove the images $images (containers still using them?)"
  $DOCKER builder prune -f >/dev/null 2>&1 || true
  echo "stand-in images and build cache removed"
  rm -rf "$WORK"
}

case "${1:-}" in
  build) build ;;
  dockerfiles) dockerfiles ;;
  remove) remove ;;
  *) echo "usage: $0 build|dockerfiles|remove  (LOCAL STAND-IN base images for machines without registry access)" >&2; exit 2 ;;
esac
