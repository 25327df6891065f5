package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.RedisServer;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What operators see: /metrics, /health/live and /health/ready, the admin feed, and their switches. */
@ExtendWith(VertxExtension.class)
class OperationsIT {

  private static final String TOKEN = "ops-token-0123456789";

  private static double metric(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no series " + series + " in\n" + scrape);
  }

  @Test
  void metricsCountMessagesDeliveriesConnectionsAndCloseCodes(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2));
    try (Clients clients = new Clients(server)) {
      WsClient ann = clients.connect("/ann");
      WsClient bob = clients.connect("/bob");
      ann.send("hello");
      ann.expect("ann: hello");
      bob.expect("ann: hello");
      WsClient binary = clients.connect("/binary");
      binary.sendBinary(new byte[] {1});
      assertEquals(1003, binary.awaitClose());
      Eventually.await("the counters caught up", 5, () -> {
        String scrape = Http.get(server.port, "/metrics").body();
        return metric(scrape, "switchboard_messages_delivered_total") >= 2
            && metric(scrape, "switchboard_closes_sent_total{code=\"1003\"}") == 1;
      });
      String scrape = Http.get(server.port, "/metrics").body();
      assertEquals(2, metric(scrape, "switchboard_connections{transport=\"websocket\"}"));
      assertEquals(1, metric(scrape, "switchboard_channels"), "one distinct channel, though both instances listen to it");
      assertEquals(2, metric(scrape, "switchboard_subscriptions"));
      assertEquals(2, metric(scrape, "switchboard_messages_received_total"), "the line and the binary message");
      assertEquals(1, metric(scrape, "switchboard_messages_published_total{reach=\"this-host\"}"));
      assertTrue(metric(scrape, "switchboard_delivery_latency_seconds_count") >= 1);
      assertTrue(scrape.contains("switchboard_slow_consumer_closes_total"), "the slow-consumer counter is exported");
    }
  }

  @Test
  void metricsAndTheAdminPageCanBeProtectedOrTurnedOff(Vertx vertx) throws Exception {
    TestServer guarded = TestServer.start(vertx, new JsonObject()
        .put("metrics", new JsonObject().put("token", TOKEN)).put("admin", new JsonObject().put("token", TOKEN)));
    assertEquals(401, Http.get(guarded.port, "/metrics").statusCode());
    assertEquals(403, Http.get(guarded.port, "/metrics", "Authorization", "Bearer wrong-token-0123456789").statusCode());
    assertEquals(200, Http.get(guarded.port, "/metrics", "Authorization", "Bearer " + TOKEN).statusCode());
    assertEquals(401, Http.get(guarded.port, "/admin/").statusCode());
    HttpResponse<String> page = Http.get(guarded.port, "/admin/?token=" + TOKEN);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("admin.js"), "the admin page, from the built-in web root");
    guarded.stop(); // port 0 means one random port shared by every server in this Vert.x: one at a time

    TestServer off = TestServer.start(vertx, new JsonObject()
        .put("metrics", new JsonObject().put("enabled", false)).put("admin", new JsonObject().put("enabled", false)));
    assertEquals(404, Http.get(off.port, "/metrics").statusCode());
    assertEquals(404, Http.get(off.port, "/admin/").statusCode());
    assertEquals(404, Http.get(off.port, "/admin/feed").statusCode());
  }

  @Test
  void theAdminFeedStreamsLiveFigures(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject());
    try (Clients clients = new Clients(server)) {
      clients.connect("/watcher");
      HttpURLConnection feed = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port + "/admin/feed").toURL().openConnection();
      feed.setReadTimeout(10_000);
      assertEquals("text/event-stream", feed.getContentType());
      try (BufferedReader in = new BufferedReader(new InputStreamReader(feed.getInputStream(), StandardCharsets.UTF_8))) {
        String first = in.readLine();
        assertTrue(first.startsWith("data: "), first);
        JsonObject snapshot = new JsonObject(first.substring(6));
        assertEquals(1, snapshot.getInteger("connections"));
        assertEquals(1, snapshot.getInteger("channels"));
        assertEquals("not configured", snapshot.getString("redis"));
        in.readLine(); // the blank line that ends an event
        assertTrue(in.readLine().startsWith("data: "), "a second snapshot a second later");
      } finally {
        feed.disconnect();
      }
    }
  }

  @Test
  void readinessFollowsTheRedisLinkAndSaysWhy(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      TestServer server = TestServer.start(vertx, new JsonObject().put("redis", new JsonObject().put("uri", redis.uri())));
      Eventually.await("ready once Redis is connected", 10, () -> Http.get(server.port, "/health/ready").statusCode() == 200);
      assertEquals(200, Http.get(server.port, "/health/live").statusCode());
      redis.freeze();
      Eventually.await("not ready while Redis is silent", 6, () -> Http.get(server.port, "/health/ready").statusCode() == 503);
      HttpResponse<String> notReady = Http.get(server.port, "/health/ready");
      assertTrue(notReady.body().contains("redis"), notReady.body());
      assertEquals(200, Http.get(server.port, "/health/live").statusCode(), "still alive: only not ready");
      redis.thaw();
      Eventually.await("ready again", 10, () -> Http.get(server.port, "/health/ready").statusCode() == 200);
    }
  }

  @Test
  void healthShowsWhereRedisIsOnlyToTheAdminToken(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String uri = "redis://operator:hunter2hunter2@127.0.0.1:" + redis.port;
      try (switchboard.support.RawRedis admin = switchboard.support.RawRedis.connect(redis.port)) {
        admin.command("ACL", "SETUSER", "operator", "on", ">hunter2hunter2", "~*", "&*", "+@all");
      }
      TestServer server = TestServer.start(vertx, new JsonObject().put("redis", new JsonObject().put("uri", uri))
          .put("admin", new JsonObject().put("token", TOKEN)));
      Http.awaitRedisConnected(server);
      String open = Http.get(server.port, "/health").body();
      JsonObject broker = new JsonObject(open).getJsonObject("broker");
      assertEquals("connected", broker.getString("state"));
      assertEquals("redis", broker.getString("mode"));
      for (String hidden : List.of("127.0.0.1", String.valueOf(redis.port), "operator", "hunter2")) {
        assertTrue(!open.contains(hidden), "/health without the token shows no " + hidden + ": " + open);
      }
      String withToken = Http.get(server.port, "/health", "Authorization", "Bearer " + TOKEN).body();
      assertTrue(withToken.contains("127.0.0.1:" + redis.port) && withToken.contains("operator"), withToken);
      assertTrue(!withToken.contains("hunter2"), "never the password: " + withToken);
    }
  }
}
