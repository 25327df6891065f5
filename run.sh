#!/usr/bin/env bash
# Switchboard: build if needed, then run the server or the tests.
#   ./run.sh [launcher options]   start the server with conf/config.json (http://localhost:3000)
#   ./run.sh test                 run the whole test suite
#   ./run.sh bench MODE [options] the load generator (./run.sh bench for the usage)
#   ./run.sh fuzz [seed]          the seeded random-frame fuzzer against a real server (~1.5 min)
#   ./run.sh faults               fault campaigns: 10,000-client shutdown, 5 Redis restarts (~3 min)
#   ./run.sh check-config [file] validate a config and print the effective values
#   ./run.sh compare [rounds] [peers [bench options]]   Switchboard vs the Node baseline, the wire floor and
#                                 (when built) uWebSockets, side by side, medians (needs node); bench options
#                                 (say --warmup 8) apply to every server's runs alike
#   ./run.sh compare [rounds] transports   Switchboard's own transports side by side: WebSocket (fast path),
#                                 WebSocket on Vert.x's public API, wss:// (TLS), SSE
#   ./run.sh compare [rounds] ab OLD.jar [bench options]   this build against another Switchboard jar,
#                                 side by side, ABBA order, at 100k deliveries/s and --rate max (OLD_CONF=..., OLD_JAVA_OPTS=...)
#   ./run.sh compare [rounds] protocol     the chat's protocol beside Centrifugo's: fan-out to 1,000, and 10,000
#                                 channels with one subscriber each (published by the client, or by the server API)
#   ./run.sh compare [rounds] idle [OLD.jar]   RSS per idle connection as an operator sees it (10,000 held, no
#                                 forced GC), each server started afresh per round: Switchboard, Node, uWebSockets
#                                 (when built), or this build against OLD.jar (~1 min a server a round)
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/switchboard.jar
# the load generator's own jar (src/bench); it runs against the server jar beside it
BENCH_JAR=target/switchboard-bench.jar
# G1 with a short pause goal: latency of fan-out matters more than peak throughput of the collector.
# Heap free ratios 10-20% (defaults 40-70%): after a full GC the committed heap is sized to the live set,
# so memory follows the connections held and a burst of garbage is given back to the OS instead of
# staying resident (young collections, the fan-out path, are not affected).
# G1PeriodicGCInterval (JEP 346): a server that had no GC for 15 s runs a concurrent cycle, and memory it no
# longer needs goes back to the OS. Measured with bench idle --gc no: 10,000 idle connections, RSS 10 s after
# the last connect, 16.6-16.9 -> 4.7 KiB each (at 5 s). Not 5 s: at 100k deliveries/s the fan-out allocates so
# little that a 5-s cycle fired inside busy runs too (38 GC pauses against 17-29 in the same runs at 15 s),
# while idle RSS after 10,000 connects was no higher at 15 s (106-115 MB against 115-117 MB).
# Exit on OOM rather than limp along with half-dead connections; a supervisor restarts the process.
DEFAULT_JAVA_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=15000 -XX:+ExitOnOutOfMemoryError"
# TrimNativeHeapInterval (JDK 17.0.9+): every 5 s, native memory the JVM freed (the JIT compiler's arenas
# after a burst of new code, most of all) goes back to the OS; glibc kept it resident. Measured with bench
# idle --gc no, 10,000 connections, 30 s after the last connect: RSS 150-156 -> 129-134 MB. Left out on a JDK
# that does not know the flag.
if java -XX:TrimNativeHeapInterval=5000 -version > /dev/null 2>&1; then
  DEFAULT_JAVA_OPTS="$DEFAULT_JAVA_OPTS -XX:TrimNativeHeapInterval=5000"
fi

# how compare's load generator meets the kernel: io_uring where available, or BENCH_IO=epoll (bench --io,
# ToolIo in src/bench); session 21 measured why: epoll's read per delivery made the tool the bottleneck
TOOL_IO_OPT=${BENCH_IO:+--io $BENCH_IO}

