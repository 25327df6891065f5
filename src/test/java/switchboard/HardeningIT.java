package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.bench.Bench;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.NativeTransport;
import switchboard.support.RawHttp;
import switchboard.support.TestServer;
import switchboard.support.WsClient;
import switchboard.app.CloseCodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One client must not take the server or its neighbours down: every byte queued for a client counts against
 * its one write budget, whatever path queued it, and a burst never closes a reader that keeps up.
 */
@ExtendWith(VertxExtension.class)
class HardeningIT {

  private static final String LINE = "x".repeat(60_000);

  private static TestServer server(Vertx vertx, JsonObject limits) throws Exception {
    return TestServer.start(vertx, new JsonObject().put("instances", 1).put("limits", limits).put("apps", new JsonObject()
        .put("/", "switchboard.chat.ChatRoom").put("/writer", "switchboard.testapps.WriterApp")));
  }

  @Test
  void aPingFloodFromAClientThatNeverReadsIsCutAndOthersAreServed(Vertx vertx) throws Exception {
    pingFloodIsCut(vertx);
  }

  @Test
  void aPingFloodIsCutOnTheNativeTransportToo() throws Exception {
    NativeTransport.run(HardeningIT::pingFloodIsCut);
  }

  /**
   * 125-byte pings nonstop, nothing read. Only the latest ping of each read is answered, and pings past the
   * publish rate not at all: ten of those in a row close the client with 1008, and TCP is cut after the
   * closing timeout since it never answers the close.
   */
  private static void pingFloodIsCut(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("writeQueueBytes", 256 * 1024));
    try (Clients clients = new Clients(server)) {
      // the benchmark's flooder: a small receive window, pings nonstop, nothing read
      JsonObject flood = Bench.run("pingflood", "--url", "ws://127.0.0.1:" + server.port, "--seconds", "20");
      assertTrue(flood.getBoolean("cut"), "the flooder was cut within 20 s: " + flood.encode());
      String metrics = metrics(server);
      assertTrue(metrics.contains("switchboard_closes_sent_total{code=\"1008\"} 1.0"), "closed with 1008");
      assertTrue(metrics.contains("switchboard_messages_refused_total{reason=\"ping-rate-limited\"}"), "for its pings");
      WsClient other = clients.connect("/other");
      other.send("still here");
      other.expect("other: still here");
    }
  }

  /** The burst: 24 lines of 60 KB back to back, 6 readers reading promptly, default limits. */
  @Test
  void aBurstClosesNoReaderThatKeepsUp(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    try (Clients clients = new Clients(server)) {
      List<WsClient> readers = readers(clients);
      WsClient sender = clients.connect("/burst");
      try {
        for (int i = 0; i < 24; i++) {
          sender.send(i + LINE);
        }
      } catch (Exception closedMeanwhile) {
        // the server may close the sender (below) before its last lines are written
      }
      // 512 KiB of lines go, then every line is refused: ten refusals in a row close the sender (not its readers)
      assertEquals(CloseCodes.POLICY_VIOLATION, sender.awaitClose());
      long refused = sender.pending().stream().filter(a -> a.startsWith("server: slow down")).count();
      assertTrue(refused == 9, "the tenth refusal in a row closes it: " + refused + " refusals seen");
      // 512 KiB is 8 lines of 60 KB (with the "burst: " prefix and the number); the budget refills at
      // 256 KiB/s, so a ninth may fit while the burst arrives
      int lines = readersGotTheSameLines(readers, 8);
      assertTrue(lines >= 8 && lines <= 10, lines + " lines went through");
      assertTrue(metrics(server).contains("switchboard_slow_consumer_closes_total 0.0"));
    }
  }

  /**
   * With the publish byte budget out of the way, the whole burst (1.4 MB per reader, over the 1 MiB write
   * budget) is fanned out in one event-loop pass. Bytes that only wait for the end of the pass are not a
   * slow reader: the budget is judged on what the kernel would not take.
   */
  @Test
  void aBurstOverTheWriteBudgetInOnePassClosesNoReaderThatKeepsUp(Vertx vertx) throws Exception {
    burstOverTheBudget(vertx);
  }

  @Test
  void theSameOnTheNativeTransport() throws Exception {
    NativeTransport.run(HardeningIT::burstOverTheBudget);
  }

  private static void burstOverTheBudget(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("publishBytesPerSecond", 100 << 20)
        .put("publishBurstBytes", 100 << 20));
    try (Clients clients = new Clients(server)) {
      List<WsClient> readers = readers(clients);
      WsClient sender = clients.connect("/burst");
      for (int i = 0; i < 24; i++) {
        sender.send(i + LINE);
      }
      assertEquals(24, readersGotTheSameLines(readers, 24));
      assertTrue(metrics(server).contains("switchboard_slow_consumer_closes_total 0.0"));
    }
  }

  /** Connection.write is bounded too: an app writing to a client that never reads makes it a slow consumer. */
  @Test
  void appWritesToAClientThatNeverReadsCountAgainstItsBudget(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("writeQueueBytes", 256 * 1024));
    try (Socket sleeper = upgraded(server.port, "/writer")) {
      sleeper.getOutputStream().write(maskedText("write 400 60000"));
      Eventually.await("the client that never reads was closed as a slow consumer", 10, () ->
          metrics(server).contains("switchboard_slow_consumer_closes_total 1.0"));
    }
  }

  @Test
  void aPublisherOverItsByteBudgetIsToldToSlowDownAndStaysConnected(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject().put("maxMessageBytes", 1000).put("maxFrameBytes", 1000)
        .put("publishBytesPerSecond", 10).put("publishBurstBytes", 2000));
    try (Clients clients = new Clients(server)) {
      WsClient c = clients.connect("/c");
      String line = "y".repeat(900);
      c.send(line);
      c.expect("c: " + line);
      c.send(line);
      c.expect("c: " + line);
      c.send(line);
      assertEquals("server: slow down, that line was not sent (over 10 bytes per second)", c.next());
      c.send("hi"); // 6 bytes fit what is left of the burst
      c.expect("c: hi");
    }
  }

  @Test
  void appsCannotSendCloseCodesThatOnlyReportLocalEvents(Vertx vertx) throws Exception {
    TestServer server = server(vertx, new JsonObject());
    try (Clients clients = new Clients(server)) {
      WsClient c = clients.connect("/writer");
      for (int code : new int[] {1005, 1006, 1015, 1004, 999, 2000, 5000}) {
        c.send("close " + code);
        String answer = c.next();
        assertTrue(answer.startsWith("refused close code " + code + " may not be sent"), answer);
      }
      c.send("close 4000");
      assertEquals(4000, c.awaitClose());
      assertEquals("app close", c.closeReason());
    }
  }

  private static List<WsClient> readers(Clients clients) throws Exception {
    List<WsClient> readers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      readers.add(clients.connect("/r" + i));
    }
    return readers;
  }

  /**
   * Every reader got the same lines, in order and whole, then a line sent after the burst; returns how many
   * burst lines that was.
   */
  private static int readersGotTheSameLines(List<WsClient> readers, int atLeast) throws Exception {
    // the line after the burst goes once the burst has been fanned out: the first reader has its lines
    // every burst line was published before this one (the sender is closed, or all its lines arrived), and a
    // channel keeps one order: "after" comes after the last burst line at every reader
    List<String> first = readers.get(0).next(atLeast);
    readers.get(0).send("after the burst");
    int lines = -1;
    for (WsClient reader : readers) {
      int i = 0;
      List<String> seen = reader == readers.get(0) ? new ArrayList<>(first) : new ArrayList<>();
      for (String line; !(line = seen.isEmpty() ? reader.next() : seen.remove(0)).equals("r0: after the burst"); i++) {
        assertTrue(line.startsWith("burst: " + i + "x") && line.length() == "burst: ".length() + String.valueOf(i).length()
            + LINE.length(), "reader got line " + i + " whole: " + line.substring(0, Math.min(40, line.length())));
      }
      assertTrue(lines < 0 || lines == i, "every reader got the same " + lines + " lines, not " + i);
      lines = i;
    }
    return lines;
  }

  static String metrics(TestServer server) throws Exception {
    return Http.get(server.port, "/metrics").body();
  }

  /** A raw client with a small receive window that has sent its upgrade and read the 101. */
  static Socket upgraded(int port, String path) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(RawHttp.upgradeRequest("x", path).getBytes(StandardCharsets.US_ASCII));
    String head = RawHttp.readHead(socket.getInputStream(), false);
    if (!head.startsWith("HTTP/1.1 101")) {
      fail("upgrade refused: " + head);
    }
    return socket;
  }

  private static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(payload, 0, frame, 6, payload.length);
    return frame;
  }
}
