package switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.RedisServer;
import switchboard.support.TestServer;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis killed (SIGKILL) and restarted 5 times while host A publishes 50,000 messages at 500/s (HTTP API)
 * to 100 subscribers spread over two hosts. Every message whose publish reached all hosts must reach every
 * subscriber, those delivered this-host-only must reach host A's subscribers, nobody gets a duplicate or an
 * out-of-order message, and after each restart delivery to all hosts resumes within 2 s.
 * {@code ./run.sh faults}.
 */
@Tag("heavy")
class RedisChaosIT {

  private static final int MESSAGES = 50_000;
  private static final int RATE = 500;
  private static final int SUBSCRIBERS = 100;
  private static final String TOKEN = "chaos-token-0123456789";

  @Test
  void fiveRedisRestartsDuringFiftyThousandMessages() throws Exception {
    Vertx vertxA = Vertx.vertx();
    Vertx vertxB = Vertx.vertx();
    EventLoopGroup group = ToolIo.group("epoll", 1);
    try (RedisServer redis = RedisServer.start()) {
      JsonObject config = new JsonObject().put("instances", 2).put("redis", new JsonObject().put("uri", redis.uri()))
          .put("api", new JsonObject().put("publishToken", TOKEN));
      TestServer hostA = TestServer.start(vertxA, config);
      TestServer hostB = TestServer.start(vertxB, config);
      List<SequenceTally> seen = new ArrayList<>();
      List<RawWebSocket> sockets = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        SequenceTally s = new SequenceTally();
        seen.add(s);
        int port = i < SUBSCRIBERS / 2 ? hostA.port : hostB.port;
        sockets.add(RawWebSocket.connect(group, URI.create("ws://127.0.0.1:" + port + "/s" + i), null, (ByteBuf buffer, int from, int to, long now) -> {
          String text = buffer.toString(from, to - from, StandardCharsets.US_ASCII);
          if (text.startsWith("m")) {
            synchronized (s) { // added on the event loop, read by the test
              s.add(Integer.parseInt(text.substring(1)));
            }
          }
        }).get(10, TimeUnit.SECONDS));
      }
      Eventually.await("both hosts subscribed", 10, () -> numsub(redis).equals("2"));

      Map<Integer, String> reach = new LinkedHashMap<>();
      List<Long> resumeMillis = new ArrayList<>();
      long start = System.nanoTime();
      long restartedAt = 0;
      int restarts = 0;
      long downUntil = 0;
      for (int seq = 0; seq < MESSAGES; seq++) {
        long due = start + seq * (1_000_000_000L / RATE); // paced all the way, outages included
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
        }
        if (seq > 0 && seq % 9_000 == 0 && restarts < 5) {
          redis.kill(); // a crash; Redis comes back on the same port about 1 s later
          downUntil = System.nanoTime() + 1_000_000_000L;
        } else if (downUntil != 0 && System.nanoTime() >= downUntil) {
          redis.restart();
          restartedAt = System.nanoTime();
          restarts++;
          downUntil = 0;
        }
        String r = publish(hostA, seq);
        reach.put(seq, r);
        if (restartedAt > 0 && r.equals("all-hosts")) {
          resumeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));
          restartedAt = 0;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Http.awaitRedisConnected(hostA, hostB);
      Eventually.await("everything delivered", 20, () -> {
        for (int i = 0; i < SUBSCRIBERS; i++) {
          SequenceTally s = seen.get(i);
          synchronized (s) {
            if (s.highest() < lastDelivered(reach, i < SUBSCRIBERS / 2)) {
              return false;
            }
          }
        }
        return true;
      });

      Map<String, Integer> outcomes = new LinkedHashMap<>();
      reach.values().forEach(r -> outcomes.merge(r, 1, Integer::sum));
      System.out.printf("redis chaos: %d publishes in %.1f s, %d restarts, outcomes %s, all-hosts resumed after %s ms%n",
          reach.size(), seconds, restarts, outcomes, resumeMillis);
      assertEquals(5, restarts);
      assertEquals(5, resumeMillis.size(), "delivery resumed after every restart");
      resumeMillis.forEach(ms -> assertTrue(ms <= 2000, "resumed " + ms + " ms after Redis was back"));
      for (int i = 0; i < SUBSCRIBERS; i++) {
        SequenceTally s = seen.get(i); // the subscribers' loop is idle now: everything arrived
        boolean onA = i < SUBSCRIBERS / 2;
        assertEquals(0, s.duplicates(), "subscriber " + i + " duplicates");
        assertEquals(0, s.reordered(), "subscriber " + i + " out of order");
        for (Map.Entry<Integer, String> e : reach.entrySet()) {
          boolean promised = e.getValue().equals("all-hosts") || (onA && !e.getValue().equals("failed"));
          if (promised && !s.has(e.getKey())) {
            throw new AssertionError("subscriber " + i + " missed m" + e.getKey() + " (" + e.getValue() + ")");
          }
        }
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      vertxA.close().await(20, TimeUnit.SECONDS);
      vertxB.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static int lastDelivered(Map<Integer, String> reach, boolean onA) {
    int last = -1;
    for (Map.Entry<Integer, String> e : reach.entrySet()) {
      if (e.getValue().equals("all-hosts") || (onA && !e.getValue().equals("failed"))) {
        last = e.getKey();
      }
    }
    return last;
  }

  private static String numsub(RedisServer redis) throws Exception {
    try (switchboard.support.RawRedis admin = switchboard.support.RawRedis.connect(redis.port)) {
      return admin.numsub("chat");
    }
  }

  private static String publish(TestServer host, int seq) throws Exception {
    HttpResponse<String> response = Http.post(host.port, "/api/publish/chat", TOKEN, ("m" + seq).getBytes(StandardCharsets.US_ASCII));
    return response.statusCode() == 503 ? "failed" : new JsonObject(response.body()).getString("reach");
  }
}
