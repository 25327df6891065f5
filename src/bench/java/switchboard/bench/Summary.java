package switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Medians of repeated side-by-side runs ({@code ./run.sh compare}): reads the JSON lines the tool printed
 * and prints, per rate, each server's median figures and its deliveries per server CPU-second as a ratio
 * to the baseline label (the peer to beat) and to the floor label (the least any server pays here), with its
 * CPU per delivery split into its own code (user) and the kernel's work for it (system); for
 * idle runs, each server's RSS per connection without a forced GC (min, median, max) and its ratio to the
 * baseline's; each server's ratio to the baseline round by round; and the runs that first waited a second
 * or more for a quiet core ({@code settle_s}).
 * Usage: {@code Summary FILE [baseline [floor]]}.
 */
public final class Summary {

  private Summary() {
  }

  public static void main(String[] args) throws Exception {
    String baseline = args.length > 1 ? args[1] : "node";
    String floor = args.length > 2 ? args[2] : null;
    Map<String, Map<String, List<JsonObject>>> byRate = new TreeMap<>();
    List<String> waits = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.startsWith("JSON ")) {
        JsonObject run = new JsonObject(line.substring(5));
        String rate = run.getString("mode") + " rate " + run.getString("rate_target", "-");
        byRate.computeIfAbsent(rate, k -> new TreeMap<>())
            .computeIfAbsent(run.getString("label"), k -> new ArrayList<>()).add(run);
        double settled = run.getDouble("settle_s", 0.0);
        if (settled >= 1 || settled < 0) {
          waits.add(String.format(Locale.ROOT, "%s at %s: %s", run.getString("label"), rate,
              settled < 0 ? "never quiet in 60 s, measured anyway" : String.format(Locale.ROOT, "%.1f s", settled)));
        }
      }
    }
    for (var rate : byRate.entrySet()) {
      if (rate.getKey().startsWith("idle ")) {
        printIdle(rate.getValue(), baseline);
        continue;
      }
      // the cores' shares tell a saturated run (server or tool near 1.00) from one where neither side is full
      System.out.printf(Locale.ROOT, "%n%s (medians; the tool's sockets on %s)%n  %-12s %5s %14s %16s %7s %6s %10s %10s %9s %9s %6s%n",
          rate.getKey(), toolIo(rate.getValue()), "label", "runs", "deliveries/s", "per server CPU-s", "server", "tool",
          "user ns", "kernel ns", "p50 ms", "p99 ms", "lost");
      Double base = median(rate.getValue().get(baseline), "deliveries_per_server_cpu_s");
      Double least = floor == null ? null : median(rate.getValue().get(floor), "deliveries_per_server_cpu_s");
      for (var label : rate.getValue().entrySet()) {
        List<JsonObject> runs = label.getValue();
        double perCpu = median(runs, "deliveries_per_server_cpu_s");
        System.out.printf(Locale.ROOT, "  %-12s %5d %,14.0f %,16.0f %7.2f %6.2f %10s %10s %9.1f %9.1f %6.0f%s%s%n", label.getKey(),
            runs.size(), median(runs, "deliveries_per_s"), perCpu,
            median(runs, "server_cpu_share"), median(runs, "tool_cpu_share"),
            nanosPerDelivery(runs, "server_user_cpu_s"), nanosPerDelivery(runs, "server_kernel_cpu_s"),
            median(runs, "latency_p50_ms"), median(runs, "latency_p99_ms"),
            runs.stream().mapToDouble(r -> r.getLong("lost", 0L) + r.getLong("duplicated", 0L) + r.getLong("reordered", 0L)).sum(),
            ratio(perCpu, base, label.getKey(), baseline), ratio(perCpu, least, label.getKey(), floor));
      }
      System.out.print(roundRatios(rate.getValue(), baseline));
    }
    if (!waits.isEmpty()) {
      // a server still busy from its run takes from the next one on the same core: --settle-core waited
      System.out.printf(Locale.ROOT, "%nwaited for a quiet core before %d runs:%n", waits.size());
      waits.forEach(wait -> System.out.println("  " + wait));
    }
  }

  /** How the tool's sockets met the kernel in these runs (epoll, io_uring; "epoll" before the field existed). */
  private static String toolIo(Map<String, List<JsonObject>> byLabel) {
    return byLabel.values().stream().flatMap(List::stream).map(run -> run.getString("tool_io", "epoll"))
        .distinct().sorted().reduce((a, b) -> a + " and " + b).orElse("epoll");
  }

  /**
   * Each server's deliveries per server CPU-second over the baseline's, round by round (the i-th run of each,
   * minutes apart at most), and the median of those: on a machine whose speed drifts, a pair says more than
   * two medians taken over rounds far apart. Empty with fewer than two rounds.
   */
  private static String roundRatios(Map<String, List<JsonObject>> byLabel, String baseline) {
    List<JsonObject> base = byLabel.get(baseline);
    StringBuilder out = new StringBuilder();
    for (var label : byLabel.entrySet()) {
      int rounds = base == null ? 0 : Math.min(base.size(), label.getValue().size());
      if (rounds < 2 || label.getKey().equals(baseline)) {
        continue;
      }
      double[] ratios = new double[rounds];
      StringBuilder each = new StringBuilder();
      for (int i = 0; i < rounds; i++) {
        ratios[i] = label.getValue().get(i).getDouble("deliveries_per_server_cpu_s", 0.0)
            / base.get(i).getDouble("deliveries_per_server_cpu_s", 0.0);
        each.append(String.format(Locale.ROOT, " %.2fx", ratios[i]));
      }
      Arrays.sort(ratios);
      out.append(String.format(Locale.ROOT, "  %s / %s, round by round:%s (median %.2fx)%n", label.getKey(), baseline,
          each, median(ratios)));
    }
    return out.toString();
  }

  /** Idle runs: each server's RSS per connection as an operator sees it (no forced GC), spread and median. */
  private static void printIdle(Map<String, List<JsonObject>> byLabel, String baseline) {
    String field = "rss_per_connection_no_forced_gc_kib";
    System.out.printf(Locale.ROOT, "%nidle, RSS per connection without a forced GC, KiB (medians)%n  %-12s %5s %8s %8s %8s %11s%n",
        "label", "runs", "min", "median", "max", "still open");
    Double base = median(byLabel.get(baseline), field);
    for (var label : byLabel.entrySet()) {
      List<JsonObject> runs = label.getValue();
      double median = median(runs, field);
      System.out.printf(Locale.ROOT, "  %-12s %5d %8.2f %8.2f %8.2f %11d%s%n", label.getKey(), runs.size(),
          runs.stream().mapToDouble(r -> r.getDouble(field, 0.0)).min().orElse(0),
          median, runs.stream().mapToDouble(r -> r.getDouble(field, 0.0)).max().orElse(0),
          runs.stream().mapToLong(r -> r.getLong("still_open", 0L)).min().orElse(0),
          base != null && base > 0 && !label.getKey().equals(baseline)
              ? String.format(Locale.ROOT, "   %.2fx %s", median / base, baseline) : "");
    }
  }

  /**
   * The server's CPU time of one kind per delivery, in nanoseconds (median over runs); "-" for runs that
   * did not record it (no server pid, or an older tool).
   */
  private static String nanosPerDelivery(List<JsonObject> runs, String cpuField) {
    double[] values = runs.stream().filter(r -> r.containsKey(cpuField) && r.getLong("deliveries", 0L) > 0)
        .mapToDouble(r -> r.getDouble(cpuField) * 1e9 / r.getLong("deliveries")).sorted().toArray();
    return values.length == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", median(values));
  }

  private static String ratio(double perCpu, Double reference, String label, String referenceLabel) {
    return reference != null && reference > 0 && !label.equals(referenceLabel)
        ? String.format(Locale.ROOT, "   %.2fx %s", perCpu / reference, referenceLabel) : "";
  }

  private static Double median(List<JsonObject> runs, String field) {
    if (runs == null || runs.isEmpty()) {
      return null;
    }
    return median(runs.stream().mapToDouble(r -> r.getDouble(field, 0.0)).sorted().toArray());
  }

  /** The median of sorted, non-empty values. */
  private static double median(double[] sorted) {
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }
}
