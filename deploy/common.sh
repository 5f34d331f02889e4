# Shared by the deploy scripts: where state lives, and how to get a runtime classpath from Maven.
deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$deploy_dir")"
state_dir="${STREAMGLM_DEPLOY_DIR:-$repo_dir/deploy/.run}"
mkdir -p "$state_dir"
# The JVM flags Flink 2.2 processes need on Java 17 (the distribution's scripts pass the same).
flink_opens="--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"

classpath() { # classpath <kafka|flink>: resolves (once) and prints the runtime classpath of deploy/<name>/pom.xml
  local name="$1" cp="$state_dir/$1.classpath"
  if [[ ! -s "$cp" ]]; then
    "$repo_dir/mvnw" -q -B -f "$deploy_dir/$name/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$cp" -DincludeScope=runtime >&2
  fi
  cat "$cp"
}

wait_for_port() { # wait_for_port <port> <seconds>
  local port="$1" tries=$(( $2 * 5 ))
  for _ in $(seq 1 "$tries"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}
