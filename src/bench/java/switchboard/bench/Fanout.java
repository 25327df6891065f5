package switchboard.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fanout: N subscribers on one chat channel, one publisher (a WebSocket client, or Redis PUBLISH in
 * {@code redis} mode) at a fixed rate, open loop, or at the highest rate the subscribers keep up with
 * ({@code --rate max}: at most {@code --window} messages not yet delivered to everyone).
 * channels: N connections each on its own room (the Rooms app at /rooms), each publishing to itself.
 * <p>One continuous run: the publisher starts once and numbers on; the measured window is a time slice of
 * it, {@code --warmup} seconds in. Nothing is stopped, drained or started at the window's edge, so
 * neither server nor tool meets new code there (each switch did: the JIT deoptimized the tool's loops
 * and delayed the window's first messages). The window's messages are those stamped inside it; its
 * throughput and CPU are what the server did inside it. After it, the tool waits for the window's
 * messages to arrive, to count what was lost.
 * <p>Deliveries are checked on one event loop of the tool, so no locks; the main thread only reads
 * {@link #deliveries} and sleeps until the window's edges.
 */
final class Fanout {

  private final BenchOptions o;
  private final String mode;
  private final EventLoopGroup group;
  /** The publisher's own thread: its schedule must not wait behind a thousand socket reads. */
  private final EventLoopGroup publisherGroup;
  /** The window's latencies. */
  private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  /** Every other message's: recorded by the same code, then dropped. */
  private final Histogram outsideLatency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final List<DeliveryCheck> checks = new ArrayList<>();
  private final List<BenchClient> sockets = new ArrayList<>();
  private Sink sink;
  private ScheduledFuture<?> ticker;
  /** Messages sent since the run started, numbered from 0: on the publisher's loop. */
  private final AtomicLong sent = new AtomicLong();
  /** Each message's intended send time, by sequence number: where the window's messages begin and end. */
  private long[] stamps = new long[1 << 16];
  /** Deliveries since the run started: written on the subscribers' loop only, read by the main thread. */
  private final AtomicLong deliveries = new AtomicLong();
  /** How many messages the closed loop may have sent: set by the subscribers' loop, read by the publisher's. */
  private final AtomicLong allowed = new AtomicLong();
  /** Set on the publisher's loop; read there and, for the closed loop, on the subscribers'. */
  private volatile boolean sending;
  private volatile long startNanos;

  Fanout(BenchOptions o, String mode) {
    this.o = o;
    this.mode = mode;
    this.group = ToolIo.group(o.io(), 1);
    this.publisherGroup = ToolIo.group(o.io(), 1);
  }

  Report run() throws Exception {
    boolean perChannel = mode.equals("channels");
    int subscribers = perChannel ? o.connections() : o.subscribers();
    for (int i = 0; i < subscribers; i++) {
      checks.add(new DeliveryCheck(latency, outsideLatency, this::delivered));
    }
    Bench.connectAll(subscribers, o.concurrency(), i -> o.subscriber(group,
        perChannel ? "/rooms/c" + i : o.subscribePath().replace("{n}", String.valueOf(i)), perChannel ? "c" + i : "chat",
        o.sourceAddress(i), checks.get(i)), sockets);
    Bench.progress("%d %s connected", subscribers, perChannel ? "connections" : "subscribers");
    sink = sink(perChannel);
    seedExtremes(latency);
    seedExtremes(outsideLatency);

    CpuWindow.prepare(o.serverPid());
    long start = startSending();
    long windowStart = start + TimeUnit.SECONDS.toNanos(o.warmup());
    long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(o.seconds());
    onLoop(() -> checks.forEach(c -> c.measure(windowStart, windowEnd))).get();
    sleepUntil(windowStart);
    CpuWindow window = new CpuWindow(o.serverPid());
    long before = deliveries.get();
    long last = before;
    for (int s = 1; s <= o.seconds(); s++) {
      sleepUntil(windowStart + TimeUnit.SECONDS.toNanos(s));
      long now = deliveries.get();
      Bench.progress("%3d s  %,10d deliveries/s", s, now - last);
      last = now;
    }
    long windowDeliveries = last - before;
    double seconds = window.seconds();
    ProcessStats.CpuTime serverCpu = window.serverCpu();
    double toolCpu = window.toolCpu();
    stopSending();
    long[] measured = publisherGroup.submit(() -> new long[] {firstStampedFrom(windowStart), firstStampedFrom(windowEnd)}).get();
    long published = measured[1] - measured[0];
    drain(published * subscribersPerMessage(perChannel, subscribers));
    Report report = onLoop(() -> report(measured[0], measured[1], windowDeliveries, subscribers, perChannel, seconds,
        serverCpu, toolCpu)).get();
    sockets.forEach(BenchClient::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    publisherGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return report;
  }

  /**
   * Records the least and the greatest value the histogram can hold; {@link #report} takes them out again.
   * HdrHistogram tracks its minimum and maximum with a branch that a new extreme takes; taken for the first
   * time when the JIT had long compiled this tool's per-delivery code, it deoptimized that code (LogCompilation:
   * {@code updateMinAndMax}). With the extremes already in, no value takes it.
   */
  private static void seedExtremes(Histogram histogram) {
    histogram.recordValue(1);
    histogram.recordValue(histogram.getHighestTrackableValue());
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** On the publisher's loop: the first sequence number stamped at or after {@code nanoTime} (stamps only grow). */
  private long firstStampedFrom(long nanoTime) {
    int low = 0;
    int high = (int) sent.get();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (stamps[mid] < nanoTime) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private static long subscribersPerMessage(boolean perChannel, int subscribers) {
    return perChannel ? 1 : subscribers;
  }

  /** Waits, up to 5 s, until the window's messages have been received {@code expected} times. */
  private void drain(long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (onLoop(() -> checks.stream().mapToLong(DeliveryCheck::received).sum()).get() < expected
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** The window's figures: messages numbered [first, end), and the deliveries made inside it. */
  private Report report(long first, long end, long windowDeliveries, int subscribers, boolean perChannel, double seconds,
      ProcessStats.CpuTime serverCpu, double toolCpu) {
    Histogram seeds = new Histogram(latency.getHighestTrackableValue(), latency.getNumberOfSignificantValueDigits());
    seedExtremes(seeds);
    latency.subtract(seeds);
    long received = 0;
    long lost = 0;
    long duplicates = 0;
    long reordered = 0;
    for (int i = 0; i < checks.size(); i++) {
      DeliveryCheck c = checks.get(i);
      // per channel, connection i only gets the messages it sent itself: every subscribers-th one
      lost += perChannel ? ownMessagesBelow(end, i, subscribers) - ownMessagesBelow(first, i, subscribers) - c.received()
          : c.lost(first, end);
      received += c.received();
      duplicates += c.duplicates();
      reordered += perChannel ? 0 : c.reordered();
    }
    return new Report().put("mode", mode).put("label", o.label()).put("url", o.url().toString())
        .put(perChannel ? "connections" : "subscribers", subscribers).put("payload_bytes", o.size())
        .put("rate_target", o.maxRate() ? "max" : String.valueOf(o.rate())).put("seconds", seconds)
        .put("published", end - first).put("received", received)
        .put("deliveries", windowDeliveries).put("deliveries_per_s", windowDeliveries / seconds)
        .latency(latency).put("lost", lost).put("duplicated", duplicates).put("reordered", reordered)
        .cpu(o.serverPid(), serverCpu, toolCpu, seconds, windowDeliveries, "deliveries");
  }

  /** How many of the messages numbered below {@code end} went to connection {@code i} of {@code n}: every n-th one. */
  private static long ownMessagesBelow(long end, int i, int n) {
    return end / n + (i < end % n ? 1 : 0);
  }

  /** Where message number seq goes: a chat line on a WebSocket, or PUBLISH on a Redis connection. */
  private interface Sink {
    void send(long seq, byte[] payload);
  }

  private Sink sink(boolean perChannel) throws Exception {
    if (mode.equals("redis")) {
      RedisPublisher redis = RedisPublisher.connect(publisherGroup, o.redis()).get(10, TimeUnit.SECONDS);
      return (seq, payload) -> redis.publish("chat", payload);
    }
    if (perChannel) {
      if (o.sse()) {
        throw new IllegalArgumentException("channels mode publishes from each subscriber: WebSocket only");
      }
      if (o.apiKey() != null) {
        ServerApiPublisher api = ServerApiPublisher.connect(publisherGroup, o.url(), o.apiKey(), !o.centrifuge()).get(10, TimeUnit.SECONDS);
        return (seq, payload) -> api.publish("c" + (seq % checks.size()), payload);
      }
      if (o.centrifuge()) {
        // each connection publishes to its own channel with the protocol's publish command
        return (seq, payload) -> ((RawWebSocket) sockets.get((int) (seq % checks.size())))
            .sendCentrifugePublish(seq + 1, "c" + (seq % checks.size()), payload);
      }
      return (seq, payload) -> ((RawWebSocket) sockets.get((int) (seq % checks.size()))).sendText(payload);
    }
    if (o.apiKey() != null) {
      ServerApiPublisher api = ServerApiPublisher.connect(publisherGroup, o.url(), o.apiKey(), !o.centrifuge()).get(10, TimeUnit.SECONDS);
      return (seq, payload) -> api.publish("chat", payload);
    }
    RawWebSocket ws = RawWebSocket.connect(publisherGroup, o.at(o.publishPath()), null, (buffer, from, to, now) -> { }).get(10, TimeUnit.SECONDS);
    sockets.add(ws);
    return (seq, payload) -> ws.sendText(payload);
  }

  private void sendNext() {
    long seq = sent.getAndIncrement();
    // open loop: stamped with the time it should leave, so a stall shows up as latency
    long intended = o.maxRate() ? System.nanoTime() : startNanos + (long) (seq * 1e9 / o.rate());
    if (seq == stamps.length) {
      stamps = Arrays.copyOf(stamps, stamps.length * 2);
    }
    stamps[(int) seq] = intended;
    sink.send(seq, Payloads.encode(seq, intended, o.size()));
  }

  /** Starts the run on the publisher's loop; returns its start, in System.nanoTime(). */
  private long startSending() throws Exception {
    return publisherGroup.submit(() -> {
      startNanos = System.nanoTime();
      sending = true;
      if (o.maxRate()) {
        allowed.set(o.window());
        sendAllowed();
      } else {
        ticker = publisherGroup.next().scheduleAtFixedRate(this::sendDue, 0, 1, TimeUnit.MILLISECONDS);
      }
      return startNanos;
    }).get();
  }

  /** Ends the run on the publisher's loop. */
  private void stopSending() throws Exception {
    publisherGroup.submit(() -> {
      sending = false;
      if (ticker != null) {
        ticker.cancel(false);
      }
    }).get();
  }

  /** Open loop, each millisecond on the publisher's loop: sends every message due by now. */
  private void sendDue() {
    long due = (long) ((System.nanoTime() - startNanos) * o.rate() / 1e9) + 1;
    while (sending && sent.get() < due) {
      sendNext();
    }
  }

  /**
   * Closed loop: message n + window may leave once n reached every subscriber. Counted here, on the
   * subscribers' loop; sent only by the publisher's loop ({@link #sendAllowed}), so that sequence numbers
   * leave in order (two threads sending would interleave them, and every subscriber would see the same
   * messages reordered: the tool's fault, not the server's).
   */
  private void delivered() {
    long delivered = deliveries.get() + 1;
    deliveries.lazySet(delivered); // one writer: no atomic add needed, only visibility to the main thread
    if (o.maxRate() && sending) {
      long perMessage = mode.equals("channels") ? 1 : checks.size();
      if (delivered % perMessage == 0) {
        allowed.set(delivered / perMessage + o.window());
        publisherGroup.execute(this::sendAllowed);
      }
    }
  }

  /** On the publisher's loop: sends until the closed loop's allowance is used up. */
  private void sendAllowed() {
    while (sending && sent.get() < allowed.get()) {
      sendNext();
    }
  }

  private <T> CompletableFuture<T> onLoop(java.util.concurrent.Callable<T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    group.next().execute(() -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private CompletableFuture<Void> onLoop(Runnable action) {
    return onLoop(() -> {
      action.run();
      return null;
    });
  }
}
