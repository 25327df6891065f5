package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.Http;
import switchboard.support.RawWs;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded random-frame fuzzer against the real server ({@code ./run.sh fuzz [seed]}, not in the default
 * run): connection after connection sends a few valid frames and then one malformed frame of a random
 * kind, and must get exactly the close code the RFC names for that kind. Afterwards a normal client is
 * served at once, no connection is left open, and the heap is back where it was.
 */
@Tag("heavy")
@ExtendWith(VertxExtension.class)
class FrameFuzzIT {

  private static final int MALFORMED_FRAMES = 100_000;
  private static final int THREADS = 8;

  /** One kind of malformed frame and the close code it must earn. */
  private enum Kind {
    RESERVED_BIT(1002), RESERVED_OPCODE(1002), UNMASKED(1002), LONG_PING(1002), FRAGMENTED_CONTROL(1002),
    CONTINUATION_FIRST(1002), NEW_MESSAGE_INSIDE_FRAGMENTS(1002), BAD_CLOSE(1002), INVALID_UTF8(1007),
    FRAME_TOO_BIG(1009), HUGE_LENGTH(1009), FRAGMENTS_TOO_BIG(1009);

    final int expected;

    Kind(int expected) {
      this.expected = expected;
    }
  }

  @Test
  void aHundredThousandMalformedFramesEachGetTheirCloseCodeAndTheServerIsUnharmed(Vertx vertx) throws Exception {
    long seed = Long.getLong("fuzz.seed", 20261121L);
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2)
        .put("limits", new JsonObject().put("maxConnectionsPerIp", 100_000).put("maxMessageBytes", 4096).put("maxFrameBytes", 4096))
        .put("apps", new JsonObject().put("/", "switchboard.chat.ChatRoom").put("/echo", "switchboard.testapps.EchoApp")));
    long heapBefore = usedHeapAfterGc();
    AtomicInteger malformed = new AtomicInteger();
    AtomicInteger connections = new AtomicInteger();
    Map<String, Integer> wrong = new TreeMap<>();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    for (int t = 0; t < THREADS; t++) {
      Random random = new Random(seed + t);
      pool.submit(() -> {
        while (malformed.get() < MALFORMED_FRAMES) {
          Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
          try (RawWs ws = RawWs.connect(server.port, "/echo")) {
            connections.incrementAndGet();
            for (int valid = random.nextInt(4); valid > 0; valid--) {
              ws.text("ok " + random.nextInt());
            }
            send(ws, kind, random);
            int code = ws.closeCode();
            malformed.incrementAndGet();
            if (code != kind.expected) {
              synchronized (wrong) {
                wrong.merge(kind + " got " + code, 1, Integer::sum);
              }
            }
          } catch (Exception e) {
            synchronized (wrong) {
              wrong.merge(kind + " threw " + e.getClass().getSimpleName(), 1, Integer::sum);
            }
          }
        }
        return null;
      });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES), "the campaign is bounded");
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("fuzz seed %d: %d malformed frames over %d connections in %.1f s%n", seed, malformed.get(), connections.get(), seconds);

    assertEquals(Map.of(), wrong, "every malformed frame earns its RFC 6455 close code");
    assertTrue(malformed.get() >= MALFORMED_FRAMES && connections.get() >= 2000);
    try (Clients clients = new Clients(server)) {
      long t0 = System.nanoTime();
      WsClient normal = clients.connect("/normal");
      normal.send("after the storm");
      normal.expect("normal: after the storm");
      assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "a normal client is served at once");
    }
    Eventually.await("no connection left open", 10, () ->
        Http.get(server.port, "/metrics").body().contains("switchboard_connections{transport=\"websocket\"} 0.0"));
    long heapAfter = usedHeapAfterGc();
    System.out.printf("heap after GC: %d MB before, %d MB after%n", heapBefore >> 20, heapAfter >> 20);
    assertTrue(heapAfter - heapBefore < 32L << 20, "the heap is back where it was");
  }

  private static void send(RawWs ws, Kind kind, Random random) throws Exception {
    byte[] small = new byte[1 + random.nextInt(20)];
    random.nextBytes(small);
    switch (kind) {
      case RESERVED_BIT -> ws.frame(0x81 | (0x10 << random.nextInt(3)), "x".getBytes());
      case RESERVED_OPCODE -> ws.frame(0x80 | new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}[random.nextInt(10)], small);
      case UNMASKED -> ws.frame(0x82, small, false, small.length);
      case LONG_PING -> ws.frame(0x89, new byte[126 + random.nextInt(100)]);
      case FRAGMENTED_CONTROL -> ws.frame(random.nextBoolean() ? 0x09 : 0x0A, small);
      case CONTINUATION_FIRST -> ws.frame(0x80, small);
      case NEW_MESSAGE_INSIDE_FRAGMENTS -> ws.frame(0x02, small).frame(0x82, small);
      case BAD_CLOSE -> ws.frame(0x88, random.nextBoolean() ? new byte[] {3} : new byte[] {0x03, (byte) 0xED});
      case INVALID_UTF8 -> ws.frame(0x81, new byte[] {'a', (byte) (0xC0 | random.nextInt(2)), (byte) 0xAF});
      case FRAME_TOO_BIG -> ws.frame(0x82, new byte[4097 + random.nextInt(1000)]);
      case HUGE_LENGTH -> ws.frame(0x81, new byte[0], true, (1L << 62) + random.nextInt(1000));
      case FRAGMENTS_TOO_BIG -> {
        ws.frame(0x02, new byte[1000]);
        for (int i = 0; i < 5; i++) {
          ws.frame(0x00, new byte[1000]);
        }
      }
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
