#!/usr/bin/env bash
# Starts a real Kafka broker (KRaft: broker and controller in one process) from Maven artifacts alone.
#   deploy/kafka-start.sh [PORT]       (default 9092; the controller listens on PORT+1)
# State and logs: deploy/.run/kafka-PORT/ (or $STREAMGLM_DEPLOY_DIR). Stop it with deploy/kafka-stop.sh [PORT].
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
port="${1:-9092}"
dir="$state_dir/kafka-$port"
mkdir -p "$dir"
if [[ -f "$dir/pid" ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
  echo "Kafka is already running on port $port (pid $(cat "$dir/pid"))"; exit 0
fi
cp="$(classpath kafka)"
cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((port + 1))
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=1
PROPS
log="-Dlog4j2.configurationFile=$deploy_dir/log4j2.properties -Dlog.file=$dir/kafka.log"
if [[ ! -d "$dir/data" ]]; then
  java $log -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
    -c "$dir/server.properties" >/dev/null
fi
nohup java -Xmx1g $log -cp "$cp" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
echo $! > "$dir/pid"
if ! wait_for_port "$port" 60; then
  echo "Kafka did not open port $port; see $dir/stdout.log and $dir/kafka.log" >&2; exit 1
fi
echo "Kafka broker on 127.0.0.1:$port (pid $(cat "$dir/pid"))"
