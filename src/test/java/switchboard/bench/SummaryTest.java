package switchboard.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idle table of {@code ./run.sh compare N idle}: each server's spread and median, and the ratio to the baseline. */
class SummaryTest {

  @Test
  void idleRunsShowMinMedianMaxAndTheRatioToTheBaseline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("idle.jsonl");
    Files.write(file, List.of(
        idle("switchboard", 4.5, 10_000), idle("switchboard", 3.5, 10_000), idle("switchboard", 4.0, 9_990),
        idle("uws", 0.5, 10_000), idle("uws", 0.4, 10_000), idle("uws", 0.6, 10_000),
        "compare: a progress line, not a run"));
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Summary.main(new String[] {file.toString(), "uws"});
    } finally {
      System.setOut(out);
    }
    String table = printed.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("switchboard      3     3.50     4.00     4.50        9990   8.00x uws"), table);
    assertTrue(table.contains("uws              3     0.40     0.50     0.60       10000\n"), table);
  }

  private static String idle(String label, double kib, int stillOpen) {
    return "JSON {\"mode\":\"idle\",\"label\":\"" + label + "\",\"connections\":10000,\"still_open\":" + stillOpen
        + ",\"rss_per_connection_no_forced_gc_kib\":" + kib + "}";
  }
}
