#!/usr/bin/env bash
# Stops the broker started by deploy/kafka-start.sh [PORT]; --clean also removes its data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
port="${1:-9092}"
dir="$state_dir/kafka-$port"
if [[ -f "$dir/pid" ]]; then
  pid="$(cat "$dir/pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
  echo "Kafka on port $port stopped"
fi
[[ "${2:-}" == "--clean" ]] && rm -rf "$dir"
exit 0
