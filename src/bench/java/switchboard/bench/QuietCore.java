package switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits until a CPU core is quiet before a measured run ({@code --settle-core N}). {@code ./run.sh compare}
 * runs its servers one after another on core 0, and a server that fell behind keeps working after its run
 * ended: Node, overloaded at 300k deliveries/s, went on at 98% of core 0 for seconds, into the next server's
 * run, which then had half a core and batched its sends as a server that lags does. Read from /proc/stat
 * (Linux); time the hypervisor stole is not this machine's work and does not count as busy.
 */
final class QuietCore {

  /** Busy and total clock ticks of one core so far. */
  record Ticks(long busy, long total) {

    /** The busy share of the core between {@code earlier} and this reading (0 when no time passed). */
    double busyShareSince(Ticks earlier) {
      long total = this.total - earlier.total;
      return total <= 0 ? 0 : (busy - earlier.busy) / (double) total;
    }
  }

  private QuietCore() {
  }

  /** The ticks of core {@code core} so far; IllegalArgumentException when this machine has no such core. */
  static Ticks ticks(int core) {
    try {
      String prefix = "cpu" + core + " ";
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith(prefix)) {
          return parse(line);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read /proc/stat: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no core " + core + " in /proc/stat");
  }

  /** One core's line: user nice system idle iowait irq softirq steal ... (steal and guest time left out). */
  static Ticks parse(String line) {
    String[] f = line.trim().split("\\s+");
    long user = Long.parseLong(f[1]);
    long nice = Long.parseLong(f[2]);
    long system = Long.parseLong(f[3]);
    long idle = Long.parseLong(f[4]);
    long iowait = Long.parseLong(f[5]);
    long irq = Long.parseLong(f[6]);
    long softirq = Long.parseLong(f[7]);
    long busy = user + nice + system + irq + softirq;
    return new Ticks(busy, busy + idle + iowait);
  }

  /**
   * Blocks until core {@code core} was at most {@code maxBusyShare} busy over one {@code window}, or until
   * {@code timeout}. Returns the seconds waited, or -1 when the core never went quiet in time.
   */
  static double await(int core, double maxBusyShare, Duration window, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      Ticks before = ticks(core);
      Thread.sleep(window.toMillis());
      if (ticks(core).busyShareSince(before) <= maxBusyShare) {
        return (System.nanoTime() - start - window.toNanos()) / 1e9;
      }
      if (System.nanoTime() > deadline) {
        return -1;
      }
    }
  }
}
