package switchboard.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.Map;

/** A run's figures: printed as a table for people and as one JSON line for scripts. */
final class Report {

  private final JsonObject fields = new JsonObject();

  Report put(String name, Object value) {
    fields.put(name, value instanceof Double d ? Math.round(d * 1000) / 1000.0 : value);
    return this;
  }

  Report latency(Histogram histogram) {
    return put("latency_p50_ms", millis(histogram.getValueAtPercentile(50)))
        .put("latency_p99_ms", millis(histogram.getValueAtPercentile(99)))
        .put("latency_p999_ms", millis(histogram.getValueAtPercentile(99.9)))
        .put("latency_max_ms", millis(histogram.getMaxValue()));
  }

  /**
   * Server and tool CPU over the measured interval. The server's is also split into its own code and the
   * kernel: where the kernel's part is most of it, no server code can do much better.
   */
  Report cpu(long serverPid, ProcessStats.CpuTime server, double toolCpu, double seconds, long work, String workName) {
    double serverCpu = server.totalSeconds();
    put("tool_cpu_share", toolCpu / seconds);
    if (serverPid > 0) {
      if (work > 0 && serverCpu < 0.01 * seconds) {
        // e.g. the pid of a shell that started the server, not of the server itself
        Bench.progress("WARNING: process %d used almost no CPU while the server did %,d %s: is it the server?",
            serverPid, work, workName);
      }
      put("server_cpu_s", serverCpu).put("server_cpu_share", serverCpu / seconds)
          .put("server_user_cpu_s", server.userSeconds()).put("server_kernel_cpu_s", server.kernelSeconds());
      if (serverCpu > 0) {
        put(workName + "_per_server_cpu_s", work / serverCpu);
      }
    }
    return this;
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  JsonObject json() {
    return fields.copy();
  }

  void print() {
    System.out.println();
    for (Map.Entry<String, Object> e : fields) {
      Object v = e.getValue();
      String shown = v instanceof Double d ? String.format(Locale.ROOT, "%,.3f", d)
          : v instanceof Long || v instanceof Integer ? String.format(Locale.ROOT, "%,d", ((Number) v).longValue())
          : String.valueOf(v);
      System.out.printf(Locale.ROOT, "  %-34s %s%n", e.getKey(), shown);
    }
    System.out.println("JSON " + fields.encode());
  }
}
