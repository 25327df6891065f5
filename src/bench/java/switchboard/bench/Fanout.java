package switchboard.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fanout: N subscribers on one chat channel, one publisher (a WebSocket client, or Redis PUBLISH in
 * {@code redis} mode) at a fixed rate, open loop, or at the highest rate the subscribers keep up with
 * ({@code --rate max}: at most {@code --window} messages not yet delivered to everyone).
 * channels: N connections each on its own room (the Rooms app at /rooms), each publishing to itself.
 * The warm-up sends what the measured window sends, the same way; then it drains, so the window starts
 * with this tool's own code compiled for the path it will run, and nothing in flight.
 * Everything runs on one event loop of the tool, so no locks.
 */
final class Fanout {

  private final BenchOptions o;
  private final String mode;
  private final EventLoopGroup group = RawWebSocket.group(1);
  /** The publisher's own thread: its schedule must not wait behind a thousand socket reads. */
  private final EventLoopGroup publisherGroup = RawWebSocket.group(1);
  private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  /**
   * The warm-up's share of {@link #latency}, taken out at the end, with the two values {@link #run} seeds
   * it with: the least and the greatest it can hold. HdrHistogram tracks its minimum and maximum with a
   * branch that a new extreme takes; the first message after the warm-up drained is delivered faster than
   * any in the warm-up, and that branch, never taken since the JIT compiled this tool's per-delivery code,
   * deoptimized it just as the window opened (LogCompilation: {@code updateMinAndMax}). With the extremes
   * already in, no value takes it. For the same reason this is not a reset.
   */
  private Histogram warmUpLatency;
  private final List<DeliveryCheck> checks = new ArrayList<>();
  private final List<BenchClient> sockets = new ArrayList<>();
  private Sink sink;
  private ScheduledFuture<?> ticker;
  private final AtomicLong sent = new AtomicLong();
  private long deliveries;
  /** How many messages the closed loop may have sent: set by the subscribers' loop, read by the publisher's. */
  private final AtomicLong allowed = new AtomicLong();
  /** Set on the publisher's loop; read there and, for the closed loop, on the subscribers'. */
  private volatile boolean sending;
  private volatile long startNanos;

  Fanout(BenchOptions o, String mode) {
    this.o = o;
    this.mode = mode;
  }

  Report run() throws Exception {
    boolean perChannel = mode.equals("channels");
    int subscribers = perChannel ? o.connections() : o.subscribers();
    for (int i = 0; i < subscribers; i++) {
      checks.add(new DeliveryCheck(latency, this::delivered));
    }
    Bench.connectAll(subscribers, o.concurrency(), i -> o.subscriber(group,
        perChannel ? "/rooms/c" + i : o.subscribePath().replace("{n}", String.valueOf(i)), perChannel ? "c" + i : "chat",
        o.sourceAddress(i), checks.get(i)), sockets);
    Bench.progress("%d %s connected", subscribers, perChannel ? "connections" : "subscribers");
    sink = sink(perChannel);
    long perMessage = subscribersPerMessage(perChannel, subscribers);
    latency.recordValue(1);
    latency.recordValue(latency.getHighestTrackableValue());

    startSending();
    TimeUnit.SECONDS.sleep(o.warmup());
    drain(stopSending() * perMessage);
    CpuWindow window = new CpuWindow(o.serverPid());
    onLoop(() -> {
      checks.forEach(DeliveryCheck::startMeasuring);
      warmUpLatency = latency.copy();
      deliveries = 0;
    }).get();
    startSending();
    for (int s = 1; s <= o.seconds(); s++) {
      long before = onLoop(() -> deliveries).get();
      TimeUnit.SECONDS.sleep(1);
      Bench.progress("%3d s  %,10d deliveries/s", s, onLoop(() -> deliveries).get() - before);
    }
    long finalSent = stopSending();
    drain(finalSent * perMessage);
    double seconds = window.seconds();
    ProcessStats.CpuTime serverCpu = window.serverCpu();
    double toolCpu = window.toolCpu();
    Report report = onLoop(() -> report(finalSent, subscribers, perChannel, seconds, serverCpu, toolCpu)).get();
    sockets.forEach(BenchClient::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    publisherGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return report;
  }

  private static long subscribersPerMessage(boolean perChannel, int subscribers) {
    return perChannel ? 1 : subscribers;
  }

  /** Waits, up to 5 s, until the deliveries counted since the last reset reach {@code expected}. */
  private void drain(long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (onLoop(() -> deliveries).get() < expected && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private Report report(long finalSent, int subscribers, boolean perChannel, double seconds, ProcessStats.CpuTime serverCpu,
      double toolCpu) {
    latency.subtract(warmUpLatency); // the measured window's alone
    long lost = 0;
    long duplicates = 0;
    long reordered = 0;
    for (int i = 0; i < checks.size(); i++) {
      DeliveryCheck c = checks.get(i);
      // per channel, connection i only gets the messages it sent itself: every subscribers-th one
      long own = perChannel ? finalSent / subscribers + (i < finalSent % subscribers ? 1 : 0) : finalSent;
      lost += perChannel ? own - c.received() : c.lost(finalSent);
      duplicates += c.duplicates();
      reordered += perChannel ? 0 : c.reordered();
    }
    return new Report().put("mode", mode).put("label", o.label()).put("url", o.url().toString())
        .put(perChannel ? "connections" : "subscribers", subscribers).put("payload_bytes", o.size())
        .put("rate_target", o.maxRate() ? "max" : String.valueOf(o.rate())).put("seconds", seconds)
        .put("published", finalSent).put("deliveries", deliveries).put("deliveries_per_s", deliveries / seconds)
        .latency(latency).put("lost", lost).put("duplicated", duplicates).put("reordered", reordered)
        .cpu(o.serverPid(), serverCpu, toolCpu, seconds, deliveries, "deliveries");
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
    RawWebSocket ws = RawWebSocket.connect(publisherGroup, o.at(o.publishPath()), null, (payload, now) -> { }).get(10, TimeUnit.SECONDS);
    sockets.add(ws);
    return (seq, payload) -> ws.sendText(payload);
  }

  private void sendNext() {
    long seq = sent.getAndIncrement();
    // open loop: stamped with the time it should leave, so a stall shows up as latency
    long intended = o.maxRate() ? System.nanoTime() : startNanos + (long) (seq * 1e9 / o.rate());
    sink.send(seq, Payloads.encode(seq, intended, o.size()));
  }

  /** Starts a phase (the warm-up, then the measured window) on the publisher's loop, from sequence 0. */
  private void startSending() throws Exception {
    publisherGroup.submit(() -> {
      sent.set(0);
      startNanos = System.nanoTime();
      sending = true;
      if (o.maxRate()) {
        allowed.set(o.window());
        sendAllowed();
      } else {
        ticker = publisherGroup.next().scheduleAtFixedRate(this::sendDue, 0, 1, TimeUnit.MILLISECONDS);
      }
    }).get();
  }

  /** Ends the phase on the publisher's loop; returns how many messages it sent. */
  private long stopSending() throws Exception {
    return publisherGroup.submit(() -> {
      sending = false;
      if (ticker != null) {
        ticker.cancel(false);
      }
      return sent.get();
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
    deliveries++;
    if (o.maxRate() && sending) {
      long perMessage = mode.equals("channels") ? 1 : checks.size();
      if (deliveries % perMessage == 0) {
        allowed.set(deliveries / perMessage + o.window());
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
