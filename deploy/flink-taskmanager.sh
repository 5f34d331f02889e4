#!/usr/bin/env bash
# Starts the TaskManager of the session cluster of deploy/flink-start.sh [REST_PORT] (again, after it died or was
# killed: the JobManager's restart strategy then redeploys the job on it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rest="${1:-8081}"
dir="$state_dir/flink-$rest"
if [[ ! -f "$dir/conf/config.yaml" ]]; then
  echo "no cluster configured for REST port $rest: run deploy/flink-start.sh $rest first" >&2; exit 1
fi
if [[ -f "$dir/tm.pid" ]] && kill -0 "$(cat "$dir/tm.pid")" 2>/dev/null; then
  echo "the TaskManager of REST port $rest is already running"; exit 0
fi
cp="$(classpath flink)"
# TaskManagerRunner needs the memory settings the distribution's scripts compute with BashJavaUtils.
res="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir "$dir/conf" 2>/dev/null \
  | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
jvm_args="$(echo "$res" | sed -n 1p)"
dyn_props="$(echo "$res" | sed -n 2p)"
nohup java $jvm_args $flink_opens -Dlog4j2.configurationFile="$dir/conf/log4j.properties" -Dlog.file="$dir/taskmanager.log" \
  -cp "$cp" org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$dir/conf" $dyn_props \
  >>"$dir/taskmanager.out" 2>&1 &
echo $! > "$dir/tm.pid"
