package switchboard.pubsub;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Broker} promises, as one suite each implementation extends (after Phoenix.PubSub's
 * shared adapter tests). Listeners sit on separate event loops, like the hubs of separate instances.
 */
@ExtendWith(VertxExtension.class)
public abstract class BrokerContract {

  private static final int WAIT = 10;

  /** A broker ready to use; the suite publishes and subscribes through it. */
  protected abstract Broker newBroker(Vertx vertx) throws Exception;

  /** A listener registered on its own event-loop context. */
  protected static final class Listener {
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final List<String> threads = new ArrayList<>();
    Broker.Subscription subscription;

    Message next() throws InterruptedException {
      Message m = received.poll(WAIT, TimeUnit.SECONDS);
      assertNotNull(m, "no message within " + WAIT + " s");
      return m;
    }

    List<String> nextTexts(int count) throws InterruptedException {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        texts.add(next().textValue());
      }
      return texts;
    }
  }

  protected static Listener listen(Vertx vertx, Broker broker, String channel) throws Exception {
    Context context = vertx.getOrCreateContext(); // called off Vert.x threads: a new event-loop context
    Listener listener = new Listener();
    CompletableFuture<Void> registered = new CompletableFuture<>();
    context.runOnContext(v -> {
      listener.subscription = broker.subscribe(channel, m -> {
        listener.threads.add(Thread.currentThread().getName());
        listener.received.add(m);
      });
      registered.complete(null);
    });
    registered.get(WAIT, TimeUnit.SECONDS);
    return listener;
  }

  /** Publishes a sentinel and checks it is the very next message: nothing unexpected came before it. */
  private static void assertNothingElse(Broker broker, String channel, Listener... listeners) throws Exception {
    broker.publish(Message.text(channel, "sentinel")).toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
    for (Listener l : listeners) {
      assertEquals("sentinel", l.next().textValue());
    }
  }

  private static void publish(Broker broker, String channel, String text) throws Exception {
    broker.publish(Message.text(channel, text)).toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
  }

  @Test
  void aPublishReachesEveryListenerExactlyOnceInOrder(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    List<Listener> listeners = List.of(listen(vertx, broker, "news"), listen(vertx, broker, "news"), listen(vertx, broker, "news"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      expected.add("m" + i);
      publish(broker, "news", "m" + i);
    }
    for (Listener l : listeners) {
      assertEquals(expected, l.nextTexts(200));
    }
    assertNothingElse(broker, "news", listeners.toArray(new Listener[0]));
  }

  @Test
  void listenersAreCalledOnTheEventLoopTheySubscribedOn(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    Listener listener = listen(vertx, broker, "where");
    for (int i = 0; i < 20; i++) {
      publish(broker, "where", "x");
    }
    listener.nextTexts(20);
    assertEquals(1, listener.threads.stream().distinct().count());
    assertTrue(listener.threads.get(0).contains("eventloop"), listener.threads.get(0));
  }

  @Test
  void channelsAreIndependent(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    Listener a = listen(vertx, broker, "a");
    Listener b = listen(vertx, broker, "b");
    publish(broker, "b", "for b");
    assertEquals("for b", b.next().textValue());
    assertNothingElse(broker, "a", a);
  }

  @Test
  void nothingArrivesAfterCancelCompletes(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    Listener stays = listen(vertx, broker, "c");
    Listener leaves = listen(vertx, broker, "c");
    leaves.subscription.cancel().toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
    publish(broker, "c", "after cancel");
    assertEquals("after cancel", stays.next().textValue());
    assertNothingElse(broker, "c", stays);
    assertTrue(leaves.received.isEmpty(), "a cancelled listener got " + leaves.received);
  }

  @Test
  void concurrentPublishersStillGiveEveryListenerTheSameOrder(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    List<Listener> listeners = List.of(listen(vertx, broker, "race"), listen(vertx, broker, "race"), listen(vertx, broker, "race"));
    int perPublisher = 500;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> publishers = new ArrayList<>();
    for (String name : List.of("p", "q")) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < perPublisher; i++) {
            broker.publish(Message.text("race", name + i));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      publishers.add(t);
    }
    go.countDown();
    for (Thread t : publishers) {
      t.join(TimeUnit.SECONDS.toMillis(WAIT));
    }
    List<String> first = listeners.get(0).nextTexts(2 * perPublisher);
    for (String name : List.of("p", "q")) {
      List<String> own = first.stream().filter(s -> s.startsWith(name)).toList();
      for (int i = 0; i < perPublisher; i++) {
        assertEquals(name + i, own.get(i), "publish order kept per publisher");
      }
    }
    for (Listener other : listeners.subList(1, listeners.size())) {
      assertEquals(first, other.nextTexts(2 * perPublisher), "one order per channel for every listener");
    }
  }

  @Test
  void binaryPayloadsArriveByteForByte(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    Listener listener = listen(vertx, broker, "bin");
    byte[] bytes = {0, (byte) 0xff, (byte) 0xc3, 0x28, 10};
    broker.publish(Message.binary("bin", bytes.clone())).toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
    Message m = listener.next();
    assertFalse(m.isText());
    byte[] got = new byte[m.size()];
    m.payload().get(got);
    assertArrayEquals(bytes, got);
  }

  /**
   * The frame type is the publisher's choice, never guessed from the bytes: a binary message that happens to
   * be valid UTF-8 (the empty one too) arrives binary, and text stays text, on every broker.
   */
  @Test
  void aBinaryMessageThatReadsAsTextStaysBinary(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    Listener listener = listen(vertx, broker, "kinds");
    byte[][] binaries = {"looks like text".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0],
        {(byte) 0xFF, 'S', 'B', 0, 'x'}};
    for (byte[] bytes : binaries) {
      broker.publish(Message.binary("kinds", bytes.clone())).toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
    }
    broker.publish(Message.text("kinds", "")).toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
    for (byte[] bytes : binaries) {
      Message m = listener.next();
      assertFalse(m.isText(), "binary stays binary: " + m);
      byte[] got = new byte[m.size()];
      m.payload().get(got);
      assertArrayEquals(bytes, got);
    }
    Message text = listener.next();
    assertTrue(text.isText(), "the empty text message stays text");
    assertEquals(0, text.size());
  }
}
