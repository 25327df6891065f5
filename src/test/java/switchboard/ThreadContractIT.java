package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Http;
import switchboard.support.RedisServer;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every future a Connection returns completes on the connection's event loop, with Redis (whose replies
 * arrive on the bridge's own loop) as without, and whether publish was called on the loop or off it.
 */
@ExtendWith(VertxExtension.class)
class ThreadContractIT {

  private static final String DONE = "done ok=true context=true thread=true";

  @Test
  void publishFuturesCompleteOnTheConnectionsLoopWithRedis(Vertx vertx) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      TestServer server = TestServer.start(vertx, config().put("redis", new JsonObject().put("uri", redis.uri())));
      Http.awaitRedisConnected(server);
      probe(server);
    }
  }

  @Test
  void publishFuturesCompleteOnTheConnectionsLoopWithoutRedis(Vertx vertx) throws Exception {
    probe(TestServer.start(vertx, config()));
  }

  private static JsonObject config() {
    return new JsonObject().put("instances", 2).put("apps", new JsonObject().put("/", "switchboard.testapps.ThreadProbeApp"));
  }

  private static void probe(TestServer server) throws Exception {
    try (Clients clients = new Clients(server)) {
      WsClient c = clients.connect("/probe");
      for (int i = 0; i < 20; i++) {
        c.send("pub");
        assertEquals(DONE, next(c, "done"));
        c.send("pub-off-loop");
        assertEquals(DONE, next(c, "done"));
      }
    }
  }

  /** The next message starting with {@code prefix} (the published messages come back too, in any order). */
  private static String next(WsClient c, String prefix) throws Exception {
    for (String m; (m = c.next()) != null; ) {
      if (m.startsWith(prefix)) {
        return m;
      }
    }
    return null;
  }
}
