package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.MultiHostIT.TOKEN;

/** Redis trouble never takes the server down: absent at start, killed mid-stream, frozen. */
@ExtendWith(VertxExtension.class)
class RedisOutageIT {

  private static String publish(TestServer host, String text) throws Exception {
    HttpResponse<String> response = Http.post(host.port, "/api/publish/chat", TOKEN, text.getBytes(StandardCharsets.UTF_8));
    if (response.statusCode() == 503) {
      return "failed";
    }
    assertTrue(response.statusCode() == 200 || response.statusCode() == 202, response.body());
    return new JsonObject(response.body()).getString("reach");
  }

  @Test
  void absentAtStartupThePageStillWorksAndTheBridgeConnectsWhenRedisAppears(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.notStarted()) {
      TestServer host = TestServer.start(vertx, MultiHostIT.config(redis.uri()));
      assertEquals("degraded", Http.health(host.port).getString("status"));
      assertEquals("reconnecting", Http.redisState(host.port));
      try (Clients clients = new Clients(host)) {
        WsClient alice = clients.connect("/alice");
        WsClient bob = clients.connect("/bob");
        alice.send("anyone?");
        alice.expect("alice: anyone?");
        bob.expect("alice: anyone?");
        assertEquals("this-host-only", publish(host, "via http while degraded"));
        alice.expect("via http while degraded");
        bob.expect("via http while degraded");

        redis.restart();
        Eventually.await("the bridge connects once Redis is up", 5, () -> "connected".equals(Http.redisState(host.port)));
        redis.awaitSubscribers("chat", 1);
        try (RawRedis cli = RawRedis.connect(redis.port)) {
          cli.publish("chat", "redis is here".getBytes(StandardCharsets.UTF_8));
        }
        alice.expect("redis is here");
        bob.expect("redis is here");
      }
    }
  }

  @Test
  void killedAndRestartedMidStreamEveryAcknowledgedMessageArrivesOnceAndInOrder(Vertx vertx) throws Exception {
    Vertx otherVertx = Vertx.vertx();
    try (RedisServer redis = RedisServer.start()) {
      TestServer hostA = TestServer.start(vertx, MultiHostIT.config(redis.uri()));
      TestServer hostB = TestServer.start(otherVertx, MultiHostIT.config(redis.uri()));
      Http.awaitRedisConnected(hostA, hostB);
      try (Clients onA = new Clients(hostA); Clients onB = new Clients(hostB)) {
        List<WsClient> subscribers = List.of(onA.connect("/a1"), onA.connect("/a2"), onB.connect("/b1"), onB.connect("/b2"));
        redis.awaitSubscribers("chat", 2);

        int total = 1500;
        Map<Integer, String> reach = new LinkedHashMap<>();
        long restartedAt = 0;
        long firstFullAfterRestart = 0;
        for (int i = 0; i < total; i++) {
          if (i == 300) {
            redis.kill();
          } else if (i == 700) {
            redis.restart();
            restartedAt = System.nanoTime();
          }
          String r = publish(hostA, "m" + i);
          reach.put(i, r);
          if (restartedAt > 0 && firstFullAfterRestart == 0 && r.equals("all-hosts")) {
            firstFullAfterRestart = System.nanoTime();
          }
          TimeUnit.MILLISECONDS.sleep(3); // an open-loop publisher at about 300 messages/s
        }
        Http.awaitRedisConnected(hostA, hostB);
        redis.awaitSubscribers("chat", 2);
        assertEquals("all-hosts", publish(hostA, "end"));

        long resumeMillis = TimeUnit.NANOSECONDS.toMillis(firstFullAfterRestart - restartedAt);
        assertTrue(firstFullAfterRestart > 0 && resumeMillis <= 2000, "delivery to all hosts resumed " + resumeMillis + " ms after Redis was back");
        assertTrue(reach.containsValue("this-host-only"), "the outage was real: " + count(reach));
        for (int s = 0; s < subscribers.size(); s++) {
          boolean onPublishingHost = s < 2;
          List<Integer> got = new ArrayList<>();
          for (String text; !(text = subscribers.get(s).next()).equals("end"); ) {
            got.add(Integer.parseInt(text.substring(1)));
          }
          for (int k = 1; k < got.size(); k++) {
            assertTrue(got.get(k) > got.get(k - 1), "subscriber " + s + ": order kept and no duplicate at " + got.get(k));
          }
          for (Map.Entry<Integer, String> e : reach.entrySet()) {
            boolean promised = e.getValue().equals("all-hosts")
                || (onPublishingHost && !e.getValue().equals("failed"));
            if (promised) {
              assertTrue(got.contains(e.getKey()), "subscriber " + s + " missed m" + e.getKey() + " (" + e.getValue() + ")");
            }
          }
        }
        System.out.println("publish outcomes during the kill/restart run: " + count(reach) + ", resumed after " + resumeMillis + " ms");
      }
    } finally {
      otherVertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFrozenRedisIsDetectedWithinFiveSecondsAndTheLinkRecovers(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      TestServer host = TestServer.start(vertx, MultiHostIT.config(redis.uri()));
      Http.awaitRedisConnected(host);
      try (Clients clients = new Clients(host)) {
        WsClient alice = clients.connect("/alice");
        redis.freeze(); // sockets stay open, nothing answers: what a half-open link looks like from here
        long frozenAt = System.nanoTime();
        Eventually.await("the silent link is noticed", 5, () -> "reconnecting".equals(Http.redisState(host.port)));
        long detectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
        alice.send("still talking");
        alice.expect("alice: still talking");

        redis.thaw();
        long thawedAt = System.nanoTime();
        Eventually.await("the link recovers", 10, () -> "connected".equals(Http.redisState(host.port)));
        long recoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - thawedAt);
        redis.awaitSubscribers("chat", 1);
        try (RawRedis cli = RawRedis.connect(redis.port)) {
          cli.publish("chat", "thawed".getBytes(StandardCharsets.UTF_8));
        }
        alice.expect("thawed");
        System.out.println("frozen Redis detected after " + detectMillis + " ms; recovered " + recoverMillis + " ms after thaw");
      }
    }
  }

  private static Map<String, Integer> count(Map<Integer, String> reach) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    reach.values().forEach(r -> counts.merge(r, 1, Integer::sum));
    return counts;
  }

  /**
   * A chat line whose PUBLISH is in flight when Redis stops answering is not sent: the sender is told so,
   * in words that name nothing internal, and stays connected; its next line goes out on this host.
   */
  @Test
  void aLineLostWithRedisInFlightIsReportedAndTheSenderStaysConnected(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      TestServer host = TestServer.start(vertx, MultiHostIT.config(redis.uri()));
      Http.awaitRedisConnected(host);
      try (Clients clients = new Clients(host)) {
        WsClient alice = clients.connect("/alice");
        redis.awaitSubscribers("chat", 1);
        redis.freeze();
        alice.send("into the void");
        assertEquals(switchboard.chat.ChatRoom.NOT_SENT, alice.next(), "told within the Redis deadline");
        alice.send("on this host");
        alice.expect("alice: on this host");
        redis.thaw();
      }
    }
  }
}
