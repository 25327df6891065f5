package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.EchoProtocolHandler;
import switchboard.support.Http;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code protocol.handler}: rpc answers, its errors, and a message push in answer to send. */
@ExtendWith(VertxExtension.class)
class ProtocolHandlerIT {

  @Test
  void rpcAndSendReachTheHandlerAndItsAnswersReachTheClient(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("protocol", new JsonObject()
        .put("handler", EchoProtocolHandler.class.getName())
        .put("token", new JsonObject().put("hmacSecret", ProtocolIT.SECRET))));
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
        .setBuffer(ProtocolIT.SECRET)));
    try (Clients clients = new Clients(server)) {
      WsClient client = clients.connect("/connection/websocket");
      client.send(new JsonObject().put("id", 1).put("connect", new JsonObject()
          .put("token", jwt.generateToken(new JsonObject().put("sub", "ann"), new JWTOptions()))).encode());
      client.next();

      client.send(rpc(2, "echo", new JsonObject().put("a", 1)));
      assertEquals(new JsonObject().put("id", 2).put("rpc", new JsonObject().put("data", new JsonObject().put("a", 1))),
          new JsonObject(client.next()));
      client.send(rpc(3, "later", "x"));
      assertEquals(new JsonObject().put("id", 3).put("rpc", new JsonObject().put("data", "x")), new JsonObject(client.next()));
      client.send(rpc(4, "teapot", null));
      assertEquals(new JsonObject().put("id", 4).put("error", new JsonObject().put("code", 418).put("message", "I'm a teapot")),
          new JsonObject(client.next()));
      client.send(rpc(5, "broken", null));
      assertEquals(new JsonObject().put("id", 5).put("error", new JsonObject().put("code", 100).put("message", "internal server error")
          .put("temporary", true)), new JsonObject(client.next()), "no internal detail");
      client.send(rpc(6, "nothing", null));
      assertEquals(104, new JsonObject(client.next()).getJsonObject("error").getInteger("code"));

      client.send(new JsonObject().put("send", new JsonObject().put("data", "ping")).encode());
      assertEquals(new JsonObject().put("push", new JsonObject().put("message", new JsonObject()
          .put("data", new JsonObject().put("got", "ping").put("from", "ann")))), new JsonObject(client.next()));
    }
  }

  /** Without the SDK's WebJar, /demo/ still loads and says what to add; the script itself is 404. */
  @Test
  void theDemoPageSaysWhatToAddWithoutTheSdk(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject());
    HttpResponse<String> page = Http.get(server.port, "/demo/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"centrifuge.js\">"), page.body());
    assertEquals(302, Http.get(server.port, "/demo").statusCode());
    HttpResponse<String> sdk = Http.get(server.port, "/demo/centrifuge.js");
    assertEquals(404, sdk.statusCode());
    assertTrue(sdk.body().contains("org.webjars.npm:centrifuge:5.7.4"), sdk.body());
    assertTrue(Http.get(server.port, "/demo/demo.js").body().contains("SDK missing"));
    Vertx other = Vertx.vertx(); // a second server on the same Vertx would share the first one's random port
    try {
      TestServer off = TestServer.start(other, new JsonObject().put("protocol", new JsonObject().put("enabled", false)));
      assertEquals(404, Http.get(off.port, "/demo/").statusCode(), "no protocol, no demo");
    } finally {
      other.close().await();
    }
  }

  private static String rpc(int id, String method, Object data) {
    return new JsonObject().put("id", id).put("rpc", new JsonObject().put("method", method).put("data", data)).encode();
  }
}
