package switchboard.bench;

import io.netty.channel.EventLoopGroup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code bench burst}: one chat client sends {@code --messages} lines of {@code --size} bytes back to back
 * while {@code --subscribers} readers read everything promptly; reports how many readers the server closed
 * (it should close none: a reader that keeps up is never a slow consumer) and what each received.
 */
final class Burst {

  private Burst() {
  }

  static Report run(BenchOptions o) throws Exception {
    EventLoopGroup group = ToolIo.group(o.io(), 1);
    try {
      int readers = o.subscribers();
      AtomicLongArray received = new AtomicLongArray(readers);
      List<RawWebSocket> sockets = new ArrayList<>();
      Bench.connectAll(readers, o.concurrency(), i -> RawWebSocket.connect(group, o.at("/reader" + i), null,
          (buffer, from, to, now) -> received.incrementAndGet(i)), sockets);
      List<RawWebSocket> senders = new ArrayList<>();
      Bench.connectAll(1, 1, i -> RawWebSocket.connect(group, o.at("/burst"), null, (buffer, from, to, now) -> { }), senders);
      RawWebSocket sender = senders.get(0);
      byte[] line = "b".repeat(o.size()).getBytes(StandardCharsets.US_ASCII);
      sender.channel().eventLoop().execute(() -> {
        for (int i = 0; i < o.messages(); i++) {
          sender.sendText(line);
        }
      });
      // the readers read on as long as lines keep coming; a second with nothing new ends the run
      long last = -1;
      long total = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.seconds());
      while (System.nanoTime() < deadline) {
        Thread.sleep(1000);
        total = 0;
        for (int i = 0; i < readers; i++) {
          total += received.get(i);
        }
        if (total == last) {
          break;
        }
        last = total;
      }
      int closed = 0;
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < readers; i++) {
        if (sockets.get(i).closed().isDone()) {
          closed++;
        }
        min = Math.min(min, received.get(i));
        max = Math.max(max, received.get(i));
      }
      Report report = new Report().put("mode", "burst").put("label", o.label()).put("readers", readers)
          .put("lines_sent", o.messages()).put("line_bytes", o.size()).put("readers_closed", closed)
          .put("lines_received_min", min).put("lines_received_max", max)
          .put("sender_closed", sender.closed().isDone());
      for (RawWebSocket socket : sockets) {
        socket.close();
      }
      sender.close();
      return report;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
