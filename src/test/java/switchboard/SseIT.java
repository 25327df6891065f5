package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.chat.ChatRoom;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.LogCapture;
import switchboard.support.NativeTransport;
import switchboard.support.RawHttp;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same apps over Server-Sent Events, read by the JDK's HttpClient line by line, beside WebSocket clients.
 * Here on NIO (the fast path: the channel handed over, chunks through Netty); {@link EpollSseIT} runs it all
 * on epoll, as production does (direct sends and the cork), and {@link PublicApiSseIT} on Vert.x's public
 * response API ({@code transport.fastPath: false}).
 */
@ExtendWith(VertxExtension.class)
class SseIT {

  private static final String TOKEN = "sse-test-token-0123456789";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private Vertx epoll;

  boolean fastPath() {
    return true;
  }

  /** {@code transport.ioUring} of the server under test ({@link EpollWritevSseIT} runs all this on false). */
  boolean ioUring() {
    return true;
  }

  boolean epoll() {
    return false;
  }

  @AfterEach
  void closeEpoll() throws Exception {
    if (epoll != null) {
      epoll.close().await(20, TimeUnit.SECONDS);
    }
  }

  /** A server with {@code config}, on the event loops and the path this class tests. */
  TestServer start(Vertx vertx, JsonObject config) throws Exception {
    if (epoll() && epoll == null) {
      epoll = NativeTransport.vertx();
    }
    config.put("transport", new JsonObject().put("fastPath", fastPath()).put("ioUring", ioUring()));
    return TestServer.start(epoll() ? epoll : vertx, config);
  }

  private TestServer server(Vertx vertx, JsonObject limits) throws Exception {
    return start(vertx, new JsonObject().put("instances", 2).put("limits", limits)
        .put("api", new JsonObject().put("publishToken", TOKEN))
        .put("apps", new JsonObject().put("/", "switchboard.chat.ChatRoom").put("/stream", "switchboard.apps.Stream")));
  }

  /** An event stream's lines, as EventSource would read them. */
  private static final class Events implements AutoCloseable {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final HttpResponse<Stream<String>> response;

    Events(int port, String path, String... headers) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .header("Accept", "text/event-stream");
      for (int i = 0; i + 1 < headers.length; i += 2) {
        request.header(headers[i], headers[i + 1]);
      }
      response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      Thread reader = new Thread(() -> {
        response.body().forEach(lines::add);
        lines.add("<end>");
      });
      reader.setDaemon(true);
      reader.start();
    }

    String next() throws InterruptedException {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertNotNull(line, "no line within 10 s");
      return line;
    }

    private long lastId;

