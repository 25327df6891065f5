#!/usr/bin/env bash
# Switchboard: build if needed, then run the server or the tests.
#   ./run.sh [launcher options]   start the server with conf/config.json (http://localhost:3000)
#   ./run.sh test                 run the whole test suite
#   ./run.sh bench MODE [options] the load generator (./run.sh bench for the usage)
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/switchboard.jar
# G1 with a short pause goal: latency of fan-out matters more than peak throughput of the collector.
# Exit on OOM rather than limp along with half-dead connections; a supervisor restarts the process.
DEFAULT_JAVA_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError"

build_if_stale() {
  if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit)" ]; then
    echo "run.sh: building $JAR" >&2
    mvn -B -q -DskipTests package
  fi
}

case "${1:-}" in
  test)
    shift
    exec mvn -B test "$@"
    ;;
  bench)
    shift
    build_if_stale
    # the tool's own heap: big enough for 15,000 sockets and the histograms, no GC pauses to speak of
    # and no Netty leak detector: it samples buffers with stack traces, costly at a million reads a second
    exec java -Xms512m -Xmx2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -cp "$JAR" switchboard.bench.Bench "$@"
    ;;
  *)
    build_if_stale
    has_conf=no
    for arg in "$@"; do
      case "$arg" in -conf|--conf|-conf=*|--conf=*) has_conf=yes ;; esac
    done
    if [ "$has_conf" = no ]; then
      set -- --conf conf/config.json "$@"
    fi
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -jar "$JAR" "$@"
    ;;
esac
