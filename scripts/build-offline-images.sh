#!/usr/bin/env bash
# Builds the images fl-hetero needs without any container registry, from Debian packages:
#   fl-hetero/jre:17          a minimal Debian with OpenJDK 17 JRE: the client image (--client-image)
#   fl-hetero/prometheus:2    Debian's Prometheus, entrypoint /usr/bin/prometheus
# Needs root, docker and debootstrap (apt-get install docker.io debootstrap), and a Debian mirror (the one
# configured in /etc/apt, or MIRROR=...). Images that already exist are kept unless FORCE=1.
set -euo pipefail

SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-$( (grep -hoE '^URIs: *http[^ ]*debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | head -1 | sed 's/^URIs: *//') || true)}
MIRROR=${MIRROR:-$( (grep -hoE '^deb +http[^ ]*debian/? ' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $2}') || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
WORK=${WORK:-/var/tmp/fl-hetero-images}

need() { command -v "$1" >/dev/null || { echo "error: $1 is missing; install it (apt-get install $2)" >&2; exit 2; }; }
need debootstrap debootstrap
need docker docker.io
docker info >/dev/null 2>&1 || { echo "error: no Docker engine answers; start it (dockerd) or set DOCKER_HOST" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "error: debootstrap needs root" >&2; exit 2; }

# build NAME PACKAGES IMPORT-CHANGES...
build() {
  local name=$1 packages=$2; shift 2
  if [ "${FORCE:-0}" != 1 ] && docker image inspect "$name" >/dev/null 2>&1; then
    echo "$name: present (FORCE=1 rebuilds)"; return
  fi
  local root="$WORK/$(echo "$name" | tr '/:' '__')"
  rm -rf "$root"; mkdir -p "$root"
  echo "$name: debootstrap $SUITE from $MIRROR with $packages"
  debootstrap --variant=minbase --include="$packages" "$SUITE" "$root" "$MIRROR" >"$root.log" 2>&1 \
    || { echo "error: debootstrap failed, see $root.log" >&2; tail -5 "$root.log" >&2; exit 1; }
  # Trim what a container never reads.
  rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
         "$root"/usr/share/locale/* "$root"/usr/share/javascript/moment-timezone/data
  find "$root"/usr/lib/jvm -name ct.sym -delete 2>/dev/null || true
  local changes=()
  for c in "$@"; do changes+=(-c "$c"); done
  tar -C "$root" -c . | docker import "${changes[@]}" - "$name" >/dev/null
  rm -rf "$root" "$root.log"
  echo "$name: built, $(docker image inspect -f '{{.Size}}' "$name" | awk '{printf "%d MB", $1/1048576}')"
}

build fl-hetero/jre:17 openjdk-17-jre-headless \
  "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64" "ENV LANG=C.UTF-8"
if [ "${WITH_PROMETHEUS:-1}" = 1 ]; then
  build fl-hetero/prometheus:2 prometheus \
    'ENTRYPOINT ["/usr/bin/prometheus"]' "ENV LANG=C.UTF-8"
fi