build_if_stale() {
  mkdir -p target
  # one build at a time: a second ./run.sh (say, the benchmark in another terminal) waits, then re-checks,
  # instead of rebuilding the jar under a server that is starting from it
  exec 9>target/.build.lock
  flock 9
  if [ ! -f "$JAR" ] || [ ! -f "$BENCH_JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit)" ]; then
    echo "run.sh: building $JAR" >&2
    mvn -B -q -DskipTests package
  fi
  flock -u 9
}

case "${1:-}" in
  test)
    shift
    if [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
      exec mvn -B test -Pe2e -De2e.chromium="${CHROMIUM:-/usr/bin/chromium}" "$@"
    fi
    status=0
    mvn -B test "$@" || status=$?
    echo "run.sh: the BROWSER SUITE WAS NOT RUN: no Chromium at ${CHROMIUM:-/usr/bin/chromium}." >&2
    echo "run.sh: install it (apt-get install chromium, or CHROMIUM=/path/to/chromium) and run ./run.sh test again." >&2
    exit $status
    ;;
  bench)
    shift
    build_if_stale
    # the tool's own heap: big enough for 15,000 sockets and the histograms, no GC pauses to speak of
    # and no Netty leak detector: it samples buffers with stack traces, costly at a million reads a second
    exec java -Xms512m -Xmx2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -jar "$BENCH_JAR" "$@"
    ;;
  fuzz)
    exec mvn -B test -Pheavy -Dtest=FrameFuzzIT -Dfuzz.seed="${2:-20261121}" -Dsurefire.failIfNoSpecifiedTests=false
    ;;
  faults)
    exec mvn -B test -Pheavy -Dtest='ShutdownAtScaleIT,RedisChaosIT,NetworkCutIT' -Dsurefire.failIfNoSpecifiedTests=false
    ;;
  check-config)
    build_if_stale
    exec java -cp "$JAR" switchboard.CheckConfig "${2:-conf/config.json}"
    ;;
  compare)
    build_if_stale
    rounds=${2:-3}
    out=target/bench
    mkdir -p "$out"
    # each run first waits for core 0 to be quiet: a server that fell behind (Node at 300k/s) goes on
    # working for seconds after its run, and the next server on core 0 would get half of it
    bench() { taskset -c 1 java -Xms512m -Xmx2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled \
      -jar "$BENCH_JAR" fanout $TOOL_IO_OPT --subscribers 1000 --seconds 8 --warmup 3 --settle-core 0 "$@" 2>/dev/null; }
    if [ "${3:-peers}" = protocol ]; then
      key=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
      token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
      SWITCHBOARD_API_KEY=$key SWITCHBOARD_PUBLISH_TOKEN=$token SWITCHBOARD_PORT=3120 taskset -c 0 java $DEFAULT_JAVA_OPTS -jar "$JAR" --conf conf/bench.json \
        > "$out/protocol.log" 2>&1 &
      sb=$!
      trap 'kill $sb 2>/dev/null' EXIT
      sleep 5
      url=ws://127.0.0.1:3120
      echo "compare: warming the server up" >&2
      for warm in 1 2 3; do # the JIT needs more than one run (see below)
        bench --url $url --rate max > /dev/null
        bench --url $url --rate max --protocol centrifuge > /dev/null
      done
      chan() { taskset -c 1 java -Xms512m -Xmx2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled \
        -jar "$BENCH_JAR" channels $TOOL_IO_OPT --connections 10000 --seconds 8 --warmup 3 --settle-core 0 --url $url --server-pid $sb "$@" 2>/dev/null; }
      : > "$out/protocol.jsonl"
      for round in $(seq "$rounds"); do
        for rate in 100 max; do
          echo "compare: round $round, fan-out, rate $rate" >&2
          bench --url $url --rate $rate --server-pid $sb --label chat | grep '^JSON' >> "$out/protocol.jsonl"
          bench --url $url --rate $rate --server-pid $sb --label centrifuge --protocol centrifuge | grep '^JSON' >> "$out/protocol.jsonl"
        done
        for rate in 20000 max; do
          echo "compare: round $round, 10,000 channels, rate $rate" >&2
          chan --rate $rate --label chat | grep '^JSON' >> "$out/protocol.jsonl"
          chan --rate $rate --label chat-api --api-key "$token" | grep '^JSON' >> "$out/protocol.jsonl"
          chan --rate $rate --label centrifuge --protocol centrifuge | grep '^JSON' >> "$out/protocol.jsonl"
          chan --rate $rate --label centrifuge-api --protocol centrifuge --api-key "$key" | grep '^JSON' >> "$out/protocol.jsonl"
        done
      done
      java -cp "$BENCH_JAR" switchboard.bench.Summary "$out/protocol.jsonl" chat
      exit 0
    fi
    if [ "${3:-peers}" = idle ]; then
      # a fresh server per run: one-time costs (JIT code, classes) are paid in the run, as a restarted
      # server pays them; it idles 15 s first, then 10,000 connections are held 30 s, RSS read over the last 10
      old_jar=${4:-}
      [ -z "$old_jar" ] || [ -f "$old_jar" ] || { echo "compare idle: no such jar: $old_jar" >&2; exit 2; }
      if [ -z "$old_jar" ] && [ ! -d "$out/node-chat/node_modules" ]; then
        cp -r ../shared/baseline/node-chat "$out/" && (cd "$out/node-chat" && npm install --silent --no-audit --no-fund)
      fi
      uws_bin=${UWS_SERVER:-target/bench/uws_server}
      servers="switchboard"
      if [ -n "$old_jar" ]; then servers="before switchboard"; else servers="switchboard node"; [ -x "$uws_bin" ] && servers="$servers uws"; fi
      : > "$out/idle.jsonl"
      for round in $(seq "$rounds"); do
        for server in $servers; do
          echo "compare: round $round, idle, $server" >&2
          path=/s{n}
          case $server in
            switchboard) SWITCHBOARD_PORT=3170 taskset -c 0 java $DEFAULT_JAVA_OPTS -jar "$JAR" --conf conf/bench.json > "$out/idle-$server.log" 2>&1 & port=3170 ;;
            before) SWITCHBOARD_PORT=3171 taskset -c 0 java ${OLD_JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -jar "$old_jar" --conf "${OLD_CONF:-conf/bench.json}" > "$out/idle-$server.log" 2>&1 & port=3171 ;;
            node) (cd "$out/node-chat" && PORT=8086 exec taskset -c 0 node server.js) > "$out/idle-$server.log" 2>&1 & port=8086 ;;
            uws) taskset -c 0 "$uws_bin" /dev/null 8087 > "$out/idle-$server.log" 2>&1 & port=8087; path=/sub/chat ;;
          esac
          pid=$!
          sleep 15
          taskset -c 1 java -Xms512m -Xmx2g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -jar "$BENCH_JAR" \
            idle $TOOL_IO_OPT --url ws://127.0.0.1:$port --subscribe-path "$path" --connections 10000 --seconds 30 --warmup 0 --gc no \
            --server-pid $pid --label $server 2>/dev/null | grep '^JSON' >> "$out/idle.jsonl" || true
          kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
        done
      done
      baseline=uws
      [ -n "$old_jar" ] && baseline=before
      grep -q '"label":"uws"' "$out/idle.jsonl" || [ -n "$old_jar" ] || baseline=node
      java -cp "$BENCH_JAR" switchboard.bench.Summary "$out/idle.jsonl" "$baseline"
      exit 0
    fi
    if [ "${3:-peers}" = ab ]; then
      # this build against another jar of Switchboard (say, one built from an earlier commit), side by
      # side on core 0, ABBA order, 3 closed-loop warm-ups each: ./run.sh compare 3 ab OLD.jar [bench options]
      old_jar=${4:?"compare ab: name the jar to compare with (./run.sh compare 3 ab OLD.jar [bench options])"}
      [ -f "$old_jar" ] || { echo "compare ab: no such jar: $old_jar" >&2; exit 2; }
      shift 4
      SWITCHBOARD_PORT=3160 taskset -c 0 java ${OLD_JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -jar "$old_jar" --conf "${OLD_CONF:-conf/bench.json}" \
        > "$out/ab-before.log" 2>&1 &
      before=$!
      SWITCHBOARD_PORT=3161 taskset -c 0 java $DEFAULT_JAVA_OPTS -jar "$JAR" --conf conf/bench.json > "$out/ab-after.log" 2>&1 &
      after=$!
      trap 'kill $before $after 2>/dev/null' EXIT
      sleep 5
      echo "compare: warming the servers up" >&2
      for warm in 1 2 3; do
        bench --url ws://127.0.0.1:3160 --rate max "$@" > /dev/null
        bench --url ws://127.0.0.1:3161 --rate max "$@" > /dev/null
      done
      : > "$out/ab.jsonl"
      for round in $(seq "$rounds"); do
        for rate in 100 max; do
          echo "compare: round $round, rate $rate" >&2
          order="3160:$before:before 3161:$after:after"
          [ $((round % 2)) = 1 ] || order="3161:$after:after 3160:$before:before"
          for server in $order; do
            IFS=: read -r port pid label <<< "$server"
            bench --url ws://127.0.0.1:$port --rate $rate --server-pid $pid --label $label "$@" | grep '^JSON' >> "$out/ab.jsonl"
          done
        done
      done
      java -cp "$BENCH_JAR" switchboard.bench.Summary "$out/ab.jsonl" before
      exit 0
    fi
    if [ "${3:-peers}" = transports ]; then
      # one server per way of serving, all on core 0 (one measured at a time), the tool on core 1
      if [ ! -f "$out/tls/server.crt" ]; then
        mkdir -p "$out/tls"
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
          -keyout "$out/tls/server.key" -out "$out/tls/server.crt" 2>/dev/null
      fi
      sed 's|^{|{ "transport": { "fastPath": false },|' conf/bench.json > "$out/bench-public-api.json"
      sed "s|^{|{ \"tls\": { \"certPath\": \"$out/tls/server.crt\", \"keyPath\": \"$out/tls/server.key\", \"port\": 3113 },|" \
        conf/bench.json > "$out/bench-tls.json"
      SWITCHBOARD_PORT=3110 taskset -c 0 java $DEFAULT_JAVA_OPTS -jar "$JAR" --conf conf/bench.json > "$out/fast.log" 2>&1 &
      fast=$!
      SWITCHBOARD_PORT=3111 taskset -c 0 java $DEFAULT_JAVA_OPTS -jar "$JAR" --conf "$out/bench-public-api.json" > "$out/public-api.log" 2>&1 &
      public=$!
      SWITCHBOARD_PORT=3112 taskset -c 0 java $DEFAULT_JAVA_OPTS -jar "$JAR" --conf "$out/bench-tls.json" > "$out/tls.log" 2>&1 &
      tls=$!
      trap 'kill $fast $public $tls 2>/dev/null' EXIT
      sleep 5
      echo "compare: warming the servers up" >&2
      for warm in 1 2 3; do # the JIT needs more than one run (see below)
        bench --url ws://127.0.0.1:3110 --rate max > /dev/null
        bench --url ws://127.0.0.1:3111 --rate max > /dev/null
        bench --url wss://127.0.0.1:3113 --rate max > /dev/null
        bench --url ws://127.0.0.1:3110 --transport sse --rate max > /dev/null
      done
      : > "$out/transports.jsonl"
      for round in $(seq "$rounds"); do
        for rate in 100 max; do
          echo "compare: round $round, rate $rate" >&2
          bench --url ws://127.0.0.1:3110 --rate $rate --server-pid $fast --label websocket | grep '^JSON' >> "$out/transports.jsonl"
          bench --url ws://127.0.0.1:3111 --rate $rate --server-pid $public --label ws-public-api | grep '^JSON' >> "$out/transports.jsonl"
          bench --url wss://127.0.0.1:3113 --rate $rate --server-pid $tls --label wss | grep '^JSON' >> "$out/transports.jsonl"
          bench --url ws://127.0.0.1:3110 --transport sse --rate $rate --server-pid $fast --label sse | grep '^JSON' >> "$out/transports.jsonl"
        done
      done
      java -cp "$BENCH_JAR" switchboard.bench.Summary "$out/transports.jsonl" websocket
      exit 0
    fi
    [ "${3:-peers}" = peers ] || { echo "compare: no such mode: $3 (peers, transports, ab, protocol, idle)" >&2; exit 2; }
    shift $(( $# < 3 ? $# : 3 )) # what is left are bench options, for every server alike
    if [ ! -d "$out/node-chat/node_modules" ]; then
      cp -r ../shared/baseline/node-chat "$out/" && (cd "$out/node-chat" && npm install --silent --no-audit --no-fund)
    fi
    # the servers on core 0 (one runs at a time), the load generator on core 1
    SWITCHBOARD_PORT=3100 taskset -c 0 java $DEFAULT_JAVA_OPTS -jar "$JAR" --conf conf/bench.json > "$out/switchboard.log" 2>&1 &
    sb=$!
    (cd "$out/node-chat" && PORT=8082 exec taskset -c 0 node server.js) > "$out/node.log" 2>&1 &
    node=$!
    # the wire floor: nothing but one send(2) per delivery, what any server pays on this machine
    taskset -c 0 java $DEFAULT_JAVA_OPTS -cp "$BENCH_JAR" switchboard.internal.FloorServer 8084 > "$out/floor.log" 2>&1 &
    floor=$!
    # uWebSockets (C++), the peer to beat: built from its public sources, never kept in this repository
    uws_bin=${UWS_SERVER:-target/bench/uws_server}
    uws=""
    if [ -x "$uws_bin" ]; then
      taskset -c 0 "$uws_bin" /dev/null 8085 > "$out/uws.log" 2>&1 &
      uws=$!
    else
      echo "compare: uWebSockets is not built, so it is left out. To add it, take git snapshots of" >&2
      echo "  https://github.com/uNetworking/uWebSockets (tag v20.79.0) and https://github.com/uNetworking/uSockets," >&2
      echo "  then: ../shared/baseline/uws/build.sh UWS_GIT_DIR USOCKETS_GIT_DIR $uws_bin   (or set UWS_SERVER)" >&2
    fi
    trap 'kill $sb $node $floor $uws 2>/dev/null' EXIT
    sleep 5
    uws_paths="--subscribe-path /sub/chat --publish-path /pub/chat"
    # three closed-loop runs each: the JVMs' JIT is still compiling after one (C2 took a fifth of the
    # server's CPU in the next run's window, perf), and a long-running server is measured warm; the
    # native servers get the same runs
    echo "compare: warming the servers up" >&2
    for warm in 1 2 3; do
      bench --url ws://127.0.0.1:3100 --rate max > /dev/null
      bench --url ws://127.0.0.1:8082 --rate max > /dev/null
      bench --url ws://127.0.0.1:8084 --rate max > /dev/null
      [ -z "$uws" ] || bench --url ws://127.0.0.1:8085 $uws_paths --rate max > /dev/null
    done
    : > "$out/compare.jsonl"
    for round in $(seq "$rounds"); do
      for rate in 50 100 300 max; do
        echo "compare: round $round, rate $rate" >&2
        bench --url ws://127.0.0.1:3100 --rate $rate --server-pid $sb --label switchboard "$@" | grep '^JSON' >> "$out/compare.jsonl"
        bench --url ws://127.0.0.1:8082 --rate $rate --server-pid $node --label node "$@" | grep '^JSON' >> "$out/compare.jsonl"
        bench --url ws://127.0.0.1:8084 --rate $rate --server-pid $floor --label floor "$@" | grep '^JSON' >> "$out/compare.jsonl"
        [ -z "$uws" ] || bench --url ws://127.0.0.1:8085 $uws_paths --rate $rate --server-pid $uws --label uws "$@" \
          | grep '^JSON' >> "$out/compare.jsonl"
      done
    done
    # ratios to uWebSockets when it ran (the peer to beat), else to Node; and to the floor
    baseline=node
    [ -z "$uws" ] || baseline=uws
    java -cp "$BENCH_JAR" switchboard.bench.Summary "$out/compare.jsonl" "$baseline" floor
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
