package switchboard.pubsub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Eventually;
import switchboard.support.RawRedis;
import switchboard.support.RedisServer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interest that comes and goes while a SUBSCRIBE is in flight, thousands of times, against a real Redis:
 * every publish is answered, Redis ends up subscribed to exactly what is wanted, and nothing stale reaches
 * a later subscriber.
 */
@ExtendWith(VertxExtension.class)
class RedisRacesIT {

  private static final int CHANNELS = 2000;
  private RedisServer redis;
  private RedisBroker broker;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    redis = RedisServer.start();
    broker = new RedisBroker(vertx, new LocalBroker(vertx), RedisBrokerTest.options(redis), "",
        redis.uri(), 65536, reason -> { });
    Eventually.await("connected", 10, () -> broker.isReady());
  }

  @AfterEach
  void stop() throws Exception {
    broker.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  @Test
  void interestDroppedWhileSubscribeIsInFlightStrandsNothingAndLeaksNothing(Vertx vertx) throws Exception {
    Context loop = vertx.getOrCreateContext();
    List<Future<Reach>> publishes = new ArrayList<>();
    List<Broker.Subscription> subscriptions = new ArrayList<>();
    // Redis holds its answers (well under the link's 3 s deadline) while the SUBSCRIBEs go out...
    redis.freeze();
    onLoop(loop, () -> {
      for (int i = 0; i < CHANNELS; i++) {
        subscriptions.add(broker.subscribe("race" + i, m -> { }));
      }
    });
    settled();
    // ...then each channel gets a publish, which waits for the SUBSCRIBE's confirmation...
    onLoop(loop, () -> {
      for (int i = 0; i < CHANNELS; i++) {
        publishes.add(broker.publish(Message.text("race" + i, "stale " + i)));
      }
    });
    settled();
    // ...and loses its interest, all before Redis answers; half come back and leave again
    onLoop(loop, () -> {
      for (int i = 0; i < CHANNELS; i++) {
        subscriptions.get(i).cancel();
        if (i % 2 == 0) {
          broker.subscribe("race" + i, m -> { }).cancel();
        }
      }
    });
    settled();
    redis.thaw();
    // the same without the freeze, interleaved with the confirmations as they come
    onLoop(loop, () -> {
      for (int i = 0; i < CHANNELS; i++) {
        String channel = "again" + i;
        Broker.Subscription s = broker.subscribe(channel, m -> { });
        publishes.add(broker.publish(Message.text(channel, "stale " + i)));
        s.cancel();
      }
    });
    for (int i = 0; i < publishes.size(); i++) {
      Future<Reach> publish = publishes.get(i);
      try {
        publish.await(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException stranded) {
        throw new AssertionError("publish " + i + " was never answered");
      }
      assertTrue(publish.succeeded(), "publish " + i + " answered: " + publish.cause());
    }
    try (RawRedis admin = RawRedis.connect(redis.port)) {
      Eventually.await("Redis is subscribed to none of them", 10, () -> numsubAll(admin, 0));
      // a later subscriber hears what is published from now on, and nothing from before
      BlockingQueue<String> later = new LinkedBlockingQueue<>();
      CompletableFuture<Void> subscribed = new CompletableFuture<>();
      loop.runOnContext(v -> {
        for (int i = 0; i < CHANNELS; i += 97) {
          broker.subscribe("race" + i, m -> later.add(m.channel() + " " + m.textValue()));
        }
        subscribed.complete(null);
      });
      subscribed.get(10, TimeUnit.SECONDS);
      for (int i = 0; i < CHANNELS; i += 97) {
        broker.publish(Message.text("race" + i, "fresh")).await(10, TimeUnit.SECONDS);
      }
      for (int i = 0; i < CHANNELS; i += 97) {
        String got = later.poll(10, TimeUnit.SECONDS);
        assertNotNull(got, "the fresh message on race" + i);
        assertTrue(got.endsWith(" fresh"), "nothing stale: " + got);
      }
      assertEquals(null, later.poll(500, TimeUnit.MILLISECONDS), "nothing more");
      assertTrue(numsub(admin, "race0").equals("1") && numsub(admin, "race1").equals("0"), "exactly what is wanted");
    }
  }

  /**
   * The bridge has done what was queued before this call: its context runs tasks in order, and status()
   * is answered there (so the SUBSCRIBEs, publishes and UNSUBSCRIBEs asked for are in the socket).
   */
  private void settled() throws Exception {
    broker.status().await(10, TimeUnit.SECONDS);
  }

  private static void onLoop(Context loop, Runnable work) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      work.run();
      done.complete(null);
    });
    done.get(10, TimeUnit.SECONDS);
  }

  /** True when every race channel has {@code expected} subscribers in Redis. */
  private static boolean numsubAll(RawRedis admin, int expected) throws Exception {
    for (int i = 0; i < CHANNELS; i++) {
      if (!numsub(admin, "race" + i).equals(String.valueOf(expected))
          || !numsub(admin, "again" + i).equals(String.valueOf(expected))) {
        return false;
      }
    }
    return true;
  }

  private static String numsub(RawRedis admin, String channel) throws Exception {
    return admin.numsub(channel);
  }
}
