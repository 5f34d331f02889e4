#!/usr/bin/env bash
# The 100-lambda lasso path on the generated benchmark file (1M rows x 77 columns, Poisson, log(exposure) offset),
# in one run: streamglm fit (whole process) against R glmnet's fit alone, at glmnet's default thresh 1e-7.
# Installs Debian's R and glmnet when missing. Usage: bench/penalized.sh [--rows N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
rows=1000000
[[ "${1:-}" == "--rows" ]] && rows="$2"
out="$here/results"; mkdir -p "$out"
data="$out/claims_${rows}.csv"
cd "$root"
./mvnw -q -B -o -DskipTests package >&2
jar="$root/flink-job/target/streamglm.jar"
[[ -f "$data" ]] || java -jar "$jar" generate --rows "$rows" --out "$data" --spec-dir "$out" >&2
java -jar "$jar" generate --rows 1 --out "$out/.spec-only.csv" --spec-dir "$out" >/dev/null 2>&1
python3 - "$out/poisson.json" "$out/lasso.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["penalty"] = {"l1_ratio": 1, "path": {"n_lambda": 100}, "thresh": 1e-7}
json.dump(spec, open(sys.argv[2], "w"), indent=1)
PY
if ! Rscript -e 'library(glmnet)' >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-glmnet >&2
fi
/usr/bin/time -f "streamglm fit, whole process: %e s, peak RSS %M KB" \
  java -Xmx2g -XX:+UseParallelGC -jar "$jar" fit --data "$data" --spec "$out/lasso.json" --out "$out/lasso-fit.json" --quiet
python3 -c "import json; f = json.load(open('$out/lasso-fit.json'))['penalized']['fits']; print('streamglm lambdas:', len(f))"
Rscript "$here/penalized_glmnet.R" "$data" "$out/glmnet-coef.csv" "$out/glmnet-path.csv"
