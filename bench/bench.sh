#!/usr/bin/env bash
# Runs the stream and SQL benchmarks (io.streamglm.bench.Bench: stream, sql; --help lists their options), building
# them first if the jars are missing or older than the sources. The benchmarks are not in the streamglm CLI:
# their thin jar runs on the classpath of the product's shaded jar. The same JVM settings as ./streamglm.
#   bench/bench.sh stream --records 400000 --repeats 3 [--state-backend rocksdb]
#   bench/bench.sh sql --model MODEL.json --rows 2000000
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$root/flink-job/target/streamglm.jar"
bench="$here/target/streamglm-bench.jar"
stale() {
  [[ ! -f "$1" ]] || [[ -n "$(find "$root/engine/src" "$root/connectors/src" "$root/flink-job/src" "$here/src" \
      "$root/pom.xml" "$here/pom.xml" -newer "$1" -type f -print -quit 2>/dev/null)" ]]
}
if stale "$jar" || stale "$bench"; then
  echo "bench: building $bench ..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl bench -am package) >&2
fi
# The heap cap is ./streamglm's; the 400,000-row window runs need STREAMGLM_HEAP=4g.
# Whole processes (stream --fit-command) run through ./streamglm, as users run them.
exec java ${STREAMGLM_JAVA_OPTS:-} -Xmx"${STREAMGLM_HEAP:-768m}" -XX:+UseParallelGC -Dstreamglm.launcher="$root/streamglm" \
  -cp "$bench:$jar" io.streamglm.bench.Bench "$@"
