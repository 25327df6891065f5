package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Http;
import switchboard.support.LogCapture;
import switchboard.support.RawRedis;
import switchboard.support.RedisServer;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis 6+ ACL user in the URI works, and a channel its ACL forbids is logged as a NOPERM for that channel,
 * not taken for a broken link: no reconnect, readiness unchanged, every other channel still spans hosts.
 */
@ExtendWith(VertxExtension.class)
class RedisAclIT {

  @Test
  void anAclUserWorksAndAForbiddenChannelIsLoggedAsNopermWithoutFlapping(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.start(); RawRedis admin = RawRedis.connect(redis.port)) {
      // alice may use the chat, the "ok" channels and the readiness canary; nothing else
      admin.command("ACL", "SETUSER", "alice", "on", ">wonderland-pass", "resetchannels", "&chat", "&ok*",
          "&switchboard/canary/*", "+@all", "~*");
      TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1)
          .put("redis", new JsonObject().put("uri", "redis://alice:wonderland-pass@127.0.0.1:" + redis.port))
          .put("apps", new JsonObject().put("/", "switchboard.testapps.PubSubApp")));
      Http.awaitRedisConnected(server);
      assertEquals(200, Http.get(server.port, "/health/ready").statusCode());
      try (LogCapture log = LogCapture.of("switchboard.pubsub.RedisBroker"); Clients clients = new Clients(server)) {
        WsClient c = clients.connect("/c");
        c.send("sub ok1");
        c.expect("sub ok1 true");
        redis.awaitSubscribers("ok1", 1);
        c.send("sub forbidden");
        c.expect("sub forbidden true"); // this host still delivers it locally
        // the line for this channel: the ACL also forbids the protocol's own channel, whose NOPERM may come first
        String line = log.await("SUBSCRIBE forbidden");
        assertTrue(line.contains("NOPERM"), line);
        // a NOPERM taken for a lost link reconnects at once: the round trip and the reconnect count below show it did not
        try (RawRedis watcher = RawRedis.connect(redis.port)) {
          watcher.subscribe("ok1");
          c.send("pub ok1 across hosts");
          c.expect("across hosts");
          assertEquals("across hosts", new String(watcher.nextMessage(), java.nio.charset.StandardCharsets.UTF_8));
        }
        c.send("pub forbidden x");
        c.expect("error not sent, try again");
        String metrics = Http.get(server.port, "/metrics").body();
        assertTrue(metrics.contains("switchboard_redis_reconnects 0.0"), "the link never dropped");
        assertEquals("connected", Http.redisState(server.port));
        assertEquals(200, Http.get(server.port, "/health/ready").statusCode());
      }
    }
  }
}
