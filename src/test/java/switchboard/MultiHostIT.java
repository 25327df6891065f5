package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.RawRedis;
import switchboard.support.RedisServer;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two hosts (two Vert.x instances, two servers, two Redis bridges) on one real Redis. */
@ExtendWith(VertxExtension.class)
class MultiHostIT {

  static final String TOKEN = "test-token-0123456789";
  private static RedisServer redis;
  private Vertx otherVertx;
  private TestServer hostA;
  private TestServer hostB;
  private Clients clientsA;
  private Clients clientsB;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  static JsonObject config(String redisUri) {
    return new JsonObject().put("instances", 2)
        .put("redis", new JsonObject().put("uri", redisUri))
        .put("api", new JsonObject().put("publishToken", TOKEN));
  }

  @BeforeEach
  void startHosts(Vertx vertx) throws Exception {
    otherVertx = Vertx.vertx();
    hostA = TestServer.start(vertx, config(redis.uri()));
    hostB = TestServer.start(otherVertx, config(redis.uri()));
    clientsA = new Clients(hostA);
    clientsB = new Clients(hostB);
    Http.awaitRedisConnected(hostA, hostB);
  }

  @AfterEach
  void stopHosts() throws Exception {
    if (clientsA != null) {
      clientsA.close();
      clientsB.close();
    }
    otherVertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aLineTypedOnOneHostArrivesOnceOnEveryClientOfBothHostsInOrder() throws Exception {
    WsClient alice = clientsA.connect("/alice");
    WsClient ann = clientsA.connect("/ann");
    WsClient bob = clientsB.connect("/bob");
    WsClient bea = clientsB.connect("/bea");
    redis.awaitSubscribers("chat", 2);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      alice.send("line " + i);
      expected.add("alice: line " + i);
      if (i % 10 == 0) {
        bob.send("reply " + i);
        expected.add("bob: reply " + i);
      }
    }
    List<String> seenByAlice = alice.next(expected.size());
    for (WsClient c : List.of(ann, bob, bea)) {
      assertEquals(seenByAlice, c.next(expected.size()), "every client on every host sees one order");
    }
    assertEquals(expected.stream().filter(s -> s.startsWith("alice")).toList(),
        seenByAlice.stream().filter(s -> s.startsWith("alice")).toList(), "publish order kept");
    assertEquals(expected.size(), seenByAlice.stream().distinct().count(), "no duplicates");
    bea.send("end");
    for (WsClient c : List.of(alice, ann, bob, bea)) {
      c.expect("bea: end"); // nothing extra arrived before it
    }
  }

  @Test
  void anOutsidePublishReachesBothHostsAndAnOutsideSubscriberSeesChatLines() throws Exception {
    WsClient alice = clientsA.connect("/alice");
    WsClient bob = clientsB.connect("/bob");
    try (RawRedis cli = RawRedis.connect(redis.port); RawRedis watcher = RawRedis.connect(redis.port)) {
      redis.awaitSubscribers("chat", 2); // a PUBLISH before the SUBSCRIBEs land reaches nobody (at-most-once)
      assertEquals(2, cli.publish("chat", "hello from redis-cli".getBytes(StandardCharsets.UTF_8)), "one subscriber per host");
      alice.expect("hello from redis-cli");
      bob.expect("hello from redis-cli");

      watcher.subscribe("chat");
      bob.send("hi, watcher");
      assertEquals("bob: hi, watcher", new String(watcher.nextMessage(), StandardCharsets.UTF_8));

      byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};
      cli.publish("chat", notUtf8);
      assertArrayEquals(notUtf8, alice.nextBinary(), "a non-UTF-8 payload goes out as a binary frame");
      assertArrayEquals(notUtf8, bob.nextBinary());
    }
  }

  @Test
  void theHttpPublishApiReachesEveryHostAndAnswersBadRequestsClearly() throws Exception {
    WsClient bob = clientsB.connect("/bob");
    redis.awaitSubscribers("chat", 1);
    HttpResponse<String> ok = Http.post(hostA.port, "/api/publish/chat", TOKEN, "via http".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("all-hosts", new JsonObject(ok.body()).getString("reach"));
    bob.expect("via http");

    HttpResponse<String> none = Http.post(hostA.port, "/api/publish/chat", null, new byte[] {1});
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("WWW-Authenticate").isPresent());
    assertEquals(403, Http.post(hostA.port, "/api/publish/chat", "wrong-token-0123456789", new byte[] {1}).statusCode());
    assertEquals(400, Http.post(hostA.port, "/api/publish/bad*channel", TOKEN, new byte[] {1}).statusCode());
    assertEquals(413, Http.post(hostA.port, "/api/publish/chat", TOKEN, new byte[65_537]).statusCode());
    bob.send("after the refusals");
    bob.expect("bob: after the refusals"); // nothing refused was delivered
  }

  @Test
  void whenAHostStopsListeningPublishesSayOnlySomeHostsWereReached() throws Exception {
    clientsA.connect("/alice");
    clientsB.connect("/bob");
    redis.awaitSubscribers("chat", 2);
    assertEquals("all-hosts", new JsonObject(Http.post(hostA.port, "/api/publish/chat", TOKEN, new byte[] {'x'}).body()).getString("reach"));
    clientsB.close();
    hostB.stop();
    redis.awaitSubscribers("chat", 1);
    HttpResponse<String> partial = Http.post(hostA.port, "/api/publish/chat", TOKEN, new byte[] {'y'});
    assertEquals(202, partial.statusCode(), partial.body());
    assertEquals("some-hosts", new JsonObject(partial.body()).getString("reach"));
  }
}
