package switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * connect: {@code --concurrency} clients in a loop, each connecting, sending one chat line, waiting for its
 * own line to come back, and closing. {@code --path} is the URL path with {n} for the client's name: the
 * default {@code /{n}} joins the chat (so each line also goes to the other connected clients);
 * {@code /rooms/{n}/{n}} gives each client a room of its own, measuring only handshake + first message. Reports completed handshakes + first message per second and the
 * time from connect to that first message.
 */
final class Connect {

  private final BenchOptions o;
  private final EventLoopGroup group;
  private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong names = new AtomicLong();
  private final AtomicBoolean measuring = new AtomicBoolean();
  private volatile boolean stopped;

  Connect(BenchOptions o) {
    this.o = o;
    this.group = ToolIo.group(o.io(), 1);
  }

  Report run() throws Exception {
    CpuWindow.prepare(o.serverPid());
    for (int i = 0; i < o.concurrency(); i++) {
      next(i);
    }
    TimeUnit.SECONDS.sleep(o.warmup());
    CpuWindow window = new CpuWindow(o.serverPid());
    long done0 = completed.get();
    measuring.set(true);
    for (int s = 1; s <= o.seconds(); s++) {
      long before = completed.get();
      TimeUnit.SECONDS.sleep(1);
      Bench.progress("%3d s  %,8d connections/s", s, completed.get() - before);
    }
    stopped = true;
    double seconds = window.seconds();
    long done = completed.get() - done0;
    ProcessStats.CpuTime serverCpu = window.serverCpu();
    double toolCpu = window.toolCpu();
    long failures = failed.get(); // read before the shutdown cuts the connects still in flight
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    return new Report().put("mode", "connect").put("label", o.label()).put("url", o.url().toString())
        .put("concurrency", o.concurrency()).put("seconds", seconds).put("completed", done)
        .put("failed", failures).put("connections_per_s", done / seconds).latency(latency)
        .cpu(o.serverPid(), serverCpu, toolCpu, seconds, done, "connections");
  }

  /** One client: connect, say hello, wait for its own line, close, then start the next. */
  private void next(int slot) {
    if (stopped) {
      return;
    }
    String nick = "c" + names.incrementAndGet();
    byte[] ownLine = (nick + ": hello").getBytes(StandardCharsets.US_ASCII);
    long start = System.nanoTime();
    RawWebSocket[] self = new RawWebSocket[1];
    RawWebSocket.connect(group, o.at(o.path().replace("{n}", nick)), o.sourceAddress(slot), (ByteBuf buffer, int from, int to, long now) -> {
      if (self[0] != null && isLine(buffer, from, to, ownLine)) {
        if (measuring.get()) {
          latency.recordValue(now - start);
        }
        completed.incrementAndGet();
        self[0].close();
        self[0] = null;
        group.next().execute(() -> next(slot));
      }
    }).whenComplete((ws, error) -> {
      if (error != null) {
        if (!stopped) { // a connect cut short by the end of the run is not a failure of the server
          failed.incrementAndGet();
        }
        group.next().schedule(() -> next(slot), 10, TimeUnit.MILLISECONDS);
        return;
      }
      self[0] = ws;
      ws.channel().eventLoop().execute(() -> ws.sendText("hello".getBytes(StandardCharsets.US_ASCII)));
    });
  }

  private static boolean isLine(ByteBuf buffer, int from, int to, byte[] expected) {
    if (to - from != expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (buffer.getByte(from + i) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
