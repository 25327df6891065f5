package switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Medians of repeated side-by-side runs ({@code ./run.sh compare}): reads the JSON lines the tool printed
 * and prints, per rate, each server's median figures and the ratio to the baseline label.
 */
public final class Summary {

  private Summary() {
  }

  public static void main(String[] args) throws Exception {
    String baseline = args.length > 1 ? args[1] : "node";
    Map<String, Map<String, List<JsonObject>>> byRate = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.startsWith("JSON ")) {
        JsonObject run = new JsonObject(line.substring(5));
        byRate.computeIfAbsent(run.getString("mode") + " rate " + run.getString("rate_target", "-"), k -> new TreeMap<>())
            .computeIfAbsent(run.getString("label"), k -> new ArrayList<>()).add(run);
      }
    }
    for (var rate : byRate.entrySet()) {
      System.out.printf(Locale.ROOT, "%n%s (medians)%n  %-12s %5s %14s %16s %9s %9s %6s%n", rate.getKey(),
          "label", "runs", "deliveries/s", "per server CPU-s", "p50 ms", "p99 ms", "lost");
      Double base = median(rate.getValue().get(baseline), "deliveries_per_server_cpu_s");
      for (var label : rate.getValue().entrySet()) {
        List<JsonObject> runs = label.getValue();
        double perCpu = median(runs, "deliveries_per_server_cpu_s");
        System.out.printf(Locale.ROOT, "  %-12s %5d %,14.0f %,16.0f %9.1f %9.1f %6.0f%s%n", label.getKey(), runs.size(),
            median(runs, "deliveries_per_s"), perCpu, median(runs, "latency_p50_ms"), median(runs, "latency_p99_ms"),
            runs.stream().mapToDouble(r -> r.getLong("lost", 0L) + r.getLong("duplicated", 0L) + r.getLong("reordered", 0L)).sum(),
            base != null && base > 0 && !label.getKey().equals(baseline) ? String.format(Locale.ROOT, "   %.2fx %s", perCpu / base, baseline) : "");
      }
    }
  }

  private static Double median(List<JsonObject> runs, String field) {
    if (runs == null || runs.isEmpty()) {
      return null;
    }
    double[] values = runs.stream().mapToDouble(r -> r.getDouble(field, 0.0)).sorted().toArray();
    return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
  }
}
