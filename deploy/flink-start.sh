#!/usr/bin/env bash
# Starts a real standalone Flink 2.2 session cluster from Maven artifacts alone: a JobManager and a TaskManager
# as separate processes (2 slots).
#   deploy/flink-start.sh [REST_PORT]      (default 8081; RPC ports are REST_PORT+1 and up)
# Submit with `streamglm stream --jobmanager 127.0.0.1:REST_PORT ...` or deploy/flink-run.sh. Stop with
# deploy/flink-stop.sh [REST_PORT]. $STREAMGLM_FLINK_CONF, if set, is appended to the cluster's config.yaml.
# deploy/flink-taskmanager.sh [REST_PORT] starts the TaskManager again after it died (or was killed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rest="${1:-8081}"
dir="$state_dir/flink-$rest"
mkdir -p "$dir/conf"
if [[ -f "$dir/jm.pid" ]] && kill -0 "$(cat "$dir/jm.pid")" 2>/dev/null; then
  echo "Flink is already running with REST port $rest"; exit 0
fi
cp="$(classpath flink)"
cat > "$dir/conf/config.yaml" <<CONF
jobmanager:
  rpc:
    address: 127.0.0.1
    port: $((rest + 1))
  bind-host: 127.0.0.1
  memory:
    process:
      size: 1024m
taskmanager:
  bind-host: 127.0.0.1
  host: 127.0.0.1
  rpc:
    port: $((rest + 2))
  numberOfTaskSlots: 2
  memory:
    process:
      size: 1600m
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: $rest
blob:
  server:
    port: $((rest + 3))
parallelism:
  default: 2
env:
  java:
    opts:
      all: --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
CONF
# Extra settings for this cluster, one "key: value" per line (e.g. faster failure detection in fault tests).
if [[ -n "${STREAMGLM_FLINK_CONF:-}" ]]; then printf '%s\n' "$STREAMGLM_FLINK_CONF" >> "$dir/conf/config.yaml"; fi
cp "$deploy_dir/log4j2.properties" "$dir/conf/log4j.properties"
nohup java -Xmx768m $flink_opens -Dlog4j2.configurationFile="$dir/conf/log4j.properties" -Dlog.file="$dir/jobmanager.log" \
  -cp "$cp" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$dir/conf" \
  >"$dir/jobmanager.out" 2>&1 &
echo $! > "$dir/jm.pid"
"$deploy_dir/flink-taskmanager.sh" "$rest"
for _ in $(seq 1 150); do
  if curl -sf "http://127.0.0.1:$rest/overview" 2>/dev/null | grep -q '"taskmanagers":1'; then
    echo "Flink session cluster: REST http://127.0.0.1:$rest (JobManager pid $(cat "$dir/jm.pid"), TaskManager pid $(cat "$dir/tm.pid"))"
    exit 0
  fi
  sleep 0.4
done
echo "Flink did not come up; see $dir/jobmanager.log and $dir/taskmanager.log" >&2
exit 1
