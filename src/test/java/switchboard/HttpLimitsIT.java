package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.RawHttp;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain HTTP connections are bounded like WebSockets: an idle timeout, the connection caps, the feed cap. */
@ExtendWith(VertxExtension.class)
class HttpLimitsIT {

  private static TestServer server(Vertx vertx, JsonObject limits) throws Exception {
    return TestServer.start(vertx, new JsonObject().put("instances", 2).put("limits", limits));
  }

  @Test
  void aKeepAliveConnectionThatGoesQuietIsClosedButAQuietWebSocketIsNot(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("httpIdleTimeoutSeconds", 1));
    try (Socket http = new Socket("127.0.0.1", server.port); Clients clients = new Clients(server)) {
      WsClient quiet = clients.connect("/quiet");
      http.setSoTimeout(10_000);
      http.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals(200, RawHttp.status(RawHttp.readResponse(http.getInputStream())));
      long start = System.nanoTime();
      assertEquals(-1, drain(http.getInputStream()), "the server ended the keep-alive connection");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds >= 0.8 && seconds < 5, "after about the 1 s idle timeout: " + seconds);
      // the WebSocket opened before that request and said nothing since: longer quiet than the one just cut
      quiet.send("still open");
      quiet.expect("quiet: still open");
    }
  }

  @Test
  void plainHttpConnectionsCountTowardTheConnectionCap(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("maxConnections", 3));
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) { // three keep-alive connections, each answered once and then idle
        Socket s = new Socket("127.0.0.1", server.port);
        s.setSoTimeout(5000);
        held.add(s);
        s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, RawHttp.status(RawHttp.readResponse(s.getInputStream())), "connection " + i + " admitted");
      }
      try (Socket fourth = new Socket("127.0.0.1", server.port)) {
        fourth.setSoTimeout(5000);
        fourth.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(503, RawHttp.status(RawHttp.readHead(fourth.getInputStream(), true)), "the server is full");
      }
      try (Socket upgrade = new Socket("127.0.0.1", server.port)) {
        upgrade.setSoTimeout(5000);
        upgrade.getOutputStream().write(RawHttp.upgradeRequest("x", "/late").getBytes(StandardCharsets.US_ASCII));
        assertEquals(503, RawHttp.status(RawHttp.readHead(upgrade.getInputStream(), false)), "upgrades too");
      }
      held.remove(0).close();
      Eventually.await("a place came back", 5, () -> {
        try (Socket again = new Socket("127.0.0.1", server.port)) {
          again.setSoTimeout(5000);
          again.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          return RawHttp.status(RawHttp.readResponse(again.getInputStream())) == 200;
        }
      });
    } finally {
      closeAll(held);
    }
  }

  private static void closeAll(List<Socket> sockets) throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
  }

  @Test
  void plainHttpConnectionsCountTowardThePerAddressCap(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("maxConnectionsPerIp", 2));
    try (Socket a = new Socket("127.0.0.1", server.port); Socket b = new Socket("127.0.0.1", server.port);
         Socket c = new Socket("127.0.0.1", server.port)) {
      // the three may be admitted in any order (two event loops): exactly one of them is over the cap
      List<Integer> statuses = new ArrayList<>();
      for (Socket s : List.of(a, b, c)) {
        s.setSoTimeout(5000);
        s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        statuses.add(RawHttp.status(RawHttp.readResponse(s.getInputStream())));
      }
      statuses.sort(null);
      assertEquals(List.of(200, 200, 429), statuses);
    }
  }

  @Test
  void atMostSixteenAdminFeedsAreOpenAtOnce(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    List<Socket> feeds = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        Socket feed = new Socket("127.0.0.1", server.port);
        assertEquals(200, openFeed(feed), "feed " + i);
        feeds.add(feed);
      }
      assertEquals(503, Http.get(server.port, "/admin/feed").statusCode(), "the seventeenth");
      feeds.remove(0).close();
      Eventually.await("a closed feed gives its place back", 5, () -> {
        try (Socket again = new Socket("127.0.0.1", server.port)) {
          return openFeed(again) == 200;
        }
      });
    } finally {
      closeAll(feeds);
    }
  }

  /** A feed nobody reads is dropped once its small write queue is full, instead of buffering without end. */
  @Test
  void anAdminFeedThatDoesNotReadIsDropped(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("socketSendBufferBytes", 4096));
    try (switchboard.support.LogCapture log = switchboard.support.LogCapture.of("switchboard.server.AdminFeed");
         Socket feed = new Socket()) {
      feed.setReceiveBufferSize(2048);
      feed.connect(new java.net.InetSocketAddress("127.0.0.1", server.port));
      feed.getOutputStream().write("GET /admin/feed HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      // from here on nothing is read: the kernel's buffers take a few snapshots, the write queue ten more
      log.await("admin feed closed: its reader does not keep up", 90);
    }
  }

  /** Asks for the admin feed on {@code socket}; the status of the answer. */
  private static int openFeed(Socket socket) throws Exception {
    socket.setSoTimeout(5000);
    socket.getOutputStream().write("GET /admin/feed HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return RawHttp.status(RawHttp.readHead(socket.getInputStream(), false));
  }

  /** Reads until the end of the stream; -1 then (a read timeout fails the test). */
  private static int drain(InputStream in) throws Exception {
    byte[] buffer = new byte[4096];
    while (in.read(buffer) >= 0) {
      // whatever was left of the response
    }
    return -1;
  }
}
