package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Http;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The HTTP publish API on a single host without Redis, and switched off. */
@ExtendWith(VertxExtension.class)
class PublishApiIT {

  @Test
  void withoutRedisItDeliversAcrossTheInstancesOfThisHost(Vertx vertx) throws Exception {
    TestServer host = TestServer.start(vertx, new JsonObject().put("instances", 2)
        .put("api", new JsonObject().put("publishToken", MultiHostIT.TOKEN)));
    try (Clients clients = new Clients(host)) {
      WsClient a = clients.connect("/a");
      WsClient b = clients.connect("/b");
      HttpResponse<String> ok = Http.post(host.port, "/api/publish/chat", MultiHostIT.TOKEN, "ünïcode".getBytes(StandardCharsets.UTF_8));
      assertEquals(200, ok.statusCode());
      assertEquals("this-host", new JsonObject(ok.body()).getString("reach"));
      a.expect("ünïcode");
      b.expect("ünïcode");
      assertEquals(413, Http.post(host.port, "/api/publish/chat", MultiHostIT.TOKEN, new byte[65_537]).statusCode());
      assertEquals(200, Http.post(host.port, "/api/publish/chat", MultiHostIT.TOKEN, new byte[65_536]).statusCode(), "the limit itself is allowed");
      assertEquals(65_536, a.next().length(), "65,536 NUL bytes are valid UTF-8: a text message");
    }
    JsonObject health = Http.health(host.port);
    assertEquals("up", health.getString("status"));
    assertEquals("local", health.getJsonObject("broker").getString("mode"));
    assertNull(health.getJsonObject("broker").getString("state"));
  }

  @Test
  void withoutATokenInTheConfigTheApiIsOff(Vertx vertx) throws Exception {
    TestServer host = TestServer.start(vertx, new JsonObject());
    assertEquals(404, Http.post(host.port, "/api/publish/chat", "any-token-0123456789", new byte[] {1}).statusCode());
  }
}
