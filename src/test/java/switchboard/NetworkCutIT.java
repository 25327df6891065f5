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
import switchboard.support.RedisServer;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Redis on a test host of its own (a network namespace this test makes, joined by a veth pair), and the
 * link cut silently: the interface goes down, no RST, no FIN. The bridge must notice within 5 s (the canary),
 * readiness must say so, local chat must go on, and delivery must come back within 2 s of the link.
 * Needs root and iproute2 ({@code ip}); part of {@code ./run.sh faults}.
 */
@Tag("heavy")
@ExtendWith(VertxExtension.class)
class NetworkCutIT {

  private static void ip(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "ip";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      fail("'ip " + String.join(" ", args) + "' failed (this test needs root and iproute2: apt-get install iproute2): " + out);
    }
  }

  @Test
  void aSilentlyCutRedisLinkIsNoticedAndRecovers(Vertx vertx) throws Exception {
    int net = ThreadLocalRandom.current().nextInt(1, 250);
    String ns = "sbns" + net;
    String hostSide = "sbh" + net;
    String redisIp = "10.213." + net + ".2";
    int port = 6399;
    Process redis = null;
    try {
      ip("netns", "add", ns);
      ip("link", "add", hostSide, "type", "veth", "peer", "name", "sbn" + net);
      ip("link", "set", "sbn" + net, "netns", ns);
      ip("addr", "add", "10.213." + net + ".1/30", "dev", hostSide);
      ip("link", "set", hostSide, "up");
      ip("netns", "exec", ns, "ip", "addr", "add", redisIp + "/30", "dev", "sbn" + net);
      ip("netns", "exec", ns, "ip", "link", "set", "sbn" + net, "up");
      redis = new ProcessBuilder("ip", "netns", "exec", ns, RedisServer.binaryPath().toString(), "--port", String.valueOf(port),
          "--bind", redisIp, "--protected-mode", "no", "--save", "", "--appendonly", "no")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();

      TestServer server = TestServer.start(vertx, new JsonObject().put("redis", new JsonObject().put("uri", "redis://" + redisIp + ":" + port)));
      Eventually.await("connected to Redis across the namespace", 15, () -> "connected".equals(Http.redisState(server.port)));
      try (Clients clients = new Clients(server)) {
        WsClient alice = clients.connect("/alice");

        ip("link", "set", hostSide, "down"); // the cable is pulled: nothing is sent, nothing answers
        long cutAt = System.nanoTime();
        Eventually.await("the cut is noticed within 5 s", 5, () -> "reconnecting".equals(Http.redisState(server.port)));
        long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
        assertEquals(503, Http.get(server.port, "/health/ready").statusCode(), "not ready while cut off");
        alice.send("local still works");
        alice.expect("alice: local still works");

        ip("link", "set", hostSide, "up");
        long backAt = System.nanoTime();
        Eventually.await("recovered within 2 s of the link", 2, () -> "connected".equals(Http.redisState(server.port)));
        long recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - backAt);
        Eventually.await("ready again", 5, () -> Http.get(server.port, "/health/ready").statusCode() == 200);
        System.out.printf("silent link cut noticed after %d ms; recovered %d ms after the link came back%n", noticedMillis, recoveredMillis);
        assertTrue(noticedMillis <= 5000 && recoveredMillis <= 2000);
      }
    } finally {
      if (redis != null) {
        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // by PID
      }
      new ProcessBuilder("ip", "link", "del", hostSide).start().waitFor();
      new ProcessBuilder("ip", "netns", "del", ns).start().waitFor();
    }
  }
}
