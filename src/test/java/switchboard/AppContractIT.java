package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.chat.ChatRoom;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.RawHttp;
import switchboard.support.TestServer;
import switchboard.support.WsClient;
import switchboard.testapps.RecorderApp;
import switchboard.app.CloseCodes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The App / Connection contract, checked with test apps mounted beside the chat on a 2-instance server. */
@ExtendWith(VertxExtension.class)
class AppContractIT {

  private Clients clients;
  private TestServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServer.start(vertx, new JsonObject().put("instances", 2).put("apps", new JsonObject()
        .put("/", ChatRoom.class.getName())
        .put("/record", RecorderApp.class.getName())
        .put("/boom", "switchboard.testapps.ThrowingApp")
        .put("/info", "switchboard.testapps.InfoApp")
        .put("/pubsub", "switchboard.testapps.PubSubApp")
        .put("/slow", "switchboard.testapps.SlowOpenApp")));
    clients = new Clients(server);
  }

  @AfterEach
  void closeClients() throws Exception {
    clients.close();
  }

  private WsClient connect(String uri) throws Exception {
    return clients.connect(uri);
  }

  private static List<String> eventsAfterClose(String tag) throws Exception {
    return RecorderApp.closed(tag).get(WsClient.WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void onOpenComesFirstAndOnCloseLastExactlyOnceOnOneThread() throws Exception {
    String tag = UUID.randomUUID().toString();
    WsClient c = connect("/record?" + tag);
    c.expect("open");
    c.send("a");
    c.send("b");
    c.close();
    assertEquals(List.of("open", "message:a", "message:b", "close"), eventsAfterClose(tag));
    assertEquals(1, new HashSet<>(RecorderApp.THREADS.get(tag)).size(), "all callbacks on one event loop");
  }

  /**
   * A client that sees its socket open is already subscribed to what onOpen subscribed it to: the 101
   * waits for onOpen, so a publisher on the other instance cannot slip a message in before the
   * subscription exists (it did when the 101 went first and the listener's loop was slow).
   */
  @Test
  void whatOnOpenSubscribesIsInPlaceWhenTheClientSeesTheOpen() throws Exception {
    WsClient listener = connect("/slow/first-contact");
    WsClient speaker = connect("/pubsub"); // the next connection goes to the other instance
    speaker.send("pub first-contact hello");
    listener.expect("hello");
  }

  /**
   * Clients that reset the connection right after sending the upgrade request: the 101 may fail to go out
   * while the handshake is handled. Whatever the timing, every connection ends with its place and its
   * subscription released.
   */
  @Test
  void clientsThatResetDuringTheHandshakeLeaveNothingBehind() throws Exception {
    byte[] upgrade = RawHttp.upgradeRequest("x", "/reset").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 300; i++) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port)) {
        socket.setSoLinger(true, 0); // close() sends a RST
        socket.getOutputStream().write(upgrade);
      }
    }
    Eventually.await("every connection released", 10, () -> {
      String metrics = Http.get(server.port, "/metrics").body();
      return metrics.contains("switchboard_connections{transport=\"websocket\"} 0.0")
          && metrics.contains("switchboard_subscriptions 0.0");
    });
  }

  @Test
  void aServerSideCloseAlsoEndsWithOneOnClose() throws Exception {
    String tag = UUID.randomUUID().toString();
    WsClient c = connect("/record?" + tag);
    c.expect("open");
    c.send("close");
    assertEquals((short) 4000, c.awaitClose());
    assertEquals("asked to close", c.closeReason());
    assertEquals(List.of("open", "message:close", "close"), eventsAfterClose(tag));
  }

  @Test
  void anExceptionInOnMessageClosesOnlyThatConnectionWith1011() throws Exception {
    WsClient chatter = connect("/alice");
    WsClient victim = connect("/boom");
    victim.expect("ready");
    victim.send("throw");
    assertEquals(CloseCodes.INTERNAL_ERROR, victim.awaitClose());
    chatter.send("still fine");
    chatter.expect("alice: still fine");
    WsClient next = connect("/boom");
    next.expect("ready");
    next.send("x");
    next.expect("echo x");
  }

  @Test
  void anExceptionInOnOpenClosesWith1011() throws Exception {
    WsClient c = connect("/boom/open");
    assertEquals(CloseCodes.INTERNAL_ERROR, c.awaitClose());
  }

  @Test
  void theConnectionShowsTheUpgradeRequest() throws Exception {
    WsClient c = WsClient.connect(server.vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port)
        .setURI("/info/caf%C3%A9%20au%20lait?room=1&x=%20").addHeader("X-Test", "yes"));
    clients.add(c);
    c.send("?");
    JsonObject info = new JsonObject(c.next());
    assertEquals("/info/café au lait", info.getString("path"));
    assertEquals("/café au lait", info.getString("pathInfo"));
    assertEquals("room=1&x=%20", info.getString("query"));
    assertEquals("yes", info.getString("header"));
    // what says who the client is stays; what only carried the handshake is not kept for the connection's life
    assertEquals(List.of("host", "origin", "x-test"), info.getJsonArray("headerNames").getList(),
        "Connection, Upgrade and Sec-WebSocket-Key/-Version are dropped after the handshake");
    assertEquals("127.0.0.1", info.getString("remoteHost"));
    assertEquals(info.getString("thread"), info.getString("openedOn"), "attributes survive between callbacks");
  }

  @Test
  void attributesKeepEveryEntryPastTheFewAConnectionUsuallyHas() throws Exception {
    WsClient c = connect("/info");
    JsonObject attributes = null;
    for (String text : List.of("a", "b", "c", "d", "e")) {
      c.send(text);
      attributes = new JsonObject(c.next()).getJsonObject("attributes");
    }
    assertEquals(List.of("message-1", "message-2", "message-3", "message-4", "message-5", "opened-on"),
        List.copyOf(attributes.fieldNames()));
    assertEquals(List.of("a", "b", "c", "d", "e"), List.of(attributes.getString("message-1"),
        attributes.getString("message-2"), attributes.getString("message-3"), attributes.getString("message-4"),
        attributes.getString("message-5")));
  }

  @Test
  void theOpenConnectionCountIsServerWide() throws Exception {
    WsClient a = connect("/info");
    WsClient b = connect("/info");
    a.send("?");
    b.send("?");
    JsonObject infoA = new JsonObject(a.next());
    JsonObject infoB = new JsonObject(b.next());
    assertTrue(!infoA.getString("thread").equals(infoB.getString("thread")), "the two connections sit on two instances");
    assertEquals(2, infoB.getInteger("openConnections"));
  }

  @Test
  void publishReachesTheSenderAndUnsubscribeStopsDelivery() throws Exception {
    WsClient c = connect("/pubsub");
    WsClient other = connect("/pubsub");
    c.send("sub news");
    c.expect("sub news true");
    c.send("sub news");
    c.expect("sub news false");
    other.send("sub news");
    other.expect("sub news true");
    c.send("pub news hello");
    c.expect("hello");
    other.expect("hello");
    c.send("unsub news");
    c.expect("unsub news true");
    c.send("sub sentinel");
    c.expect("sub sentinel true");
    other.send("pub news after");
    other.expect("after");
    other.send("pub sentinel last");
    c.expect("last"); // "after" never reached c
  }

  @Test
  void leavingAChannelBetweenOthersKeepsTheOthers() throws Exception {
    WsClient c = connect("/pubsub");
    for (String channel : List.of("a", "b", "c")) {
      c.send("sub " + channel);
      c.expect("sub " + channel + " true");
    }
    c.send("unsub b");
    c.expect("unsub b true");
    c.send("unsub b");
    c.expect("unsub b false");
    c.send("pub b missed");
    c.send("pub a first");
    c.expect("first"); // "missed" never came
    c.send("pub c second");
    c.expect("second");
    for (String channel : List.of("c", "a")) {
      c.send("unsub " + channel);
      c.expect("unsub " + channel + " true");
    }
    c.send("sub b");
    c.expect("sub b true");
  }

  @Test
  void badChannelNamesAreRefusedWithAReason() throws Exception {
    WsClient c = connect("/pubsub");
    c.send("sub bad*name");
    assertTrue(c.next().startsWith("error invalid channel name"));
    c.send("pub bad*name x");
    assertTrue(c.next().startsWith("error invalid channel name"));
  }

  @Test
  void aChatLineOverTheSizeLimitClosesTheSenderWith1009AndReachesNobody() throws Exception {
    WsClient listener = connect("/listener");
    WsClient sender = connect("/al");
    sender.send("x".repeat(65_536 - 3)); // fits the frame limit; "al: " makes the published line 1 byte too long
    assertEquals(CloseCodes.MESSAGE_TOO_BIG, sender.awaitClose());
    assertEquals("message too big", sender.closeReason(), "a fixed reason, never internal error text");
    listener.send("next");
    listener.expect("listener: next");
  }
}
