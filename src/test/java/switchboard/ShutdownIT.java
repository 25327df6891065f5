package switchboard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.chat.ChatRoom;
import switchboard.support.RawHttp;
import switchboard.support.TestServer;
import switchboard.support.WsClient;
import switchboard.testapps.SlowChatApp;
import switchboard.app.CloseCodes;

import java.io.DataInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graceful shutdown of an in-process server: goodbye, then 1001, and no new upgrades while draining. */
@ExtendWith(VertxExtension.class)
class ShutdownIT {

  @Test
  void everyClientGetsTheGoodbyeAndThen1001(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2));
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(WsClient.connect(vertx, server.port, "/guest" + i));
    }
    clients.get(0).send("last words");
    for (WsClient c : clients) {
      c.expect("guest0: last words");
    }
    server.stop();
    for (WsClient c : clients) {
      c.expect(ChatRoom.GOODBYE);
      assertEquals(CloseCodes.GOING_AWAY, c.awaitClose());
      assertEquals(List.of(), c.pending(), "nothing after the goodbye");
      c.close();
    }
  }

  @Test
  void upgradesAreRefusedWhileTheServerDrains(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2));
    // a client that completes the handshake but never answers the close frame keeps the drain going
    try (Socket stubborn = new Socket("127.0.0.1", server.port)) {
      stubborn.setSoTimeout(10_000);
      stubborn.getOutputStream().write(RawHttp.upgradeRequest("x", "/stubborn").getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(stubborn.getInputStream());
      assertTrue(RawHttp.readHead(in, false).startsWith("HTTP/1.1 101"));

      Future<Void> stopping = vertx.undeploy(server.deploymentId);
      assertEquals(ChatRoom.GOODBYE, new String(readFrame(in, 0x81), StandardCharsets.UTF_8));
      byte[] close = readFrame(in, 0x88);
      assertEquals(CloseCodes.GOING_AWAY, (short) ((close[0] & 0xff) << 8 | (close[1] & 0xff)));

      assertThrows(Exception.class, () -> WsClient.connect(vertx, server.port, "/latecomer"),
          "a new upgrade during the drain must fail");
      stopping.await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A handshake still in progress (the app's onOpen is running) when the server begins to stop completes,
   * and the client then gets the goodbye and 1001 like everyone else, not a socket that the drain forgot.
   */
  @Test
  void aHandshakeThatCompletesAfterShutdownBeganGetsTheGoodbyeAnd1001(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2)
        .put("apps", new JsonObject().put("/", "switchboard.testapps.SlowChatApp")));
    SlowChatApp.opening = new java.util.concurrent.CountDownLatch(1);
    try (Socket late = new Socket("127.0.0.1", server.port)) {
      late.setSoTimeout(10_000);
      late.getOutputStream().write(RawHttp.upgradeRequest("x", "/late").getBytes(StandardCharsets.US_ASCII));
      assertTrue(SlowChatApp.opening.await(10, TimeUnit.SECONDS), "onOpen began"); // and is running now
      Future<Void> stopping = vertx.undeploy(server.deploymentId);
      DataInputStream in = new DataInputStream(late.getInputStream());
      assertTrue(RawHttp.readHead(in, false).startsWith("HTTP/1.1 101"));
      assertEquals(ChatRoom.GOODBYE, new String(readFrame(in, 0x81), StandardCharsets.UTF_8));
      byte[] close = readFrame(in, 0x88);
      assertEquals(CloseCodes.GOING_AWAY, (short) ((close[0] & 0xff) << 8 | (close[1] & 0xff)));
      stopping.await(10, TimeUnit.SECONDS);
    }
  }

  /** Reads one unmasked server frame with a short payload and checks its first byte. */
  private static byte[] readFrame(DataInputStream in, int expectedFirstByte) throws Exception {
    assertEquals(expectedFirstByte, in.readUnsignedByte());
    int length = in.readUnsignedByte();
    assertTrue(length < 126, "short frame expected");
    byte[] payload = new byte[length];
    in.readFully(payload);
    return payload;
  }
}
