package switchboard.bench;

import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * idle: opens and holds N chat connections (each subscribed to the chat channel), spread over source
 * addresses 127.0.0.x, and with {@code --server-pid} reports the server's RSS and heap-after-GC per
 * connection (the difference to before, divided by N).
 */
final class Idle {

  private Idle() {
  }

  static Report run(BenchOptions o) throws Exception {
    if (o.serverPid() <= 0) {
      Bench.progress("no --server-pid: memory per connection cannot be measured");
    }
    long rssBefore = ProcessStats.rssKib(o.serverPid());
    long heapBefore = ProcessStats.heapAfterGcKib(o.serverPid());
    EventLoopGroup group = RawWebSocket.group(1);
    List<RawWebSocket> sockets = new ArrayList<>();
    long t0 = System.nanoTime();
    Bench.connectAll(o.connections(), o.concurrency(), i -> RawWebSocket.connect(group, o.at("/idle" + i),
        o.sourceAddress(i), (payload, now) -> { }), sockets);
    double connectSeconds = (System.nanoTime() - t0) / 1e9;
    Bench.progress("%,d connections open in %.1f s; holding %d s", sockets.size(), connectSeconds, o.seconds());
    TimeUnit.SECONDS.sleep(o.seconds());
    long rssAfter = ProcessStats.rssKib(o.serverPid());
    long heapAfter = ProcessStats.heapAfterGcKib(o.serverPid());
    long open = sockets.stream().filter(s -> !s.closed().isDone()).count();
    sockets.forEach(RawWebSocket::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    Report report = new Report().put("mode", "idle").put("label", o.label()).put("url", o.url().toString())
        .put("connections", o.connections()).put("still_open", open).put("connect_seconds", connectSeconds);
    if (o.serverPid() > 0) {
      report.put("server_rss_before_kib", rssBefore).put("server_rss_after_kib", rssAfter)
          .put("rss_per_connection_kib", (rssAfter - rssBefore) / (double) o.connections())
          .put("heap_after_gc_before_kib", heapBefore).put("heap_after_gc_after_kib", heapAfter)
          .put("heap_per_connection_kib", (heapAfter - heapBefore) / (double) o.connections());
    }
    return report;
  }
}
