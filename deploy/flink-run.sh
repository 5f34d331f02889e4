#!/usr/bin/env bash
# The `flink run` of the distribution, from Maven artifacts: submits the streamglm job jar to a session cluster.
#   deploy/flink-run.sh REST_PORT stream --bootstrap-servers ... (any `streamglm stream` options)
# The jar's entry point runs the given streamglm command; `stream` builds the job graph and the cluster runs it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rest="$1"; shift
dir="$state_dir/flink-$rest"
jar="$repo_dir/flink-job/target/streamglm.jar"
[[ -f "$jar" ]] || (cd "$repo_dir" && ./mvnw -q -B -DskipTests install)
cp="$(classpath flink)"
FLINK_CONF_DIR="$dir/conf" exec java --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -Dlog4j2.configurationFile="$dir/conf/log4j.properties" -Dlog.file="$dir/client.log" -cp "$cp" \
  org.apache.flink.client.cli.CliFrontend run -m "127.0.0.1:$rest" -c io.streamglm.job.cli.StreamGlm "$jar" "$@"
