#!/usr/bin/env bash
# Replay against fit on the same generated claims rows, side by side in one run (issue 15). Whole processes,
# timed by the shell; every replayed fit is compared with fit's (deviance, iterations, every estimate and
# standard error, as JSON numbers: bit for bit).
#
#   bench/replay.sh all [ROWS] [REPEATS]   fit vs replay --window all on one file (default 1,000,000 rows, 3
#                                          repeats, alternating; medians), both through ./streamglm
#   bench/replay.sh windows [ROWS]         one replay --window tumbling:30d over 12 windows of a file with a time
#                                          column (default 12,000,000 rows) vs 12 fit runs on the window files
#   bench/replay.sh larger [ROWS]          replay --window all of a file larger than the heap (./streamglm's
#                                          768 MB; default 12,000,000 rows, about 1 GB), vs fit with 8 GB
#
# Data and results go to $STREAMGLM_BENCH_DIR (default /tmp/streamglm-bench-replay).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$root/flink-job/target/streamglm.jar"
dir="${STREAMGLM_BENCH_DIR:-/tmp/streamglm-bench-replay}"
mode="${1:-all}"
mkdir -p "$dir"

if [ ! -f "$jar" ] || [ -n "$(find "$root/engine/src" "$root/connectors/src" "$root/flink-job/src" -newer "$jar" -print -quit)" ]; then
  (cd "$root" && ./mvnw -B -q -pl engine,connectors,flink-job -am package -DskipTests)
fi

# seconds of a command, its output to a log
timed() {
  local log="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}'
}

# compares a fit JSON with a refit record (first line of a JSONL file, or the line whose window starts at $3)
same_fit() {
  python3 - "$1" "$2" "${3:-}" <<'EOF'
import json, sys
fit = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
start = sys.argv[3]
refit = lines[0] if not start else next(r for r in lines if str(r["window"]["start_ms"]) == start)
bad = [k for k, c in fit["coefficients"].items()
       if c["estimate"] != refit["coefficients"][k]["estimate"] or c["std_error"] != refit["coefficients"][k]["std_error"]]
ok = fit["deviance"] == refit["deviance"] and fit["iterations"] == refit["iterations"] and not bad
print(("same fit" if ok else "DIFFERENT fit") + f": deviance {fit['deviance']} / {refit['deviance']}, rows {refit['rows']}")
sys.exit(0 if ok else 1)
EOF
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

case "$mode" in
all)
  rows="${2:-1000000}"; repeats="${3:-3}"
  data="$dir/claims_$rows.csv"
  [ -f "$data" ] || java -jar "$jar" generate --rows "$rows" --out "$data" --spec-dir "$dir"
  : >"$dir/fit.times"; : >"$dir/replay.times"
  # Both through ./streamglm, as users run them (its JVM options, and for replay its class-data-sharing archive),
  # with the heap of STREAMGLM_HEAP (default here 4g, so that the workers keep the 1M rows between passes). The
  # first replay of a built jar writes the archive; that run is timed apart and not in the medians.
  launch=(env STREAMGLM_HEAP="${STREAMGLM_HEAP:-4g}" "$root/streamglm")
  first=$(timed "$dir/replay.log" "${launch[@]}" replay --data "$data" --spec "$dir/poisson.json" --out "$dir/all.jsonl" \
    --no-progress --parallelism 2)
  echo "first replay of this jar (it writes the class archive when there is none): $first s"
  for i in $(seq "$repeats"); do
    timed "$dir/fit.log" "${launch[@]}" fit --data "$data" --spec "$dir/poisson.json" --out "$dir/fit.json" --quiet >>"$dir/fit.times"
    timed "$dir/replay.log" "${launch[@]}" replay --data "$data" --spec "$dir/poisson.json" --out "$dir/all.jsonl" \
      --no-progress --parallelism 2 >>"$dir/replay.times"
    same_fit "$dir/fit.json" "$dir/all.jsonl"
  done
  f=$(median <"$dir/fit.times"); r=$(median <"$dir/replay.times")
  echo "rows $rows, $repeats repeats: fit $(paste -sd' ' "$dir/fit.times") s, replay --window all $(paste -sd' ' "$dir/replay.times") s"
  printf 'medians: fit %.2f s, replay %.2f s, replay / fit = %.2f (target at most 3)\n' "$f" "$r" "$(awk -v a="$r" -v b="$f" 'BEGIN {print a / b}')"
  ;;
windows)
  rows="${2:-12000000}"
  data="$dir/claims_${rows}_ts.csv"
  [ -f "$data" ] || java -jar "$jar" generate --rows "$rows" --out "$data" --spec-dir "$dir" \
    --time-from 2025-01-12T00:00:00Z --time-days 360
  # the window files: rows by 30-day window of ts (the last column), each with the header
  rm -rf "$dir/windows"; mkdir -p "$dir/windows"
  awk -F, -v d="$dir/windows" 'NR == 1 {h = $0; next} {w = int($NF / 2592000000); f = d "/w" w ".csv";
    if (!(f in seen)) {print h > f; seen[f] = 1} print > f}' "$data"
  replay=$(timed "$dir/replay-windows.log" java -jar "$jar" replay --data "$data" --spec "$dir/poisson.json" \
    --time-column ts --window tumbling:30d --out "$dir/windows.jsonl" --no-progress --parallelism 2)
  total=0
  for f in "$dir"/windows/w*.csv; do
    w=$(basename "$f" .csv); w=${w#w}
    t=$(timed "$dir/fit-$w.log" java -jar "$jar" fit --data "$f" --spec "$dir/poisson.json" --out "$dir/fit-$w.json" --quiet)
    total=$(awk -v a="$total" -v b="$t" 'BEGIN {print a + b}')
    same_fit "$dir/fit-$w.json" "$dir/windows.jsonl" "$((w * 2592000000))"
  done
  n=$(ls "$dir"/windows/w*.csv | wc -l)
  printf 'rows %s in %s windows: one replay %.2f s, %s fit runs on the window files %.2f s, replay / fits = %.2f\n' \
    "$rows" "$n" "$replay" "$n" "$total" "$(awk -v a="$replay" -v b="$total" 'BEGIN {print a / b}')"
  ;;
larger)
  rows="${2:-12000000}"
  data="$dir/claims_$rows.csv"
  [ -f "$data" ] || java -jar "$jar" generate --rows "$rows" --out "$data" --spec-dir "$dir"
  sample="$dir/claims_100000.csv"
  [ -f "$sample" ] || java -jar "$jar" generate --rows 100000 --out "$sample"
  f=$(timed "$dir/fit-8g.log" java -Xmx8g -jar "$jar" fit --data "$data" --spec "$dir/poisson.json" --out "$dir/fit-large.json" --quiet)
  # the design (levels) from a sample: learning it from all rows would need them in memory at once
  # ./streamglm's JVM settings, without its rebuild check
  r=$(timed "$dir/replay-768m.log" java -Xmx768m -XX:+UseParallelGC -jar "$jar" replay --data "$data" --design-data "$sample" \
    --spec "$dir/poisson.json" --out "$dir/large.jsonl" --no-progress --parallelism 2)
  same_fit "$dir/fit-large.json" "$dir/large.jsonl"
  printf 'rows %s (%s MB): fit with -Xmx8g %.2f s; replay with -Xmx768m %.2f s\n' "$rows" \
    "$(( $(stat -L -c %s "$data") >> 20 ))" "$f" "$r"
  ;;
*)
  echo "usage: bench/replay.sh all|windows|larger [ROWS]" >&2; exit 2 ;;
esac
