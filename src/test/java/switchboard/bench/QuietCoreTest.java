package switchboard.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wait for a quiet core before a measured run, against a real busy process pinned to a core with
 * {@code taskset} (util-linux), as {@code ./run.sh compare} pins its servers.
 */
class QuietCoreTest {

  /** The last core: on a 2-core CI machine the JVM's own threads are spread over both anyway. */
  private static final int CORE = Runtime.getRuntime().availableProcessors() - 1;

  @Test
  void aCoresLineSplitsIntoBusyAndTotalTicksWithoutStealTime() {
    // user nice system idle iowait irq softirq steal guest guest_nice
    QuietCore.Ticks t = QuietCore.parse("cpu1 100 5 40 800 10 2 3 1000 0 0");
    assertEquals(150, t.busy());
    assertEquals(960, t.total());
    assertEquals(0.5, new QuietCore.Ticks(200, 1060).busyShareSince(t), 1e-9);
    assertEquals(0, t.busyShareSince(t));
  }

  @Test
  void aCoreThisMachineLacksIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> QuietCore.ticks(4096));
    QuietCore.Ticks now = QuietCore.ticks(CORE);
    assertTrue(now.total() > 0 && now.busy() <= now.total(), now.toString());
  }

  @Test
  void itWaitsWhileAnotherProcessKeepsTheCoreBusyAndReturnsOnceItStops() throws Exception {
    Process spinner = spin(CORE, 3);
    try {
      double waited = QuietCore.await(CORE, 0.3, Duration.ofMillis(250), Duration.ofSeconds(30));
      assertTrue(waited >= 2.0, "the core was busy for about 3 s, but the wait lasted " + waited + " s");
      assertTrue(waited < 29, "the spinner ended after 3 s, but the core never read as quiet: " + waited);
      assertTrue(spinner.waitFor(1, TimeUnit.SECONDS), "the wait returned while the spinner still ran");
    } finally {
      spinner.destroyForcibly();
    }
  }

  @Test
  void aCoreThatStaysBusyPastTheTimeoutGivesMinusOne() throws Exception {
    Process spinner = spin(CORE, 4);
    try {
      assertEquals(-1, QuietCore.await(CORE, 0.3, Duration.ofMillis(250), Duration.ofSeconds(1)));
    } finally {
      spinner.destroyForcibly();
    }
  }

  /**
   * A shell busy-looping on {@code core}, killed after {@code seconds} (and by the test's finally); fails with
   * what to install when taskset is missing. taskset runs the shell in its own place, so killing the process
   * stops the loop.
   */
  private static Process spin(int core, int seconds) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("taskset", "-c", String.valueOf(core), "sh", "-c", "while :; do :; done")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("this test needs taskset (util-linux): " + e.getMessage(), e);
    }
    // running once it has used CPU time of its own (fields 14 and 15 of /proc/PID/stat, after the name)
    java.nio.file.Path stat = java.nio.file.Path.of("/proc/" + p.pid() + "/stat");
    switchboard.support.Eventually.await("the spinner runs", 10, () -> {
      if (!p.isAlive()) {
        throw new AssertionError("the spinner exited at once (" + p.exitValue() + "): install taskset (util-linux)");
      }
      String[] fields = java.nio.file.Files.readString(stat).replaceFirst(".*\\) ", "").split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) > 0;
    });
    CompletableFuture.delayedExecutor(seconds * 1000L, TimeUnit.MILLISECONDS).execute(p::destroyForcibly);
    return p;
  }
}
