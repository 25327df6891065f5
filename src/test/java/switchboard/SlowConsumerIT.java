package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.NativeTransport;
import switchboard.support.RawHttp;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading is cut off at the write-queue bound; everyone else gets every message. Run
 * on NIO and on epoll, where deliveries may also go straight to the socket ({@code DirectSend}).
 */
@ExtendWith(VertxExtension.class)
class SlowConsumerIT {

  @Test
  void aClientThatStopsReadingIsClosedAndTheOthersMissNothing(Vertx vertx) throws Exception {
    cutsOffTheSleeperOnly(vertx);
  }

  @Test
  void theSameOnTheNativeTransport() throws Exception {
    Vertx epoll = NativeTransport.vertx();
    try {
      cutsOffTheSleeperOnly(epoll);
    } finally {
      epoll.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static void cutsOffTheSleeperOnly(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1) // the 1 MiB default bound
        .put("limits", new JsonObject().put("publishPerSecond", 1_000_000).put("publishBurst", 1_000_000)));
    try (Socket sleeper = new Socket(); Clients clients = new Clients(server)) {
      sleeper.setReceiveBufferSize(4096); // a small window, so the server notices soon
      sleeper.connect(new InetSocketAddress("127.0.0.1", server.port));
      sleeper.getOutputStream().write(("GET /sleeper HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Key: SGVsbG8sIHdvcmxkIQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = sleeper.getInputStream();
      assertTrue(RawHttp.readHead(in, false).startsWith("HTTP/1.1 101"));
      // from here on the sleeper reads nothing

      WsClient reader = clients.connect("/reader");
      String padding = "x".repeat(1000);
      int count = 10_000; // 10 MB: more than the kernel's socket buffers (up to 4 MB here) and the bound
      int batch = 500; // the reader keeps up (at most 0.5 MB unread); the sleeper falls behind for good
      for (int start = 0; start < count; start += batch) {
        for (int i = start; i < start + batch; i++) {
          reader.send(i + " " + padding);
        }
        for (int i = start; i < start + batch; i++) {
          assertEquals("reader: " + i + " " + padding, reader.next(), "every message, in order");
        }
      }
      Eventually.await("the sleeper was closed as a slow consumer", 10, () ->
          Http.get(server.port, "/metrics").body().contains("switchboard_slow_consumer_closes_total 1.0"));
      assertTrue(Http.get(server.port, "/metrics").body().contains("switchboard_closes_sent_total{code=\"1008\"} 1.0"));

      sleeper.setSoTimeout(10_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      byte[] drain = new byte[65_536];
      while (in.read(drain) >= 0) { // what was queued, then the end of the connection
        assertTrue(System.nanoTime() < deadline, "the server should drop the connection");
      }
    }
  }
}
