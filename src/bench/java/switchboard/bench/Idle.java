package switchboard.bench;

import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * idle: opens and holds N chat connections (each subscribed to the chat channel), spread over source
 * addresses 127.0.0.x, and with {@code --server-pid} reports the server's memory per connection: the
 * difference to before, divided by N. With {@code --warmup} above 0 the same N connections are opened and
 * closed once first, so that one-time costs (JIT-compiled code, loaded classes, heap sizing) are not
 * charged to the connections. RSS is read twice at each point: as it is, and after a full GC (what the
 * connections hold, without the garbage their handshakes left). Without a forced GC, the figure after is
 * the median of one sample a second over the hold's last 10 seconds (its spread is reported too).
 */
final class Idle {

  private Idle() {
  }

  static Report run(BenchOptions o) throws Exception {
    long pid = o.serverPid();
    if (pid <= 0) {
      Bench.progress("no --server-pid: memory per connection cannot be measured");
    }
    EventLoopGroup group = ToolIo.group(o.io(), 1);
    if (o.warmup() > 0) {
      List<BenchClient> warmup = open(o, group);
      warmup.forEach(BenchClient::close);
      for (BenchClient socket : warmup) {
        socket.closed().get(30, TimeUnit.SECONDS);
      }
      TimeUnit.SECONDS.sleep(o.warmup()); // the server sees the closes and frees what they held
      Bench.progress("warm-up: %,d connections opened and closed", warmup.size());
    }
    Memory before = Memory.of(pid, o.forcedGc());
    long t0 = System.nanoTime();
    List<BenchClient> sockets = open(o, group);
    double connectSeconds = (System.nanoTime() - t0) / 1e9;
    Bench.progress("%,d connections open in %.1f s; holding %d s", sockets.size(), connectSeconds, o.seconds());
    // without a forced GC, RSS at one instant moves with the heartbeat round and G1's sizing (about 10 MB at
    // 10,000 connections): the last seconds of the hold are sampled once a second and their median kept
    int sampled = o.forcedGc() || pid <= 0 ? 0 : Math.min(10, o.seconds());
    TimeUnit.SECONDS.sleep(o.seconds() - sampled);
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < sampled; i++) {
      TimeUnit.SECONDS.sleep(1);
      samples.add(ProcessStats.rssKib(pid));
    }
    Memory after = sampled == 0 ? Memory.of(pid, o.forcedGc()) : new Memory(median(samples), 0, 0);
    long open = sockets.stream().filter(s -> !s.closed().isDone()).count();
    sockets.forEach(BenchClient::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    Report report = new Report().put("mode", "idle").put("label", o.label()).put("url", o.url().toString())
        .put("connections", o.connections()).put("still_open", open).put("connect_seconds", connectSeconds)
        .put("warmed_up", o.warmup() > 0);
    if (pid > 0 && !o.forcedGc()) {
      // what an operator sees: no GC forced at either point
      report.put("server_rss_before_kib", before.rss).put("server_rss_after_kib", after.rss)
          .put("server_rss_after_samples", samples.size())
          .put("server_rss_after_min_kib", samples.stream().mapToLong(Long::longValue).min().orElse(after.rss))
          .put("server_rss_after_max_kib", samples.stream().mapToLong(Long::longValue).max().orElse(after.rss))
          .put("rss_per_connection_no_forced_gc_kib", (after.rss - before.rss) / (double) o.connections());
    } else if (pid > 0) {
      double n = o.connections();
      report.put("server_rss_before_kib", before.rssAfterGc).put("server_rss_after_kib", after.rssAfterGc)
          .put("rss_per_connection_kib", (after.rssAfterGc - before.rssAfterGc) / n)
          .put("rss_per_connection_with_garbage_kib", (after.rss - before.rss) / n)
          .put("heap_after_gc_before_kib", before.heapAfterGc).put("heap_after_gc_after_kib", after.heapAfterGc)
          .put("heap_per_connection_kib", (after.heapAfterGc - before.heapAfterGc) / n);
    }
    return report;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static List<BenchClient> open(BenchOptions o, EventLoopGroup group) throws Exception {
    List<BenchClient> sockets = new ArrayList<>();
    Bench.connectAll(o.connections(), o.concurrency(), i -> o.subscriber(group, o.subscribePath().replace("{n}", String.valueOf(i)), "chat",
        o.sourceAddress(i), (buffer, from, to, now) -> { }), sockets);
    return sockets;
  }

  /** The server's RSS as it is, then its heap in use and RSS after a full GC, in KiB (0 without a pid). */
  private record Memory(long rss, long heapAfterGc, long rssAfterGc) {
    static Memory of(long pid, boolean forceGc) throws Exception {
      long rss = ProcessStats.rssKib(pid);
      if (!forceGc) {
        return new Memory(rss, 0, 0);
      }
      long heap = ProcessStats.heapAfterGcKib(pid);
      return new Memory(rss, heap, ProcessStats.rssKib(pid));
    }
  }
}
