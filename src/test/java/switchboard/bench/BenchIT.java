package switchboard.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import switchboard.internal.FloorServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.TestServer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark tool against a real server, briefly: its delivery checker must count exactly what the
 * server delivered (a load tool that miscounts is worse than none). Not a speed test.
 */
@ExtendWith(VertxExtension.class)
class BenchIT {

  /** The benchmark's publisher is one connection sending far faster than a person: lift the rate limit. */
  private static final JsonObject UNLIMITED_PUBLISHING = new JsonObject().put("publishPerSecond", 1_000_000).put("publishBurst", 1_000_000)
      .put("publishBytesPerSecond", 1 << 30).put("publishBurstBytes", 1 << 30);

  @Test
  void fanoutCountsEveryDeliveryAndFindsNothingLostOrDuplicated(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2).put("limits", UNLIMITED_PUBLISHING));
    JsonObject r = Bench.run("fanout", "--url", "ws://127.0.0.1:" + server.port, "--subscribers", "20",
        "--rate", "200", "--seconds", "1", "--warmup", "1", "--source-addresses", "0", "--settle-core", "0",
        "--server-pid", String.valueOf(ProcessHandle.current().pid())); // the server runs in this JVM
    long published = r.getLong("published");
    assertTrue(published >= 150, r.encode());
    assertEquals(published * 20, r.getLong("received"), r.encode());
    // deliveries are those made inside the window: the window's messages but for the few in flight at its edges
    assertEquals(published * 20, r.getLong("deliveries"), published * 20 / 10.0, r.encode());
    assertEquals(0, r.getLong("lost"));
    assertEquals(0, r.getLong("duplicated"));
    assertEquals(0, r.getLong("reordered"));
    assertTrue(r.getDouble("latency_p50_ms") > 0, r.encode());
    // the measured window's own latencies: the warm-up's, and the two extremes the histogram is seeded with
    // (1 ns and 60 s), are taken out again
    assertTrue(r.getDouble("latency_max_ms") < 10_000 && r.getDouble("latency_max_ms") >= r.getDouble("latency_p99_ms"), r.encode());
    // the server's CPU is reported split into its own code and the kernel's (ProcessStatsTest checks the split)
    assertTrue(r.getDouble("server_user_cpu_s") >= 0 && r.getDouble("server_kernel_cpu_s") >= 0, r.encode());
    // it first waited for core 0 to go quiet (QuietCoreTest checks the wait): seconds, or -1 after 60 s busy
    assertEquals(ToolIo.preferred(java.net.URI.create("ws://127.0.0.1")), r.getString("tool_io"),
        "io_uring where available, unless --io says otherwise: " + r.encode());
    double settled = r.getDouble("settle_s");
    assertTrue(settled >= 0 && settled <= 60 || settled == -1, r.encode());
  }

  /**
   * The tool's sockets count every delivery alike on io_uring and on epoll ({@code --io}), over WebSocket
   * and event streams, at a rate and in the closed loop; the report says which kind ran.
   */
  @Test
  void eitherKindOfToolSocketCountsTheSame(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1).put("limits", UNLIMITED_PUBLISHING));
    for (String io : List.of("io_uring", "epoll")) {
      for (String transport : List.of("ws", "sse")) {
        for (String rate : List.of("200", "max")) {
          JsonObject r = Bench.run("fanout", "--io", io, "--url", "ws://127.0.0.1:" + server.port, "--transport", transport,
              "--subscribers", "20", "--rate", rate, "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
          assertEquals(io, r.getString("tool_io"), r.encode());
          assertTrue(r.getLong("published") >= 150, r.encode());
          assertEquals(r.getLong("published") * 20, r.getLong("received"), r.encode());
          assertEquals(0, r.getLong("lost") + r.getLong("duplicated") + r.getLong("reordered"), r.encode());
        }
      }
    }
  }

  /** The same over event streams: the tool undoes the chunked encoding and reads the data lines itself. */
  @Test
  void sseFanoutCountsEveryDeliveryAndFindsNothingLostOrDuplicated(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2).put("limits", UNLIMITED_PUBLISHING));
    for (String rate : List.of("200", "max")) {
      JsonObject r = Bench.run("fanout", "--url", "ws://127.0.0.1:" + server.port, "--transport", "sse", "--subscribers", "20",
          "--rate", rate, "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
      assertTrue(r.getLong("published") >= 150, r.encode());
      assertEquals(r.getLong("published") * 20, r.getLong("received"), r.encode());
      assertEquals(0, r.getLong("lost") + r.getLong("duplicated") + r.getLong("reordered"), r.encode());
      assertFalse(r.containsKey("settle_s"), "no --settle-core, no wait: " + r.encode());
    }
  }

  /**
   * The closed loop ({@code --rate max}) delivers everything once and in order. Its first window used to
   * leave from two threads at once (the publisher's and, as the first deliveries came back, the
   * subscribers'), which once showed as 13 messages reordered for all 1,000 subscribers in a 1,000-subscriber
   * run; this small run did not reproduce that race, but guards the closed loop's bookkeeping.
   */
  @Test
  void theClosedLoopSendsInOrder(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1).put("limits", UNLIMITED_PUBLISHING));
    for (int run = 0; run < 3; run++) {
      JsonObject r = Bench.run("fanout", "--url", "ws://127.0.0.1:" + server.port, "--subscribers", "10",
          "--rate", "max", "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
      assertEquals(r.getLong("published") * 10, r.getLong("received"), r.encode());
      assertEquals(0, r.getLong("lost") + r.getLong("duplicated") + r.getLong("reordered"), r.encode());
    }
  }

  /**
   * The tool reads event streams itself (the chunked encoding included): with
   * events whose chunks take two and three hex digits of size, it counts every delivery, once, in order.
   */
  @Test
  void eventStreamsCountEveryDelivery(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1).put("limits", UNLIMITED_PUBLISHING));
    for (String size : new String[] {"16", "64", "400"}) {
      JsonObject r = Bench.run("fanout", "--url", "ws://127.0.0.1:" + server.port, "--transport", "sse", "--subscribers", "10",
          "--rate", "max", "--size", size, "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
      assertTrue(r.getLong("published") > 0, r.encode());
      assertEquals(r.getLong("published") * 10, r.getLong("received"), r.encode());
      assertEquals(0, r.getLong("lost") + r.getLong("duplicated") + r.getLong("reordered"), r.encode());
    }
  }

  /**
   * The tool speaks Centrifugo's protocol too: fan-out, one channel each, and publishing through the server
   * API; and the chat's messages can come through its publish API.
   */
  @Test
  void theProtocolModesCountEveryDelivery(Vertx vertx) throws Exception {
    String key = "bench-it-api-key-0123456789abcdef";
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2).put("limits", UNLIMITED_PUBLISHING)
        .put("apps", new JsonObject().put("/", "switchboard.chat.ChatRoom").put("/rooms", "switchboard.chat.Rooms"))
        .put("api", new JsonObject().put("publishToken", key))
        .put("protocol", new JsonObject().put("allowAnonymousConnectWithoutToken", true).put("apiKey", key)
            .put("withoutNamespace", new JsonObject().put("allow_subscribe_for_anonymous", true)
                .put("allow_publish_for_subscriber", true).put("allow_publish_for_anonymous", true))));
    String url = "ws://127.0.0.1:" + server.port;
    for (String[] args : List.of(
        new String[] {"fanout", "--protocol", "centrifuge", "--subscribers", "20"},
        new String[] {"fanout", "--protocol", "centrifuge", "--subscribers", "20", "--api-key", key},
        new String[] {"channels", "--protocol", "centrifuge", "--connections", "50"},
        new String[] {"channels", "--protocol", "centrifuge", "--connections", "50", "--api-key", key},
        new String[] {"fanout", "--subscribers", "20", "--api-key", key}, // the chat, through the publish API
        new String[] {"channels", "--connections", "50", "--api-key", key})) {
      List<String> all = new java.util.ArrayList<>(List.of(args));
      all.addAll(List.of("--url", url, "--rate", "300", "--seconds", "1", "--warmup", "1", "--source-addresses", "0"));
      JsonObject r = Bench.run(all.toArray(new String[0]));
      long published = r.getLong("published");
      assertTrue(published >= 200, r.encode());
      assertEquals(published * (args[0].equals("fanout") ? 20 : 1), r.getLong("received"), String.join(" ", args) + ": " + r.encode());
      assertEquals(0, r.getLong("lost") + r.getLong("duplicated") + r.getLong("reordered"), String.join(" ", args) + ": " + r.encode());
    }
  }

  /** wss:// measures the TLS listener, where the fast path's direct send stands aside (an SslHandler). */
  @Test
  void fanoutOverTlsCountsEveryDeliveryToo(Vertx vertx, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    switchboard.support.TestCerts certs = new switchboard.support.TestCerts(dir);
    certs.ca("ca");
    certs.signed("ca", "server", "IP:127.0.0.1");
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1).put("limits", UNLIMITED_PUBLISHING)
        .put("tls", new JsonObject().put("certPath", dir.resolve("server.crt").toString())
            .put("keyPath", certs.key("server").toString()).put("port", 0)));
    JsonObject r = Bench.run("fanout", "--url", "wss://127.0.0.1:" + server.tlsPort, "--subscribers", "20",
        "--rate", "200", "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
    long published = r.getLong("published");
    assertTrue(published >= 150, r.encode());
    assertEquals(published * 20, r.getLong("received"), r.encode());
    assertEquals(0, r.getLong("lost") + r.getLong("duplicated") + r.getLong("reordered"), r.encode());
    assertEquals("epoll", r.getString("tool_io"), "TLS runs stay on epoll (ToolIo.preferred): " + r.encode());
  }

  @Test
  void fanoutOverServerSentEventsCountsEveryDeliveryToo(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2).put("limits", UNLIMITED_PUBLISHING));
    JsonObject r = Bench.run("fanout", "--transport", "sse", "--url", "ws://127.0.0.1:" + server.port, "--subscribers", "20",
        "--rate", "200", "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
    long published = r.getLong("published");
    assertTrue(published >= 150, r.encode());
    assertEquals(published * 20, r.getLong("received"), r.encode());
    assertEquals(0, r.getLong("lost") + r.getLong("duplicated") + r.getLong("reordered"), r.encode());
    JsonObject idle = Bench.run("idle", "--transport", "sse", "--url", "ws://127.0.0.1:" + server.port,
        "--connections", "50", "--seconds", "1", "--warmup", "0", "--source-addresses", "0");
    assertEquals(50, idle.getLong("still_open"), idle.encode());
    // as an operator sees it: no forced GC, RSS sampled once a second at the end of the hold (the server is this JVM)
    JsonObject rss = Bench.run("idle", "--url", "ws://127.0.0.1:" + server.port, "--connections", "50", "--seconds", "2",
        "--warmup", "0", "--gc", "no", "--server-pid", String.valueOf(ProcessHandle.current().pid()), "--source-addresses", "0");
    assertEquals(2, rss.getLong("server_rss_after_samples"), rss.encode());
    long after = rss.getLong("server_rss_after_kib");
    assertTrue(rss.getLong("server_rss_after_min_kib") <= after && after <= rss.getLong("server_rss_after_max_kib"), rss.encode());
    assertTrue(after > 0, rss.encode());
  }

  @Test
  void channelsAndConnectModesRunAgainstTheRoomsApp(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("limits", UNLIMITED_PUBLISHING).put("apps", new JsonObject()
        .put("/", "switchboard.chat.ChatRoom").put("/rooms", "switchboard.chat.Rooms")));
    String url = "ws://127.0.0.1:" + server.port;
    JsonObject channels = Bench.run("channels", "--url", url, "--connections", "50", "--rate", "500",
        "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
    assertEquals(channels.getLong("published"), channels.getLong("received"), channels.encode());
    assertEquals(0, channels.getLong("lost"));
    JsonObject connect = Bench.run("connect", "--url", url, "--path", "/rooms/{n}/{n}", "--concurrency", "5",
        "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
    assertTrue(connect.getLong("completed") > 0, connect.encode());
    assertEquals(0, connect.getLong("failed"), connect.encode());
  }

  /** The reference server of ./run.sh compare: a floor that lost frames would flatter its latency. */
  @Test
  void theFloorServerFansEveryFrameOutOnce() throws Exception {
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      Channel floor = FloorServer.start(loop, 0);
      int port = ((InetSocketAddress) floor.localAddress()).getPort();
      JsonObject r = Bench.run("fanout", "--url", "ws://127.0.0.1:" + port, "--subscribers", "20",
          "--rate", "200", "--seconds", "1", "--warmup", "1", "--source-addresses", "0");
      assertTrue(r.getLong("published") >= 150, r.encode());
      assertEquals(r.getLong("published") * 20, r.getLong("received"), r.encode());
      assertEquals(0, r.getLong("lost") + r.getLong("duplicated") + r.getLong("reordered"), r.encode());
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void payloadsCarryTheirSequenceAndSendTime() {
    byte[] encoded = Payloads.encode(42, 123456789L, 64);
    assertEquals(64, encoded.length);
    io.netty.buffer.ByteBuf line = io.netty.buffer.Unpooled.wrappedBuffer(("nick: " + new String(encoded)).getBytes());
    int to = line.writerIndex();
    int at = Payloads.start(line, 0, to);
    assertEquals(42, Payloads.number(line, at, to));
    assertEquals(123456789L, Payloads.number(line, Payloads.after(line, at, to), to));
    assertEquals(-1, Payloads.number(line, at, at + 2), "a number cut off by the payload's end is malformed");
    assertEquals(-1, Payloads.start(line, 0, 5), "the '#' lies beyond the payload: not a benchmark message");
    int cut = at + 2; // "#42" with nothing after it within the payload, though the buffer goes on
    assertEquals(cut, Payloads.after(line, at, cut), "no space before the payload's end: its end, not the buffer's start");
    assertEquals(-1, Payloads.number(line, Payloads.after(line, at, cut), cut));
  }

  @Test
  void pingfloodReportsTheCutAndTheServersMemory(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1));
    JsonObject result = Bench.run("pingflood", "--url", "ws://127.0.0.1:" + server.port, "--seconds", "15",
        "--server-pid", String.valueOf(ProcessHandle.current().pid()));
    assertEquals(true, result.getBoolean("cut"), result.encode());
    assertTrue(result.getDouble("cut_after_s") < 15, result.encode());
    assertTrue(result.getLong("ping_bytes_sent") > 0 && result.getDouble("server_rss_peak_mib") > 0, result.encode());
  }

  @Test
  void burstCountsTheReadersTheServerClosed(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1));
    JsonObject result = Bench.run("burst", "--url", "ws://127.0.0.1:" + server.port, "--subscribers", "6",
        "--messages", "24", "--size", "60000", "--seconds", "20");
    assertEquals(0, result.getInteger("readers_closed"), result.encode());
    // the default byte budget lets 8 of the 24 lines through (512 KiB; a ninth may fit as it refills), then
    // refuses the rest; every reader gets the same lines
    long lines = result.getLong("lines_received_min");
    assertTrue(lines >= 8 && lines <= 10, result.encode());
    assertEquals(lines, result.getLong("lines_received_max"), result.encode());
  }
}
