package switchboard.internal;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.ChildServer;
import switchboard.support.WsClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NettyDefaults} in the real launcher: after a chat connection, the JDK's JFR metadata was never set up
 * (no {@code jdk.jfr.internal.Type} on the heap), unless the operator turned Netty's allocator events on. Fails
 * when a Netty upgrade renames the property or Vert.x initializes Netty before the launcher's main runs.
 */
@ExtendWith(VertxExtension.class)
class NettyDefaultsIT {

  private static final String JFR_TYPE = "jdk.jfr.internal.Type";

  @Test
  void theLauncherKeepsNettysAllocatorEventsOffSoAConnectionDoesNotSetUpJfr(Vertx vertx) throws Exception {
    assertEquals(0, jfrTypesAfterAChat(vertx, Map.of()),
        "the first connection set up JFR's metadata (~5 MB of RSS): Netty no longer reads "
            + NettyDefaults.JFR_EVENTS + " or read it before Launcher.main set it");
  }

  @Test
  void anOperatorWhoTurnsThemOnGetsThem(Vertx vertx) throws Exception {
    // also shows the check above can fail: with the events on, the same connection sets JFR up
    assertTrue(jfrTypesAfterAChat(vertx, Map.of("JAVA_TOOL_OPTIONS", "-D" + NettyDefaults.JFR_EVENTS + "=true")) > 0,
        "with -D" + NettyDefaults.JFR_EVENTS + "=true, Netty's allocator should have set up JFR's event metadata");
  }

  /** Starts the launcher, has one chat client say a line and hear it, and counts JFR's event types on the heap. */
  private static long jfrTypesAfterAChat(Vertx vertx, Map<String, String> env) throws Exception {
    int port = ChildServer.freePort();
    ChildServer child = new ChildServer("{\"port\": " + port + ", \"host\": \"127.0.0.1\", \"instances\": 1}", env);
    try {
      child.awaitLine("Switchboard listening");
      WsClient client = WsClient.connect(vertx, port, "/ann");
      client.send("hello");
      client.expect("ann: hello");
      String histogram = jcmd(child.process.pid(), "GC.class_histogram");
      assertTrue(histogram.contains("java.lang.String "), "not a class histogram: " + histogram);
      // "  77:  96  4608  jdk.jfr.internal.Type (jdk.jfr@17.0.15)": the class name is the fourth column
      return histogram.lines().map(line -> line.trim().split("\\s+"))
          .filter(columns -> columns.length >= 4 && columns[3].equals(JFR_TYPE)).count();
    } finally {
      child.process.destroy();
      child.awaitExit();
    }
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    assertTrue(jcmd.toFile().canExecute(), "needs the JDK's jcmd at " + jcmd + " (install a full JDK, not a JRE)");
    Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "jcmd did not finish");
    return out;
  }
}
