#!/usr/bin/env bash
# Stops the session cluster started by deploy/flink-start.sh [REST_PORT].
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rest="${1:-8081}"
dir="$state_dir/flink-$rest"
for role in tm jm; do
  if [[ -f "$dir/$role.pid" ]]; then
    pid="$(cat "$dir/$role.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/$role.pid"
  fi
done
echo "Flink (REST port $rest) stopped"
