package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.chat.ChatRoom;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.NativeTransport;
import switchboard.support.RawHttp;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading is cut off at the write-queue bound; everyone else gets every message. Run
 * on NIO and on epoll, where deliveries may also go straight to the socket ({@code DirectSend}).
 */
@ExtendWith(VertxExtension.class)
class SlowConsumerIT {

  /** {@code transport.fastPath} of the server under test ({@link PublicApiSlowConsumerIT} runs all this on false). */
  boolean fastPath() {
    return true;
  }

  /** {@code transport.ioUring} of the server under test ({@link WritevSlowConsumerIT} runs all this on false). */
  boolean ioUring() {
    return true;
  }

  private JsonObject config() {
    return new JsonObject().put("instances", 1)
        .put("transport", new JsonObject().put("fastPath", fastPath()).put("ioUring", ioUring()));
  }

  /** {@code switchboard_batched_writes_total} as the server's /metrics says it. */
  private static double batchedWrites(TestServer server) throws Exception {
    java.util.regex.Matcher value = java.util.regex.Pattern.compile("(?m)^switchboard_batched_writes_total (\\S+)$")
        .matcher(Http.get(server.port, "/metrics").body());
    assertTrue(value.find(), "switchboard_batched_writes_total is on /metrics");
    return Double.parseDouble(value.group(1));
  }

  @Test
  void aClientThatStopsReadingIsClosedAndTheOthersMissNothing(Vertx vertx) throws Exception {
    cutsOffTheSleeperOnly(vertx);
  }

  @Test
  void theSameOnTheNativeTransport() throws Exception {
    NativeTransport.run(this::cutsOffTheSleeperOnly);
  }

  /**
   * On epoll a delivery that finds the socket buffer nearly full leaves in two parts: what send(2) took,
   * then the rest through Netty's queue. With a 16 KB kernel send buffer, a reader that stops while 1 MB
   * of 40 KB frames go by, then catches up, three times, hits that boundary each time; every frame must
   * arrive whole and in order. (The write-queue bound is raised so that this reader is never cut off.)
   */
  @Test
  void aReaderThatFallsBehindAndCatchesUpGetsEveryFrameWholeOnEpoll() throws Exception {
    NativeTransport.run(epoll -> {
      TestServer server = TestServer.start(epoll, config().put("limits", new JsonObject()
          .put("publishPerSecond", 1_000_000).put("publishBurst", 1_000_000)
          .put("publishBytesPerSecond", 1 << 30).put("publishBurstBytes", 1 << 30).put("writeQueueBytes", 64 << 20)
          .put("socketSendBufferBytes", 16_384)));
      try (Socket trickle = upgradedWithSmallWindow(server.port, "/trickle"); Clients clients = new Clients(server)) {
        trickle.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(new BufferedInputStream(trickle.getInputStream(), 65_536));
        WsClient publisher = clients.connect("/pub");
        // frames larger than the 16 KB send buffer: the kernel can only take part of one
        String padding = "y".repeat(40_000);
        int sent = 0;
        int read = 0;
        for (int cycle = 0; cycle < 3; cycle++) {
          for (int i = 0; i < 25; i++) { // 1 MB while the trickle reads nothing
            publisher.send(sent++ + " " + padding);
          }
          read = readFramesInOrder(in, "pub: ", padding, read, sent);
          assertEquals(sent, read, "every frame of cycle " + cycle + ", whole and in order");
        }
        assertTrue(Http.get(server.port, "/metrics").body().contains("switchboard_slow_consumer_closes_total 0.0"),
            "the trickle was never cut off");
      }
    });
  }

