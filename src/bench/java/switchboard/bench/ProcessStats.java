package switchboard.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** CPU time and memory of a process (the server, or the tool itself) read from /proc (Linux). */
final class ProcessStats {

  /** The auxiliary vector's entry for clock ticks per second (linux/auxvec.h). */
  private static final long AT_CLKTCK = 17;
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcessStats() {
  }

  /**
   * CPU seconds a process used so far, in its own code and in the kernel on its behalf (zero when /proc
   * cannot be read). The kernel's share includes the loopback receive work that runs in the sender's
   * context, so on loopback it holds most of what a delivery costs.
   */
  record CpuTime(double userSeconds, double kernelSeconds) {

    static final CpuTime NONE = new CpuTime(0, 0);

    double totalSeconds() {
      return userSeconds + kernelSeconds;
    }

    CpuTime minus(CpuTime earlier) {
      return new CpuTime(userSeconds - earlier.userSeconds, kernelSeconds - earlier.kernelSeconds);
    }
  }

  /** User and system CPU time of a process, from /proc/PID/stat (utime and stime). */
  static CpuTime cpuTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new CpuTime(Long.parseLong(fields[11]) / (double) TICKS_PER_SECOND,
          Long.parseLong(fields[12]) / (double) TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return CpuTime.NONE;
    }
  }

  /** Resident set size in KiB. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return 0;
  }

  /** Java heap in use after a full GC of another JVM, in KiB, via jcmd (0 when jcmd is missing). */
  static long heapAfterGcKib(long pid) {
    try {
      run("jcmd", String.valueOf(pid), "GC.run");
      String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
      java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
      return used.find() ? Long.parseLong(used.group(1)) : 0;
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    process.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  /**
   * The kernel's clock ticks per second, from this process's auxiliary vector (AT_CLKTCK), where getconf
   * reads it too. Not by running getconf: spawning it from the tool held the tool's core for 37-53 ms, and
   * the first CPU reading is taken as a measured window opens.
   */
  private static long ticksPerSecond() {
    try {
      ByteBuffer auxv = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.nativeOrder());
      while (auxv.remaining() >= 2 * Long.BYTES) {
        long type = auxv.getLong();
        long value = auxv.getLong();
        if (type == AT_CLKTCK) {
          return value;
        }
      }
    } catch (IOException e) {
      // not Linux: the usual value
    }
    return 100;
  }
}
