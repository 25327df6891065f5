package switchboard.pubsub;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.transport.WebSocketFrames;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-instance hub on a real event loop and a real local broker. */
@ExtendWith(VertxExtension.class)
class HubTest {

  /** Counts how often the hub asks the broker to listen and to stop. */
  private static final class CountingBroker implements Broker {
    final Broker real;
    final AtomicInteger listening = new AtomicInteger();

    CountingBroker(Broker real) {
      this.real = real;
    }

    @Override
    public Future<Reach> publish(Message message) {
      return real.publish(message);
    }

    @Override
    public Subscription subscribe(String channel, Handler<Message> listener) {
      listening.incrementAndGet();
      Subscription inner = real.subscribe(channel, listener);
      return () -> {
        listening.decrementAndGet();
        return inner.cancel();
      };
    }

    @Override
    public String describe() {
      return "counting";
    }
  }

  /** A subscriber that keeps the frame buffer it was handed, to compare identities and reference counts. */
  private static final class Capturing implements Subscriber {
    final List<ByteBuf> frames = new ArrayList<>();
    final List<String> contents = new ArrayList<>();
    final CompletableFuture<Void> got = new CompletableFuture<>();
    final WireFormat format;

    Capturing() {
      this(WebSocketFrames.FORMAT);
    }

    Capturing(WireFormat format) {
      this.format = format;
    }

    @Override
    public void deliver(Delivery delivery) {
      ByteBuf bytes = delivery.encoded(format);
      frames.add(bytes);
      contents.add(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
      got.complete(null);
    }
  }

  /** A second wire format that counts its encodings: "event: <payload>\n". */
  private static final AtomicInteger EVENT_ENCODINGS = new AtomicInteger();
  private static final WireFormat EVENTS = WireFormat.of("test-events", (message, alloc) -> {
    EVENT_ENCODINGS.incrementAndGet();
    ByteBuf bytes = alloc.buffer().writeBytes("event: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    message.writePayloadTo(bytes);
    return bytes.writeByte('\n');
  });

  @Test
  void aChannelWithSubscribersOfTwoFormatsEncodesEachFormatOnce(Vertx vertx) throws Exception {
    Broker broker = new LocalBroker(vertx);
    Context loop = vertx.getOrCreateContext();
    Hub hub = on(loop, () -> new Hub(broker, switchboard.metrics.Meters.discarding()));
    List<Capturing> frames = List.of(new Capturing(), new Capturing(), new Capturing());
    List<Capturing> events = List.of(new Capturing(EVENTS), new Capturing(EVENTS));
    // interleaved, so that neither format is always asked for first
    on(loop, () -> hub.subscribe("mixed", frames.get(0)) && hub.subscribe("mixed", events.get(0))
        && hub.subscribe("mixed", frames.get(1)) && hub.subscribe("mixed", events.get(1)) && hub.subscribe("mixed", frames.get(2)));
    int before = EVENT_ENCODINGS.get();
    broker.publish(Message.text("mixed", "hi"));
    for (Capturing c : frames) {
      c.got.get(10, TimeUnit.SECONDS);
      assertSame(frames.get(0).frames.get(0), c.frames.get(0), "one WebSocket frame for every WebSocket subscriber");
    }
    for (Capturing c : events) {
      c.got.get(10, TimeUnit.SECONDS);
      assertSame(events.get(0).frames.get(0), c.frames.get(0), "one event for every event subscriber");
    }
    assertEquals(before + 1, EVENT_ENCODINGS.get(), "the event format was encoded once");
    assertEquals("event: hi\n", events.get(0).contents.get(0));
    assertEquals("\u0081\u0002hi", frames.get(0).contents.get(0), "a text frame of two bytes");
    assertEquals(0, (int) on(loop, () -> events.get(0).frames.get(0).refCnt() + frames.get(0).frames.get(0).refCnt()),
        "both encodings are released after the delivery");
  }

  private static <T> T on(Context context, Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void manySubscribersShareOneBrokerListenerAndOneFrame(Vertx vertx) throws Exception {
    CountingBroker broker = new CountingBroker(new LocalBroker(vertx));
    Context loop = vertx.getOrCreateContext();
    Hub hub = on(loop, () -> new Hub(broker, switchboard.metrics.Meters.discarding()));
    Capturing a = new Capturing();
    Capturing b = new Capturing();
    assertTrue(on(loop, () -> hub.subscribe("room", a)));
    assertTrue(on(loop, () -> hub.subscribe("room", b)));
    assertFalse(on(loop, () -> hub.subscribe("room", b)), "subscribing twice is a no-op");
    assertEquals(1, broker.listening.get(), "one broker listener per instance and channel");

    broker.publish(Message.text("room", "hello"));
    a.got.get(10, TimeUnit.SECONDS);
    b.got.get(10, TimeUnit.SECONDS);
    assertSame(a.frames.get(0), b.frames.get(0), "the frame is encoded once and shared");
    // read on the hub's event loop, so the delivery task has finished
    assertEquals(0, (int) on(loop, () -> a.frames.get(0).refCnt()), "the shared frame is released after the delivery");

    assertTrue(on(loop, () -> hub.unsubscribe("room", a)));
    assertEquals(1, broker.listening.get());
    assertTrue(on(loop, () -> hub.unsubscribe("room", b)));
    assertFalse(on(loop, () -> hub.unsubscribe("room", b)));
    assertEquals(0, broker.listening.get(), "the last subscriber leaving stops the listening");
    assertEquals(0, (int) on(loop, hub::channelCount));
  }

  @Test
  void aSubscriberLeavingDuringADeliveryDoesNotDisturbTheOthers(Vertx vertx) throws Exception {
    Broker broker = new LocalBroker(vertx);
    Context loop = vertx.getOrCreateContext();
    Hub hub = on(loop, () -> new Hub(broker, switchboard.metrics.Meters.discarding()));
    Capturing last = new Capturing();
    Subscriber[] leaver = new Subscriber[1];
    leaver[0] = delivery -> hub.unsubscribe("room", leaver[0]);
    Subscriber thrower = delivery -> {
      throw new IllegalStateException("test: a broken subscriber");
    };
    on(loop, () -> hub.subscribe("room", leaver[0]) && hub.subscribe("room", thrower) && hub.subscribe("room", last));
    broker.publish(Message.text("room", "one"));
    last.got.get(10, TimeUnit.SECONDS);
    assertEquals(2, (int) on(loop, () -> hub.subscriberCount("room")));
  }
}
