package switchboard.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tables of {@code ./run.sh compare}: fan-out medians with the CPU per delivery split into user and kernel
 * time, and the idle table (each server's spread and median, and the ratio to the baseline), the ratios round
 * by round, and the runs that waited for a quiet core.
 */
class SummaryTest {

  @Test
  void idleRunsShowMinMedianMaxAndTheRatioToTheBaseline(@TempDir Path dir) throws Exception {
    String table = summaryOf(dir, "uws", List.of(
        idle("switchboard", 4.5, 10_000), idle("switchboard", 3.5, 10_000), idle("switchboard", 4.0, 9_990),
        idle("uws", 0.5, 10_000), idle("uws", 0.4, 10_000), idle("uws", 0.6, 10_000),
        "compare: a progress line, not a run"));
    assertTrue(table.contains("switchboard      3     3.50     4.00     4.50        9990   8.00x uws"), table);
    assertTrue(table.contains("uws              3     0.40     0.50     0.60       10000\n"), table);
  }

  @Test
  void fanOutRunsShowTheMedianUserAndKernelTimePerDeliveryAndTheRatios(@TempDir Path dir) throws Exception {
    String table = summaryOf(dir, "uws", List.of(
        fanout("switchboard", 200_000, 0.10, 0.90, 1_000_000), fanout("switchboard", 220_000, 0.20, 0.80, 1_000_000),
        fanout("switchboard", 180_000, 0.30, 0.70, 1_000_000),
        fanout("uws", 100_000, 0.05, 0.95, 1_000_000), fanout("uws", 110_000, 0.04, 0.96, 1_000_000),
        fanout("uws", 90_000, 0.06, 0.94, 2_000_000).replace("\"lost\"", "\"settle_s\":21.6,\"lost\""),
        // an older tool's run: no split, shown as "-", its other figures still count
        "JSON {\"mode\":\"fanout\",\"label\":\"node\",\"rate_target\":\"100.0\",\"deliveries\":1000,"
            + "\"deliveries_per_s\":1000,\"deliveries_per_server_cpu_s\":50000,\"latency_p50_ms\":1,\"latency_p99_ms\":2}"));
    // per CPU-second median 200,000 and 100,000; user ns per delivery 100, 200, 300 -> 200; kernel 900, 800, 700
    // -> 800; uws's third run did 2,000,000 deliveries: 30 and 470 ns, so its medians are 40 (of 30, 40, 50)
    // and 950 (of 470, 950, 960)
    // both cores' shares (the node line predates them: 0), and the kinds of tool socket (it predates that too)
    assertTrue(table.contains("fanout rate 100.0 (medians; the tool's sockets on epoll and io_uring)\n"), table);
    assertTrue(table.contains("  switchboard      3        100,000          200,000    0.50   0.63        200        800"
        + "       2.0       9.0      0   2.00x uws"), table);
    assertTrue(table.contains("  uws              3        100,000          100,000    0.50   0.63         40        950"
        + "       2.0       9.0      0\n"), table);
    assertTrue(table.contains("  node             1          1,000           50,000    0.00   0.00          -          -"
        + "       1.0       2.0      0   0.50x uws"), table);
    // the run that waited for core 0 is named; runs that waited under a second (or had no wait) are not
    assertTrue(table.endsWith("\nwaited for a quiet core before 1 runs:\n  uws at fanout rate 100.0: 21.6 s\n"), table);
  }

  @Test
  void eachServerIsAlsoComparedRoundByRound(@TempDir Path dir) throws Exception {
    // the file holds the rounds in order; the third round was slow for uws alone
    String table = summaryOf(dir, "uws", List.of(
        fanout("switchboard", 120_000, 0.1, 0.9, 1_000_000), fanout("uws", 100_000, 0.1, 0.9, 1_000_000),
        fanout("switchboard", 300_000, 0.1, 0.9, 1_000_000), fanout("uws", 200_000, 0.1, 0.9, 1_000_000),
        fanout("switchboard", 100_000, 0.1, 0.9, 1_000_000), fanout("uws", 200_000, 0.1, 0.9, 1_000_000),
        fanout("node", 50_000, 0.1, 0.9, 1_000_000)));
    // medians 120,000 against 200,000 give 0.60x; the rounds give 1.20x, 1.50x and 0.50x, median 1.20x
    assertTrue(table.contains("0.60x uws"), table);
    assertTrue(table.contains("  switchboard / uws, round by round: 1.20x 1.50x 0.50x (median 1.20x)\n"), table);
    assertFalse(table.contains("node / uws"), "one run is not a round-by-round comparison: " + table);
    assertFalse(table.contains("uws / uws"), table);
  }

  @Test
  void aCoreThatNeverWentQuietIsNamed(@TempDir Path dir) throws Exception {
    String table = summaryOf(dir, "uws", List.of(fanout("floor", 300_000, 0.1, 0.9, 1_000_000).replace("\"lost\"", "\"settle_s\":-1,\"lost\""),
        fanout("uws", 300_000, 0.1, 0.9, 1_000_000).replace("\"lost\"", "\"settle_s\":0.4,\"lost\"")));
    assertTrue(table.endsWith("before 1 runs:\n  floor at fanout rate 100.0: never quiet in 60 s, measured anyway\n"), table);
  }

  private static String fanout(String label, double perCpu, double userS, double kernelS, long deliveries) {
    return "JSON {\"mode\":\"fanout\",\"label\":\"" + label + "\",\"rate_target\":\"100.0\",\"deliveries\":"
        + deliveries + ",\"deliveries_per_s\":100000,\"deliveries_per_server_cpu_s\":" + perCpu
        + ",\"server_user_cpu_s\":" + userS + ",\"server_kernel_cpu_s\":" + kernelS
        + ",\"server_cpu_share\":0.5,\"tool_cpu_share\":0.625,\"tool_io\":\"io_uring\""
        + ",\"latency_p50_ms\":2,\"latency_p99_ms\":9,\"lost\":0}";
  }

  /** Compare's summary of these JSON lines (and any other lines the tool printed), against {@code baseline}. */
  private static String summaryOf(Path dir, String baseline, List<String> lines) throws Exception {
    Path file = dir.resolve("runs.jsonl");
    Files.write(file, lines);
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Summary.main(new String[] {file.toString(), baseline});
    } finally {
      System.setOut(out);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  private static String idle(String label, double kib, int stillOpen) {
    return "JSON {\"mode\":\"idle\",\"label\":\"" + label + "\",\"connections\":10000,\"still_open\":" + stillOpen
        + ",\"rss_per_connection_no_forced_gc_kib\":" + kib + "}";
  }
}
