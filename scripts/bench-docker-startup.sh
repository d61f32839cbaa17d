#!/usr/bin/env bash
# Measures, with the Docker runtime: the time from `run` to every client registered (4 clients, the seed
# profile fitted to this host), and each client container's memory at the moment it registered, when it is
# idle: JVM, ND4J and its natives, the model, its data and the clustered event bus, before any training.
# Memory and CPU time are read from the container's cgroup (v1: total_rss, total_cache for the page cache,
# cpuacct.usage).
# Needs the JAR (mvn package), a Docker engine and a client image (FL_HETERO_CLIENT_IMAGE, default the
# offline fl-hetero/jre:17). Run as root (cgroup files).
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${FL_HETERO_CLIENT_IMAGE:-fl-hetero/jre:17}
RUNS=$(mktemp -d)
LOG=$RUNS/run.log
start=$(date +%s.%N)
# As a user starts it: without OMP_NUM_THREADS, so `run` restarts its JVM with it set (and its class-data archive).
env -u OMP_NUM_THREADS java -jar target/fl-hetero.jar run --runtime docker --client-image "$IMAGE" --profile seed \
  --fit-to-host --rounds 1 --dataset synthetic --synthetic-examples 4000 --data-percentage 0.05 \
  --metrics-port 0 --runs-dir "$RUNS" >"$LOG" 2>&1 &
pid=$!
declare -A seen=()
count=0
for _ in $(seq 1 1200); do
  for c in client1 client2 client3 client4; do
    if [ -z "${seen[$c]:-}" ] && grep -q "client $c .*registered:" "$LOG"; then
      id=$(docker inspect -f '{{.Id}}' "$c")
      stat=/sys/fs/cgroup/memory/docker/$id/memory.stat
      rss=$(awk '$1=="total_rss"{print int($2/1048576)}' "$stat")
      cache=$(awk '$1=="total_cache"{print int($2/1048576)}' "$stat")
      cpu=$(awk '{printf "%.1f", $1/1e9}' "/sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage")
      seen[$c]="rss ${rss} MB, page cache ${cache} MB, ${cpu} CPU-seconds"
      count=$((count + 1))
    fi
  done
  [ "$count" -ge 4 ] && break
  sleep 0.1
done
registered=$(date +%s.%N)
printf '4 clients registered %.1f s after `run` started\n' "$(echo "$registered - $start" | bc)"
grep 'registered:' "$LOG" | sed 's/^/  /'
echo "idle client containers, at registration:"
for c in client1 client2 client3 client4; do echo "  $c: ${seen[$c]:-not seen}"; done
wait $pid || true
tail -2 "$LOG"
[ -n "${KEEP:-}" ] || rm -rf "$RUNS"
