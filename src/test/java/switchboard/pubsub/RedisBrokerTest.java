package switchboard.pubsub;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import switchboard.support.Eventually;
import switchboard.support.RawRedis;
import switchboard.support.RedisServer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The broker contract against a real redis-server, plus what only the Redis broker promises. */
class RedisBrokerTest extends BrokerContract {

  private static RedisServer redis;
  private final List<RedisBroker> brokers = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  /** The client options the server would use for this Redis. */
  static io.vertx.redis.client.RedisOptions options(RedisServer redis) {
    return RedisClientOptions.of(new switchboard.config.RedisSettings(redis.uri(), "", null, null, null));
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @AfterEach
  void closeBrokers() throws Exception {
    for (RedisBroker broker : brokers) {
      broker.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Override
  protected Broker newBroker(Vertx vertx) throws Exception {
    RedisBroker broker = new RedisBroker(vertx, new LocalBroker(vertx), RedisBrokerTest.options(redis), "", redis.uri(), 65536, reason -> { });
    brokers.add(broker);
    Eventually.await("the broker connects to Redis", 10, () -> "connected".equals(state(broker)));
    return broker;
  }

  private static String state(Broker broker) throws Exception {
    JsonObject status = broker.status().await(10, TimeUnit.SECONDS);
    return status.getString("state");
  }

  @Test
  void messagesTravelThroughRedisAsRawBytesAndComeBackFromIt(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    Listener listener = listen(vertx, broker, "wire");
    try (RawRedis watcher = RawRedis.connect(redis.port)) {
      watcher.subscribe("wire");
      assertEquals(Reach.ALL_HOSTS, broker.publish(Message.text("wire", "plain text")).await(10, TimeUnit.SECONDS));
      assertEquals("plain text", new String(watcher.nextMessage(), StandardCharsets.UTF_8));
      assertEquals("plain text", listener.next().textValue());
    }
    try (RawRedis outsider = RawRedis.connect(redis.port)) {
      outsider.publish("wire", "from outside".getBytes(StandardCharsets.UTF_8));
      assertEquals("from outside", listener.next().textValue());
    }
  }

  @Test
  void redisIsSubscribedOnlyWhileSomeoneListens(Vertx vertx) throws Exception {
    Broker broker = newBroker(vertx);
    try (RawRedis admin = RawRedis.connect(redis.port)) {
      Listener a = listen(vertx, broker, "counted");
      Listener b = listen(vertx, broker, "counted");
      Eventually.await("one SUBSCRIBE for two listeners", 5, () -> numsub(admin, "counted").equals("1"));
      a.subscription.cancel().await(10, TimeUnit.SECONDS);
      assertEquals("1", numsub(admin, "counted"));
      b.subscription.cancel().await(10, TimeUnit.SECONDS);
      Eventually.await("UNSUBSCRIBE after the last listener", 5, () -> numsub(admin, "counted").equals("0"));
    }
  }

  @Test
  void aPrefixKeepsDeploymentsApartInOneRedis(Vertx vertx) throws Exception {
    RedisBroker prefixed = new RedisBroker(vertx, new LocalBroker(vertx), RedisBrokerTest.options(redis), "app1:", redis.uri(), 65536, reason -> { });
    brokers.add(prefixed);
    Eventually.await("connected", 10, () -> "connected".equals(state(prefixed)));
    Listener listener = listen(vertx, prefixed, "news");
    try (RawRedis outsider = RawRedis.connect(redis.port); RawRedis watcher = RawRedis.connect(redis.port)) {
      redis.awaitSubscribers("app1:news", 1);
      assertEquals(0, outsider.publish("news", "other deployment".getBytes(StandardCharsets.UTF_8)), "no one on the bare name");
      outsider.publish("app1:news", "ours".getBytes(StandardCharsets.UTF_8));
      assertEquals("ours", listener.next().textValue());
      watcher.subscribe("app1:news");
      prefixed.publish(Message.text("news", "from us")).await(10, TimeUnit.SECONDS);
      assertEquals("from us", new String(watcher.nextMessage(), StandardCharsets.UTF_8), "published under the prefix");
    }
  }

  @Test
  void messagesFromRedisOverTheSizeLimitAreDroppedAndCounted(Vertx vertx) throws Exception {
    List<String> drops = java.util.Collections.synchronizedList(new ArrayList<>());
    RedisBroker small = new RedisBroker(vertx, new LocalBroker(vertx), RedisBrokerTest.options(redis), "", redis.uri(), 1000, drops::add);
    brokers.add(small);
    Eventually.await("connected", 10, () -> "connected".equals(state(small)));
    Listener listener = listen(vertx, small, "sized");
    try (RawRedis outsider = RawRedis.connect(redis.port)) {
      redis.awaitSubscribers("sized", 1);
      outsider.publish("sized", new byte[1001]);
      outsider.publish("sized", "x".repeat(1000).getBytes(StandardCharsets.UTF_8));
      assertEquals(1000, listener.next().size(), "the largest allowed message arrives, the larger one does not");
      assertEquals(List.of("from-redis-too-large"), drops);
    }
  }

  private static String numsub(RawRedis admin, String channel) throws Exception {
    return admin.numsub(channel);
  }
}