  /**
   * Under load a pass's deliveries to a socket are corked and leave in one writev at its end; pongs and the
   * goodbye must still come in call order. On epoll, while 2,000 lines are fanned out in bursts, a raw client
   * pings 40 times: every line arrives whole and in order, every ping is answered between whole frames, and
   * at shutdown the goodbye and the 1001 close come after every line.
   */
  @Test
  void corkedDeliveriesKeepTheirOrderWithPongsAndTheGoodbyeOnEpoll() throws Exception {
    NativeTransport.run(epoll -> {
      TestServer server = TestServer.start(epoll, config().put("limits", new JsonObject()
          .put("publishPerSecond", 1_000_000).put("publishBurst", 1_000_000)
          .put("publishBytesPerSecond", 1 << 30).put("publishBurstBytes", 1 << 30)));
      double batchedBefore = batchedWrites(server);
      try (Socket raw = upgradedWithSmallWindow(server.port, "/raw"); Clients clients = new Clients(server)) {
        raw.setSoTimeout(20_000);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw.getInputStream(), 65_536));
        // read while the reader adds: a list whose iteration sees a snapshot
        java.util.List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger pongs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CompletableFuture<Integer> closeCode = new java.util.concurrent.CompletableFuture<>();
        Thread reader = new Thread(() -> {
          try {
            while (true) {
              int first = in.readUnsignedByte();
              int length = in.readUnsignedByte() & 0x7F;
              length = length == 126 ? in.readUnsignedShort() : length == 127 ? (int) in.readLong() : length;
              byte[] payload = new byte[length];
              in.readFully(payload);
              if (first == 0x8A) {
                pongs.incrementAndGet();
              } else if (first == 0x89) {
                continue; // the server's heartbeat: left unanswered, the test ends long before that matters
              } else if (first == 0x88) {
                closeCode.complete(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
                return;
              } else {
                assertEquals(0x81, first, "whole text frames only");
                texts.add(new String(payload, StandardCharsets.UTF_8));
              }
            }
          } catch (Exception | AssertionError e) {
            closeCode.completeExceptionally(e);
          }
        });
        reader.start();
        WsClient publisher = clients.connect("/pub");
        String padding = "z".repeat(200);
        int sent = 0;
        for (int burst = 0; burst < 20; burst++) {
          for (int i = 0; i < 100; i++) {
            publisher.send(sent++ + " " + padding);
            if (i % 50 == 0) { // a ping in mid-burst, answered before the next one goes (only the latest is answered)
              raw.getOutputStream().write(new byte[] {(byte) 0x89, (byte) 0x81, 1, 2, 3, 4, 'p' ^ 1}); // masked "p"
              int answered = burst * 2 + i / 50 + 1;
              Eventually.await("pong " + answered, 10, () -> pongs.get() == answered);
            }
          }
        }
        int all = sent;
        Eventually.await("every line reached the raw client", 20, () ->
            texts.stream().filter(t -> t.startsWith("pub: ")).count() == all);
        double batched = batchedWrites(server) - batchedBefore;
        if (fastPath() && ioUring()) {
          assertTrue(batched >= 1, "the corked lines left through the io_uring: " + batched);
        } else {
          assertEquals(0.0, batched, "transport.ioUring false (or the public API): one writev per socket");
        }
        server.stop();
        assertEquals(1001, closeCode.get(20, TimeUnit.SECONDS), "going away, after everything else");
        java.util.List<String> lines = texts.stream().filter(t -> t.startsWith("pub: ")).toList();
        for (int i = 0; i < all; i++) {
          assertEquals("pub: " + i + " " + padding, lines.get(i), "line " + i + " in order");
        }
        assertEquals(ChatRoom.GOODBYE, texts.get(texts.size() - 1), "the goodbye comes last");
      }
    });
  }

  /**
   * A client that resets its connection while messages are being delivered to it is gone, not slow: a
   * delivery that finds the socket already closed (Netty reports a closed channel as not writable) must
   * not be logged and counted as a slow-consumer close. 300 clients join and reset during a flood.
   */
  @Test
  void aClientThatResetsIsNotCountedAsASlowConsumer() throws Exception {
    NativeTransport.run(epoll -> {
      TestServer server = TestServer.start(epoll, config()
          .put("limits", new JsonObject().put("publishPerSecond", 1_000_000).put("publishBurst", 1_000_000)
          .put("publishBytesPerSecond", 1 << 30).put("publishBurstBytes", 1 << 30)));
      try (Clients clients = new Clients(server)) {
        WsClient publisher = clients.connect("/flood");
        AtomicBoolean flooding = new AtomicBoolean(true);
        FutureTask<Void> flood = new FutureTask<>(() -> {
          for (int i = 0; flooding.get(); ) {
            for (int end = i + 50; i < end; i++) {
              publisher.send("line " + i);
            }
            // the publisher reads its own lines too, so that it never is a slow consumer itself
            while (!publisher.next().equals("flood: line " + (i - 1))) {
              // earlier lines, and others joining and leaving
            }
          }
          return null;
        });
        new Thread(flood).start();
        try {
          for (int i = 0; i < 300; i++) {
            try (Socket client = new Socket("127.0.0.1", server.port)) {
              client.getOutputStream().write(RawHttp.upgradeRequest("x", "/r" + i).getBytes(StandardCharsets.US_ASCII));
              assertTrue(RawHttp.readHead(client.getInputStream(), false).startsWith("HTTP/1.1 101"));
              client.setSoLinger(true, 0); // the close is a reset
            }
          }
        } finally {
          flooding.set(false);
          flood.get(10, TimeUnit.SECONDS);
        }
        String metrics = Http.get(server.port, "/metrics").body();
        assertTrue(metrics.contains("switchboard_slow_consumer_closes_total 0.0"), "no client was slow, they left: "
            + metrics.lines().filter(l -> l.startsWith("switchboard_slow") || l.startsWith("switchboard_messages_dropped")).toList());
        WsClient after = clients.connect("/after");
        after.send("still served");
        while (!after.next().equals("after: still served")) {
          // the flood's last lines
        }
      }
    });
  }

  /**
   * Reads chat lines from {@code sender} until a close frame, the end of the connection (a last frame cut
   * short by a drop is fine) or line {@code until}, checking they are "sender" + from, + (from + 1), ...
   * with the padding, in order; returns the number of the next line expected.
   */
  private static int readFramesInOrder(DataInputStream in, String sender, String padding, int from, int until)
      throws Exception {
    int next = from;
    while (next < until) {
      int first;
      try {
        first = in.readUnsignedByte();
      } catch (EOFException | SocketException ended) {
        return next;
      }
      try {
        int length = in.readUnsignedByte() & 0x7F;
        length = length == 126 ? in.readUnsignedShort() : length == 127 ? (int) in.readLong() : length;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (first == 0x88) {
          return next;
        }
        assertEquals(0x81, first, "a text frame");
        assertEquals(sender + next + " " + padding, new String(payload, StandardCharsets.UTF_8), "frame " + next);
        next++;
      } catch (EOFException | SocketException cutShort) {
        return next;
      }
    }
    return next;
  }

  /** A raw chat client with a 4 KB receive buffer (a small window, so the server's buffers fill soon), upgraded. */
  private static Socket upgradedWithSmallWindow(int port, String path) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.getOutputStream().write(RawHttp.upgradeRequest("x", path).getBytes(StandardCharsets.US_ASCII));
    assertTrue(RawHttp.readHead(socket.getInputStream(), false).startsWith("HTTP/1.1 101"));
    return socket;
  }

  private void cutsOffTheSleeperOnly(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, config() // the 1 MiB default bound
        .put("limits", new JsonObject().put("publishPerSecond", 1_000_000).put("publishBurst", 1_000_000)
          .put("publishBytesPerSecond", 1 << 30).put("publishBurstBytes", 1 << 30)));
    try (Socket sleeper = upgradedWithSmallWindow(server.port, "/sleeper"); Clients clients = new Clients(server)) {
      InputStream in = sleeper.getInputStream();
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
      // what was queued (whole frames, in order: on epoll a frame may have left in two parts, one sent
      // directly and the rest through Netty's queue), then the end of the connection
      int received = readFramesInOrder(new DataInputStream(in), "reader: ", padding, 0, Integer.MAX_VALUE);
      assertTrue(System.nanoTime() < deadline, "the server should drop the connection");
      assertTrue(received > 0, "the sleeper got what fitted in the socket buffers");
    }
  }
}
