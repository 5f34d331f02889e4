#!/usr/bin/env bash
# Times, in one run on the same generated file (1M rows x 77 design columns, Poisson with log(exposure) offset):
#   - streamglm fit end to end (process wall time, peak RSS) and the fit alone (data in memory, median of 3);
#   - R glm, and statsmodels, when installed (statsmodels is tried from a venv under bench/.venv);
#   - Spark GeneralizedLinearRegression on local[2] with cached data (bench/spark, built here on demand);
#   - the JMH accumulation-kernel benchmark next to a memory-bandwidth probe (--jmh).
# and prints a table with the ratios. Usage: bench/fit.sh [--rows N] [--skip-r] [--skip-spark] [--skip-statsmodels] [--jmh]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
rows=1000000
skip_r=0; skip_spark=0; skip_sm=0; jmh=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --skip-r) skip_r=1; shift ;;
    --skip-spark) skip_spark=1; shift ;;
    --skip-statsmodels) skip_sm=1; shift ;;
    --jmh) jmh=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
out="$here/results"; mkdir -p "$out"
data="$out/claims_${rows}.csv"
cd "$root"
./mvnw -q -B -DskipTests install >&2
jar="$root/flink-job/target/streamglm.jar"
if [[ ! -f "$data" ]]; then
  java -jar "$jar" generate --rows "$rows" --out "$data" --spec-dir "$out" >&2
fi
java -jar "$jar" generate --rows 1 --out "$out/.spec-only.csv" --spec-dir "$out" >/dev/null 2>&1

declare -A wall rss fitalone
measure() { # name, command...: process wall seconds and peak RSS (KB) into wall[name], rss[name]
  local name="$1"; shift
  local log="$out/$name.log"
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" >"$log" 2>&1 || { echo "$name failed, see $log" >&2; return 1; }
  read -r wall[$name] rss[$name] <"$out/$name.time"
}

echo "== streamglm (whole process, then the fit alone: median of 3 in one JVM)" >&2
measure streamglm "$root/streamglm" fit --data "$data" --spec "$out/poisson.json" --out "$out/streamglm.json" --quiet --timings
measure streamglm_fit "$root/streamglm" fit --data "$data" --spec "$out/poisson.json" --out "$out/streamglm.json" --quiet --timings --repeat-fit 3
fitalone[streamglm]=$(sed -n 's/.*fit \([0-9.]*\) s (median.*/\1/p' "$out/streamglm_fit.log")

if [[ $skip_r -eq 0 ]] && command -v Rscript >/dev/null; then
  echo "== R glm" >&2
  measure r Rscript "$here/fit_r.R" "$data" && fitalone[r]=$(sed -n 's/.* fit=\([0-9.]*\) .*/\1/p' "$out/r.log")
fi
if [[ $skip_sm -eq 0 ]]; then
  py="$here/.venv/bin/python"
  if [[ ! -x "$py" ]]; then
    (python3 -m venv "$here/.venv" && "$py" -m pip -q install --retries 0 --timeout 10 statsmodels pandas) >&2 || true
  fi
  if [[ -x "$py" ]] && "$py" -c "import statsmodels" 2>/dev/null; then
    echo "== statsmodels" >&2
    measure statsmodels "$py" "$here/fit_statsmodels.py" "$data" \
      && fitalone[statsmodels]=$(sed -n 's/.* fit=\([0-9.]*\) .*/\1/p' "$out/statsmodels.log")
  fi
fi
if [[ $skip_spark -eq 0 ]]; then
  echo "== Spark GLR local[2] (building bench/spark)" >&2
  ./mvnw -q -B -f "$here/spark/pom.xml" package dependency:build-classpath -Dmdep.outputFile="$out/spark.cp" >&2
  opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
  measure spark java -Xmx6g $opens -cp "$here/spark/target/streamglm-bench-spark-0.1.0-SNAPSHOT.jar:$(cat "$out/spark.cp")" \
      io.streamglm.bench.SparkGlrBench "$data" 3 \
    && fitalone[spark]=$(sed -n 's/.*fit_median=\([0-9.]*\) .*/\1/p' "$out/spark.log")
fi

printf '\n%-12s %14s %12s %16s %14s %14s\n' "tool" "whole (s)" "peak RSS MB" "fit alone (s)" "whole ratio" "fit ratio"
for t in streamglm r statsmodels spark; do
  [[ -n "${wall[$t]:-}" ]] || continue
  w=${wall[$t]}; f=${fitalone[$t]:-nan}
  awk -v t="$t" -v w="$w" -v m="${rss[$t]}" -v f="$f" -v ws="${wall[streamglm]}" -v fs="${fitalone[streamglm]}" 'BEGIN {
    fr = (f == "nan") ? "-" : sprintf("%.1fx", f / fs);
    printf "%-12s %14.2f %12.0f %16s %14s %14s\n", t, w, m / 1024, f, sprintf("%.1fx", w / ws), fr }'
done
echo "(ratios: the tool's time over streamglm's; above 1 means streamglm is faster)"
grep -h "rows=" "$out"/r.log "$out"/statsmodels.log "$out"/spark.log 2>/dev/null || true
grep -h "timings" "$out"/streamglm.log "$out"/streamglm_fit.log

if [[ $jmh -eq 1 ]]; then
  echo "== JMH: accumulation kernel and memory bandwidth" >&2
  ./mvnw -q -B -pl engine test-compile dependency:build-classpath -Dmdep.outputFile="$out/engine-test.cp" -Dmdep.includeScope=test >&2
  java -cp "$root/engine/target/test-classes:$root/engine/target/classes:$(cat "$out/engine-test.cp")" \
    io.streamglm.engine.bench.KernelBenchmarkMain | tee "$out/jmh.log"
fi
