#!/usr/bin/env bash
# Takes a headless Chromium screenshot of the demo's web page (coefficient trajectories with confidence bands).
#   deploy/screenshot-demo.sh [OUT.png]        (default: demo.png)
# Installs Debian's chromium if it is missing (needs root or sudo), runs `streamglm demo --max-events 60000`
# on a fixed port, waits for the last window, and shoots the page.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-demo.png}"
port="${DEMO_PORT:-18088}"
if ! command -v chromium >/dev/null; then
  echo "installing chromium (Debian package) ..." >&2
  ${SUDO:-$( [[ $(id -u) -eq 0 ]] || echo sudo)} apt-get install -y -q chromium >/dev/null
fi
log="$(mktemp)"
"$here/streamglm" demo --max-events 60000 --rate 30000 --port "$port" --linger 30 >"$log" 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  grep -q "serving the page" "$log" && break
  sleep 1
done
grep -q "serving the page" "$log" || { echo "the demo did not finish; its log:" >&2; cat "$log" >&2; exit 1; }
profile="$(mktemp -d)"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --window-size=1400,1100 --virtual-time-budget=4000 --screenshot="$out" "http://127.0.0.1:$port/" 2>/dev/null
rm -rf "$profile"
echo "wrote $out" >&2
