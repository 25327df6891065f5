package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.RawHttp;
import switchboard.support.RawWs;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every limit, hit with a real client; the server keeps serving everyone else. */
@ExtendWith(VertxExtension.class)
class LimitsIT {

  private static TestServer server(Vertx vertx, JsonObject limits) throws Exception {
    return TestServer.start(vertx, new JsonObject().put("instances", 2).put("limits", limits).put("apps", new JsonObject()
        .put("/", "switchboard.chat.ChatRoom").put("/pubsub", "switchboard.testapps.PubSubApp")));
  }

  /** The status line of an upgrade attempt from {@code source}, with optional extra header lines. */
  private static int upgrade(int port, String source, String... headers) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(source, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(RawHttp.upgradeRequest("127.0.0.1:" + port, "/someone", headers)
          .getBytes(StandardCharsets.ISO_8859_1));
      return RawHttp.status(RawHttp.readHead(socket.getInputStream(), false));
    }
  }

  @Test
  void browsersFromAnotherSiteAreRefusedWith403(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    assertEquals(403, upgrade(server.port, "127.0.0.1", "Origin: http://evil.example"));
    assertEquals(403, upgrade(server.port, "127.0.0.1", "Origin: null"));
    assertEquals(403, upgrade(server.port, "127.0.0.1", "Origin: http://127.0.0.1:1"), "another port is another origin");
    assertEquals(101, upgrade(server.port, "127.0.0.1", "Origin: http://127.0.0.1:" + server.port), "the page's own host");
    assertEquals(101, upgrade(server.port, "127.0.0.1"), "no Origin: not a browser, allowed");
  }

  @Test
  void aConfiguredOriginListIsExact(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("allowedOrigins", new JsonArray().add("https://app.example")));
    assertEquals(101, upgrade(server.port, "127.0.0.1", "Origin: https://app.example"));
    assertEquals(403, upgrade(server.port, "127.0.0.1", "Origin: https://app.example.evil"));
    assertEquals(403, upgrade(server.port, "127.0.0.1", "Origin: http://127.0.0.1:" + server.port));
  }

  @Test
  void connectionsOverTheServerLimitGet503AndAPlaceFreesWhenOneLeaves(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("maxConnections", 3));
    try (Clients clients = new Clients(server)) {
      List<WsClient> three = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        three.add(clients.connect("/u" + i));
      }
      assertEquals(503, upgrade(server.port, "127.0.0.1"));
      three.get(0).close();
      three.get(1).send("still served");
      three.get(1).expect("u1: still served");
      WsClient next = clients.connect("/next");
      next.send("in");
      next.expect("next: in");
    }
  }

  @Test
  void connectionsOverThePerAddressLimitGet429(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("maxConnectionsPerIp", 2));
    try (RawWs a = RawWs.connect(server.port, "/a"); RawWs b = RawWs.connect(server.port, "/b")) {
      assertEquals(429, upgrade(server.port, "127.0.0.1"));
      assertEquals(101, upgrade(server.port, "127.0.0.2"), "another address has its own allowance");
      a.text("hi");
      assertEquals("a: hi", a.next().text());
    }
  }

  @Test
  void aConnectionCannotHoldMoreChannelsThanTheLimit(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("maxChannelsPerConnection", 2));
    try (Clients clients = new Clients(server)) {
      WsClient c = clients.connect("/pubsub");
      c.send("sub a");
      c.expect("sub a true");
      c.send("sub b");
      c.expect("sub b true");
      c.send("sub c");
      assertEquals("error too many channels: the limit is 2 per connection", c.next());
      c.send("unsub a");
      c.expect("unsub a true");
      c.send("sub c");
      c.expect("sub c true");
    }
  }

  @Test
  void publishingFasterThanTheRateIsRefusedAndThenClosedWith1008(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("publishPerSecond", 5).put("publishBurst", 5));
    try (Clients clients = new Clients(server)) {
      WsClient calm = clients.connect("/calm");
      WsClient flood = clients.connect("/flood");
      for (int i = 0; i < 40 && flood.sendUnlessClosed("line " + i); i++) {
        // the server cuts the flood off after 10 refusals: the sends after that may find it closed
      }
      assertEquals(1008, flood.awaitClose());
      List<String> seenByFlood = flood.pending();
      assertTrue(seenByFlood.stream().anyMatch(s -> s.startsWith("server: slow down")), "told why: " + seenByFlood);
      calm.send("unaffected");
      List<String> calmSaw = new ArrayList<>();
      for (String line; !(line = calm.next()).equals("calm: unaffected"); ) {
        calmSaw.add(line);
      }
      assertTrue(calmSaw.size() >= 5 && calmSaw.size() < 40, calmSaw.size() + " lines got through the rate limit");
      for (int i = 0; i < calmSaw.size(); i++) {
        assertEquals("flood: line " + i, calmSaw.get(i), "the allowed lines are the first ones, in order");
      }
    }
  }

  @Test
  void aClientThatNeverAnswersPingsIsClosedAndOneThatDoesStays(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("pingIntervalSeconds", 1).put("missedPongs", 2));
    try (Clients clients = new Clients(server); RawWs silent = RawWs.connect(server.port, "/silent")) {
      WsClient lively = clients.connect("/lively"); // the Vert.x client answers pings by itself
      long start = System.nanoTime();
      int pings = 0;
      RawWs.Frame frame;
      while ((frame = silent.next()) != null && frame.opcode() != 8) {
        pings += frame.opcode() == 9 ? 1 : 0;
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertTrue(pings >= 2, pings + " pings before the close");
      assertEquals(1001, frame == null ? -1 : frame.closeCode(), "closed as gone away");
      assertTrue(seconds <= 5, "closed after " + seconds + " s");
      lively.send("still here");
      lively.expect("lively: still here");
    }
  }

  /** Leaving moves the last session into the leaver's heartbeat slot: those that stay must all still be pinged. */
  @Test
  void afterHalfTheConnectionsLeaveEveryOneThatStaysIsStillPinged(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("pingIntervalSeconds", 1).put("missedPongs", 5));
    List<RawWs> all = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        all.add(RawWs.connect(server.port, "/c" + i));
      }
      List<RawWs> staying = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (i >= 20 || i == 5) {
          staying.add(all.get(i));
        } else {
          all.get(i).close(); // each leaver's slot takes the last session, which stays
        }
      }
      for (RawWs ws : staying) {
        RawWs.Frame frame = ws.next();
        while (frame != null && frame.opcode() != 9 && frame.opcode() != 8) {
          frame = ws.next(); // chat lines of the others joining
        }
        assertEquals(9, frame == null ? -1 : frame.opcode(), "a connection that stayed was pinged");
      }
    } finally {
      for (RawWs ws : all) {
        ws.close();
      }
    }
  }

  /**
   * The heartbeat pings a slice of the connections per tick, not all of them at once (a round at once held
   * the event loop, and every client answered in the same instant); each connection still gets one ping per
   * interval.
   */
  @Test
  void theHeartbeatSpreadsItsPingsOverTheIntervalAndPingsEachConnectionOncePerInterval(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("pingIntervalSeconds", 2).put("missedPongs", 5));
    int connections = 64;
    List<RawWs> all = new ArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(connections);
    try {
      for (int i = 0; i < connections; i++) {
        all.add(RawWs.connect(server.port, "/c" + i));
      }
      List<Future<long[]>> pingTimes = new ArrayList<>();
      for (RawWs ws : all) {
        pingTimes.add(readers.submit(() -> {
          long[] at = new long[2];
          for (int seen = 0; seen < at.length; ) {
            RawWs.Frame frame = ws.next();
            if (frame == null || frame.opcode() == 8) {
              throw new AssertionError("the connection ended before its second ping");
            }
            if (frame.opcode() == 9) {
              at[seen++] = System.nanoTime();
            }
          }
          return at;
        }));
      }
      long earliestFirst = Long.MAX_VALUE;
      long latestFirst = Long.MIN_VALUE;
      for (Future<long[]> times : pingTimes) {
        long[] at = times.get(15, TimeUnit.SECONDS);
        earliestFirst = Math.min(earliestFirst, at[0]);
        latestFirst = Math.max(latestFirst, at[0]);
        long gapMillis = (at[1] - at[0]) / 1_000_000;
        assertTrue(gapMillis >= 1500 && gapMillis <= 3000, "one connection's pings came " + gapMillis + " ms apart, not one 2-s interval");
      }
      long spreadMillis = (latestFirst - earliestFirst) / 1_000_000;
      assertTrue(spreadMillis >= 1000, "the first pings of " + connections + " connections came within " + spreadMillis
          + " ms of each other: the round was not spread over the 2-s interval");
    } finally {
      readers.shutdownNow();
      for (RawWs ws : all) {
        ws.close();
      }
    }
  }

  /**
   * Clients that connect together get their first pings at random points of the interval, so that they are
   * not pinged in one tick (and do not answer in one instant) for as long as they stay.
   */
  @Test
  void protocolClientsThatConnectTogetherArePingedAtSpreadTimes(Vertx vertx) throws Exception {
    TestServer spread = TestServer.start(vertx, new JsonObject().put("protocol", new JsonObject()
        .put("allowAnonymousConnectWithoutToken", true).put("pingIntervalSeconds", 5).put("pongTimeoutSeconds", 4)));
    ExecutorService readers = Executors.newCachedThreadPool();
    try (Clients crowd = new Clients(spread)) {
      List<Future<Long>> firstPings = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        WsClient c = crowd.connect("/connection/websocket");
        c.send("{\"id\":1,\"connect\":{}}");
        assertTrue(new JsonObject(c.next()).containsKey("connect"), "the connect reply comes first");
        firstPings.add(readers.submit(() -> {
          assertEquals("{}", c.next(), "a ping within the 5 s interval");
          return System.nanoTime();
        }));
      }
      long earliest = Long.MAX_VALUE;
      long latest = Long.MIN_VALUE;
      for (Future<Long> at : firstPings) {
        long nanos = at.get(15, TimeUnit.SECONDS);
        earliest = Math.min(earliest, nanos);
        latest = Math.max(latest, nanos);
      }
      long spreadMillis = (latest - earliest) / 1_000_000;
      assertTrue(spreadMillis >= 2000, "30 clients that connected together got their first pings within " + spreadMillis
          + " ms of each other: not spread over the 5-s interval");
    } finally {
      readers.shutdownNow();
    }
  }

  @Test
  void aConnectionThatSendsNothingIsDroppedAfterTheHandshakeTimeout(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("handshakeTimeoutSeconds", 1));
    try (Socket silent = new Socket("127.0.0.1", server.port); Socket polite = new Socket("127.0.0.1", server.port)) {
      polite.getOutputStream().write("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals(404, RawHttp.status(RawHttp.readResponse(polite.getInputStream())));
      silent.setSoTimeout(5000);
      long start = System.nanoTime();
      assertEquals(-1, silent.getInputStream().read(), "the server hangs up on a silent connection");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 800 && millis < 3000, "after the 1 s timeout, not " + millis + " ms");
      polite.setSoTimeout(1500);
      assertThrows(java.net.SocketTimeoutException.class, () -> polite.getInputStream().read(),
          "a connection that made a request is kept alive");
    }
  }

  @Test
  void headersOverTheLimitAreRefusedWith431(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("maxHeaderBytes", 4096));
    String response = RawHttp.exchange(server.port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(5000) + "\r\n\r\n");
    assertEquals(431, RawHttp.status(response), response);
    assertEquals(200, RawHttp.status(RawHttp.get(server.port, "/")), "and the server goes on");
  }

  @Test
  void repeatedBadChannelRequestsGetReasonsAndThen1008(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    try (Clients clients = new Clients(server)) {
      WsClient c = clients.connect("/pubsub");
      for (int i = 0; i < 9; i++) {
        c.send(i % 2 == 0 ? "sub bad*name" : "pub bad*name x");
        assertTrue(c.next().startsWith("error invalid channel name"), "each refusal says why");
      }
      c.send("sub fine");
      c.expect("sub fine true"); // a good request resets the count
      for (int i = 0; i < 10; i++) {
        c.send("sub bad*name");
      }
      assertEquals(1008, c.awaitClose());
    }
  }
}
