package switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import switchboard.chat.ChatRoom;
import switchboard.support.ChildServer;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a real server (child JVM, 2 instances) holding 10,000 chat clients (raw Netty sockets here:
 * one process may hold only 20,000 files, so server and clients live in two). Every client must get the
 * goodbye and then 1001 within 5 s, and the process must exit cleanly. {@code ./run.sh faults}.
 */
@Tag("heavy")
class ShutdownAtScaleIT {

  private static final int CLIENTS = 10_000;

  @Test
  void tenThousandClientsAllGetTheGoodbyeThen1001AndTheProcessExits() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ChildServer server = new ChildServer("{\"port\": " + port + ", \"host\": \"127.0.0.1\", \"instances\": 2, "
        + "\"shutdownGraceSeconds\": 10, \"limits\": {\"maxConnectionsPerIp\": 20000}}", Map.of());
    server.awaitLine("Switchboard listening");

    byte[] goodbye = ChatRoom.GOODBYE.getBytes(StandardCharsets.UTF_8);
    EventLoopGroup group = ToolIo.group("epoll", 1);
    AtomicInteger goodbyes = new AtomicInteger();
    List<AtomicBoolean> saidGoodbye = new ArrayList<>();
    List<RawWebSocket> sockets = new ArrayList<>();
    BenchOptions options = BenchOptions.parse(new String[] {"idle", "--url", "ws://127.0.0.1:" + port});
    for (int i = 0; i < CLIENTS; i++) {
      saidGoodbye.add(new AtomicBoolean());
    }
    Bench.connectAll(CLIENTS, 200, i -> RawWebSocket.connect(group, URI.create("ws://127.0.0.1:" + port + "/guest" + i),
        options.sourceAddress(i), (ByteBuf buffer, int from, int to, long now) -> {
          if (to - from == goodbye.length && saidGoodbye.get(i).compareAndSet(false, true)) {
            goodbyes.incrementAndGet();
          }
        }), sockets);
    assertEquals(CLIENTS, sockets.size());

    long start = System.nanoTime();
    AtomicLong lastClose = new AtomicLong();
    AtomicInteger goingAway = new AtomicInteger();
    AtomicInteger goodbyeFirst = new AtomicInteger();
    List<CompletableFuture<Integer>> closes = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      int n = i;
      closes.add(sockets.get(i).closed().whenComplete((code, e) -> {
        lastClose.accumulateAndGet(System.nanoTime(), Math::max);
        if (code != null && code == 1001) {
          goingAway.incrementAndGet();
        }
        if (saidGoodbye.get(n).get()) {
          goodbyeFirst.incrementAndGet();
        }
      }));
    }
    server.process.destroy(); // SIGTERM
    CompletableFuture.allOf(closes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    int exit = server.awaitExit();
    long closeSeconds = TimeUnit.NANOSECONDS.toMillis(lastClose.get() - start);
    System.out.printf("shutdown of %d clients: %d goodbyes, %d closes with 1001 (goodbye first: %d), last close after %d ms, exit %d%n",
        CLIENTS, goodbyes.get(), goingAway.get(), goodbyeFirst.get(), closeSeconds, exit);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);

    assertEquals(CLIENTS, goodbyes.get(), "every client got the goodbye");
    assertEquals(CLIENTS, goingAway.get(), "every client got 1001");
    assertEquals(CLIENTS, goodbyeFirst.get(), "the goodbye came before the close");
    assertTrue(closeSeconds <= 5000, "all closed within 5 s, last after " + closeSeconds + " ms");
    assertTrue(exit == 0 || exit == 143, "clean exit, got " + exit);
  }
}