    /** The data of the next event (its lines joined with \n), checking it has an id above the last one's. */
    String nextData() throws InterruptedException {
      String idLine = next();
      assertTrue(idLine.matches("id: [1-9][0-9]*"), "every event has an id: " + idLine);
      long id = Long.parseLong(idLine.substring(4));
      assertTrue(id > lastId, "ids increase along the stream: " + id + " after " + lastId);
      lastId = id;
      List<String> data = new ArrayList<>();
      for (String line; !(line = next()).isEmpty(); ) {
        data.add(line);
      }
      return String.join("\n", data);
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  @Test
  void theChatReachesAnEventStreamWhileWebSocketClientsTalk(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    try (Clients clients = new Clients(server); Events alice = new Events(server.port, "/alice")) {
      assertEquals(200, alice.response.statusCode());
      assertEquals("text/event-stream; charset=utf-8", alice.response.headers().firstValue("Content-Type").orElse(""));
      assertEquals("no-cache", alice.response.headers().firstValue("Cache-Control").orElse(""));
      assertEquals("no", alice.response.headers().firstValue("X-Accel-Buffering").orElse(""));
      assertEquals("retry: 3000", alice.next());
      assertEquals("", alice.next());
      WsClient bob = clients.connect("/bob");
      for (int i = 0; i < 50; i++) {
        bob.send("line " + i);
      }
      for (int i = 0; i < 50; i++) {
        assertEquals("data: bob: line " + i, alice.nextData(), "every line, in order, ids increasing");
        bob.expect("bob: line " + i);
      }
      assertTrue(Http.get(server.port, "/metrics").body().contains("switchboard_connections{transport=\"sse\"} 1.0"));
    }
  }

  @Test
  void theStreamAppCarriesTextLinesAndBinaryAsPublished(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    try (Events news = new Events(server.port, "/stream/news")) {
      assertEquals("retry: 3000", news.next());
      assertEquals("", news.next());
      Eventually.await("subscribed", 5, () -> {
        Http.post(server.port, "/api/publish/news", TOKEN, "first\nsecond\r\nthird".getBytes(StandardCharsets.UTF_8));
        return true;
      });
      assertEquals("data: first\ndata: second\ndata: third", news.nextData(), "one data line per line");
      Http.post(server.port, "/api/publish/news", TOKEN, new byte[] {(byte) 0xFF, 0, 1});
      assertEquals("event: binary\ndata: /wAB", news.nextData(), "binary as base64");
    }
  }

  /** Each event is one HTTP chunk whose size line the server writes: sizes across hex digits, 1 B to 64 KiB. */
  @Test
  void eventsOfEverySizeArriveWholeAndInOrder(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    try (Events sizes = new Events(server.port, "/stream/sizes")) {
      assertEquals("retry: 3000", sizes.next());
      assertEquals("", sizes.next());
      Eventually.await("subscribed", 5, () -> {
        Http.post(server.port, "/api/publish/sizes", TOKEN, "ready".getBytes(StandardCharsets.UTF_8));
        return true;
      });
      assertEquals("data: ready", sizes.nextData());
      List<Integer> lengths = new ArrayList<>();
      for (int center : new int[] {1, 0x10, 0x100, 0x1000, 0x10000 - 64}) {
        for (int n = Math.max(1, center - 12); n <= center + 12; n++) {
          lengths.add(n);
        }
      }
      for (int n : lengths) {
        Http.post(server.port, "/api/publish/sizes", TOKEN, "y".repeat(n).getBytes(StandardCharsets.UTF_8));
      }
      for (int n : lengths) {
        assertEquals("data: " + "y".repeat(n), sizes.nextData(), "the event of " + n + " bytes");
      }
    }
  }

  /** The transport's log names the path each stream takes; this checks that every subclass tests its own. */
  @Test
  void theEventStreamRunsOnThePathUnderTest(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("switchboard.transport.SseTransport");
    java.util.logging.Level level = logger.getLevel();
    logger.setLevel(java.util.logging.Level.FINE);
    try (LogCapture log = LogCapture.of(logger.getName()); Events which = new Events(server.port, "/stream/which")) {
      assertEquals("retry: 3000", which.next());
      String expected = !fastPath() ? "Vert.x's public response API"
          : "the channel is ours, " + (epoll() ? "direct sends" : "through Netty");
      assertTrue(log.await("event stream /stream/which: ").endsWith(expected), "the path under test: " + expected);
    } finally {
      logger.setLevel(level);
    }
  }

  @Test
  void theStreamReadsOnlyTheChannelsItsOptionsAllow(Vertx vertx) throws Exception {
    TestServer server = start(vertx, new JsonObject().put("instances", 1)
        .put("apps", new JsonObject().put("/", "switchboard.chat.ChatRoom").put("/stream", "switchboard.apps.Stream"))
        .put("appOptions", new JsonObject().put("/stream", new JsonObject().put("channels", new JsonArray().add("news").add("prices.*")))));
    try (Clients clients = new Clients(server); Events prices = new Events(server.port, "/stream/prices.eur");
         Events secret = new Events(server.port, "/stream/secret")) {
      assertEquals("retry: 3000", prices.next());
      assertEquals("retry: 3000", secret.next());
      assertEquals("", secret.next());
      assertEquals(": closed 1008 this stream does not carry that channel", secret.next());
      // a raw client: the server's close follows its 101 at once, and Vert.x's ClientWebSocket, setting its
      // handlers a task later, can find the socket already closed and throw (seen once in CI)
      try (switchboard.support.RawWs ws = switchboard.support.RawWs.connect(server.port, "/stream/nope")) {
        assertEquals(switchboard.app.CloseCodes.POLICY_VIOLATION, ws.closeCode());
      }
      WsClient news = clients.connect("/stream/news");
      news.send("may I?");
      assertEquals(switchboard.app.CloseCodes.UNSUPPORTED_DATA, news.awaitClose(), "stream clients only listen");
    }
  }

  @Test
  void anEventStreamGetsHeartbeatsAndItsAppSeesOpenThenCloseOnceWhenTheClientGoes(Vertx vertx) throws Exception {
    TestServer server = start(vertx, new JsonObject().put("instances", 1)
        .put("limits", new JsonObject().put("pingIntervalSeconds", 1).put("missedPongs", 1))
        .put("apps", new JsonObject().put("/record", "switchboard.testapps.RecorderApp")));
    String tag = java.util.UUID.randomUUID().toString();
    try (Events events = new Events(server.port, "/record?" + tag)) {
      assertEquals("retry: 3000", events.next());
      assertEquals("", events.next());
      assertEquals("data: open", events.nextData(), "what onOpen wrote is the first event");
      // several ping intervals: an event stream cannot answer pings, and silence must not close it
      for (int i = 0; i < 3; i++) {
        assertEquals(": ping", events.next());
        assertEquals("", events.next());
      }
    }
    assertEquals(List.of("open", "close"), switchboard.testapps.RecorderApp.closed(tag).get(10, TimeUnit.SECONDS),
        "onOpen, then onClose exactly once when the client left; onMessage never");
  }

  /** The second seed, exactly: curl -N …/stream/ruby in one terminal, redis-cli PUBLISH ruby "I love ruby" in another. */
  @Test
  void theSeedsDemoARawRedisPublishReachesTheStream(Vertx vertx) throws Exception {
    try (switchboard.support.RedisServer redis = switchboard.support.RedisServer.start();
         switchboard.support.RawRedis cli = switchboard.support.RawRedis.connect(redis.port)) {
      TestServer server = start(vertx, new JsonObject().put("instances", 2)
          .put("redis", new JsonObject().put("uri", redis.uri())));
      Http.awaitRedisConnected(server);
      try (Events ruby = new Events(server.port, "/stream/ruby")) {
        assertEquals("retry: 3000", ruby.next());
        assertEquals("", ruby.next());
        redis.awaitSubscribers("ruby", 1);
        cli.publish("ruby", "I love ruby".getBytes(StandardCharsets.UTF_8));
        assertEquals("data: I love ruby", ruby.nextData());
      }
    }
  }

  @Test
  void aGracefulShutdownSendsTheGoodbyeAndEndsTheStream(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    try (Events alice = new Events(server.port, "/alice")) {
      assertEquals("retry: 3000", alice.next());
      assertEquals("", alice.next());
      server.stop();
      assertEquals("data: " + ChatRoom.GOODBYE, alice.nextData());
      assertEquals(": closed 1001 server shutting down", alice.next());
      assertEquals("", alice.next());
      assertEquals("<end>", alice.next(), "the stream ends");
    }
  }

  @Test
  void anEventStreamThatDoesNotReadIsCutAndTheOthersMissNothing(Vertx vertx) throws Exception {
    // a fixed 16 KB kernel send buffer, so the kernel cannot hide the unread bytes (autotuning takes MBs)
    TestServer server = server(vertx, new JsonObject().put("writeQueueBytes", 256 * 1024).put("socketSendBufferBytes", 16_384)
        .put("publishBytesPerSecond", 1 << 30).put("publishBurstBytes", 1 << 30));
    try (Socket sleeper = new Socket(); Clients clients = new Clients(server); Events reader = new Events(server.port, "/reader")) {
      sleeper.setReceiveBufferSize(4096);
      sleeper.connect(new InetSocketAddress("127.0.0.1", server.port));
      sleeper.getOutputStream().write("GET /sleeper HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertEquals("retry: 3000", reader.next());
      assertEquals("", reader.next());
      WsClient writer = clients.connect("/w");
      String big = "x".repeat(60_000);
      for (int i = 0; i < 40; i++) { // 2.4 MB: far past the sleeper's kernel buffers and its 256 KiB budget
        writer.send(i + big);
        assertEquals("data: w: " + i + big, reader.nextData());
        writer.expect("w: " + i + big);
      }
      Eventually.await("the sleeper was closed as a slow consumer", 10, () ->
          Http.get(server.port, "/metrics").body().contains("switchboard_slow_consumer_closes_total 1.0"));
    }
  }

  /**
   * A stream takes no input after its request. On the fast path the channel is ours and says so: the closing
   * comment with 1002, the last chunk, then TCP ends; Vert.x's public API reads the bytes as the start of a
   * next request, which waits behind the endless stream. Either way the server goes on serving the others.
   */
  @Test
  void aClientThatWritesOnItsEventStreamIsAnsweredAndTheOthersGoOn(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    try (Socket talker = new Socket("127.0.0.1", server.port); Events other = new Events(server.port, "/other");
         Clients clients = new Clients(server)) {
      talker.setSoTimeout(10_000);
      talker.getOutputStream().write("GET /talker HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(talker.getInputStream(),
          StandardCharsets.US_ASCII));
      while (!in.readLine().equals("retry: 3000")) {
        // the head, then the first chunk's size line
      }
      talker.getOutputStream().write("hello?\r\n".getBytes(StandardCharsets.US_ASCII));
      if (fastPath()) {
        List<String> rest = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
          rest.add(line);
        }
        int comment = rest.indexOf(": closed 1002 an event stream takes no input after its request");
        assertTrue(comment >= 0, "the closing comment: " + rest);
        assertEquals(List.of("", "", "0", ""), rest.subList(comment + 1, rest.size()),
            "after the comment: its blank line, the chunk's CRLF, the last chunk, then the end: " + rest);
      }
      assertEquals("retry: 3000", other.next());
      assertEquals("", other.next());
      clients.connect("/w").send("still here");
      assertEquals("data: w: still here", other.nextData());
    }
  }

  @Test
  void crossOriginEventSourcesGetCorsAsTheOriginListSays(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("allowedOrigins", new JsonArray().add("https://app.example")));
    try (Events allowed = new Events(server.port, "/a", "Origin", "https://app.example")) {
      assertEquals("https://app.example", allowed.response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
      assertEquals("true", allowed.response.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
    }
    HttpResponse<String> refused = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/b"))
        .header("Accept", "text/event-stream").header("Origin", "https://evil.example").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, refused.statusCode());
  }

  @Test
  void eventStreamsCountTowardTheConnectionCap(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("maxConnections", 2));
    try (Events a = new Events(server.port, "/a"); Events b = new Events(server.port, "/b")) {
      assertEquals("retry: 3000", a.next());
      assertEquals("retry: 3000", b.next());
      assertEquals(503, RawHttp.status(RawHttp.get(server.port, "/c")));
    }
  }
}
