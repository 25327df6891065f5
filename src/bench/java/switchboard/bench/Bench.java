package switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The load generator and delivery checker: {@code ./run.sh bench MODE [options]}. It speaks the chat's
 * text protocol, so it measures Switchboard and any other chat server (the Node baseline) the same way.
 */
public final class Bench {

  static final String USAGE = """
      usage: ./run.sh bench MODE [--name value ...]
        fanout    N subscribers on the chat channel, one WebSocket publisher
        redis     like fanout, but the publisher is Redis PUBLISH (server started with redis.uri)
        channels  N connections, each on its own room (Rooms app mounted at /rooms), publishing to itself
        idle      open and hold N connections; with --server-pid, memory per connection (--warmup 0:
                  no warm-up round of N connections opened and closed first; --gc no: never force a GC,
                  RSS as an operator sees it, --seconds after the last connect)
        connect   handshake + first message per second
        pingflood one client pings nonstop and never reads for --seconds: was it cut, and (--server-pid)
                  how much the server's RSS grew
        burst     one chat client sends --messages lines of --size bytes back to back (24 x 60000 with
                  --size 60000) while --subscribers readers read promptly: how many readers were closed
      options (default):
        --url ws://127.0.0.1:3000   server base URL        --subscribers 1000   fanout subscribers
                                    (wss://: TLS, any certificate accepted)
        --connections 1000          channels/idle sockets  --rate 100           messages/s, or max
        --window 16                 --rate max: messages not yet delivered to everyone
        --seconds 10  --warmup 3    measured / warm-up     --size 64            payload bytes
        --server-pid PID            report server CPU, deliveries per server CPU-second, memory
        --redis redis://127.0.0.1:6379   for redis mode    --concurrency 50     parallel connects
        --source-addresses 8        spread over 127.0.0.1..N (0: no bind)  --label NAME      tag for the JSON line
        --path /{n}                 connect: URL path, {n} = client name (/rooms/{n}/{n}: a room each)
        --messages 24               burst: lines the sender sends back to back
        --transport ws              fanout, idle: subscribers over ws (WebSocket) or sse (Server-Sent Events)
        --protocol chat             fanout, channels, idle: subscribers speak the chat's protocol or centrifuge
                                    (Centrifugo's client protocol at /connection/websocket, anonymous; in
                                    channels mode each publishes to its own channel with the publish command)
        --api-key KEY               fanout, channels: publish over HTTP, through Centrifugo's server API
                                    (POST /api/publish) with --protocol centrifuge, else through the
                                    publish API (POST /api/publish/{channel}, KEY as its bearer token)
        --subscribe-path /s{n}      fanout, idle: where subscriber n connects ({n}: its number); /sub/chat for uWebSockets
        --publish-path /publisher   fanout: where the publisher connects; /pub/chat for uWebSockets
        --io io_uring               how the tool's sockets meet the kernel: io_uring (no system call per
                                    read; the default where available, but for wss://) or epoll (a read(2)
                                    each: where calls are dear, those reads can make the tool the bottleneck)
        --settle-core N             first wait (up to 60 s) until core N is quiet (at most 10% busy over
                                    0.5 s), so that a server still busy from an earlier run on that core
                                    does not take from this one; the JSON line's settle_s says how long
                                    (-1: the core stayed busy, and the run went ahead anyway)
      """;

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    try {
      run(options).print();
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    } catch (Exception e) {
      // one line, and an exit: the tool's event-loop threads would otherwise keep the JVM alive
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("bench: failed against " + options.url() + ": " + cause.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }

  /** Runs one benchmark and returns its figures as JSON. */
  public static io.vertx.core.json.JsonObject run(String... args) throws Exception {
    return run(BenchOptions.parse(args)).json();
  }

  static Report run(BenchOptions options) throws Exception {
    Double settled = options.settleCore() < 0 ? null : settle(options.settleCore());
    Report report = runMode(options).put("tool_io", options.io());
    return settled == null ? report : report.put("settle_s", settled);
  }

  private static Report runMode(BenchOptions options) throws Exception {
    return switch (options.mode()) {
      case "fanout", "redis", "channels" -> new Fanout(options, options.mode()).run();
      case "idle" -> Idle.run(options);
      case "connect" -> new Connect(options).run();
      case "pingflood" -> PingFlood.run(options);
      case "burst" -> Burst.run(options);
      default -> throw new IllegalArgumentException("unknown mode " + options.mode());
    };
  }

  /** Waits for core {@code core} to go quiet; returns the seconds waited, -1 when it never did (then runs anyway). */
  private static double settle(int core) throws InterruptedException {
    double waited = QuietCore.await(core, 0.1, Duration.ofMillis(500), Duration.ofSeconds(60));
    if (waited < 0) {
      progress("WARNING: core %d stayed busy for 60 s; measuring anyway", core);
    } else if (waited >= 1) {
      progress("core %d was busy: waited %.1f s before connecting", core, waited);
    }
    return waited;
  }

  static void progress(String format, Object... args) {
    System.err.println("bench: " + String.format(Locale.ROOT, format, args));
  }

  /** Opens n sockets, at most {@code concurrency} handshakes at a time, failing on the first refusal. */
  static <T> void connectAll(int n, int concurrency, IntFunction<CompletableFuture<T>> open,
                             List<T> into) throws Exception {
    List<CompletableFuture<T>> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(open.apply(i));
      if (batch.size() == concurrency || i == n - 1) {
        for (CompletableFuture<T> f : batch) {
          into.add(f.get(30, TimeUnit.SECONDS));
        }
        batch.clear();
      }
    }
  }
}
