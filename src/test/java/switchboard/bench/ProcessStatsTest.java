package switchboard.bench;

import org.junit.jupiter.api.Test;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU time the tool reads from /proc, split into user and kernel time, checked on this JVM: the split adds
 * up to what the JVM itself reports for the process, work in our own code shows as user time, and system calls
 * show as kernel time. (The kernel accounts CPU time in clock ticks, so bounds are generous.)
 */
class ProcessStatsTest {

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void theSplitAddsUpToTheProcessCpuTimeTheJvmReports() {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double jvmBefore = os.getProcessCpuTime() / 1e9;
    ProcessStats.CpuTime before = ProcessStats.cpuTime(SELF);
    spin(300);
    ProcessStats.CpuTime spent = ProcessStats.cpuTime(SELF).minus(before);
    double jvmSpent = os.getProcessCpuTime() / 1e9 - jvmBefore;
    assertTrue(jvmSpent >= 0.25, "the JVM reports " + jvmSpent + " s for 300 ms of spinning");
    assertEquals(jvmSpent, spent.totalSeconds(), 0.05, spent.toString());
    assertTrue(spent.userSeconds() >= 0.2, "a spin in our own code is user time: " + spent);
  }

  @Test
  void systemCallsShowAsKernelTime() throws IOException {
    ProcessStats.CpuTime before = ProcessStats.cpuTime(SELF);
    long deadline = System.nanoTime() + 10_000_000_000L;
    try (FileOutputStream devNull = new FileOutputStream("/dev/null")) {
      // one write(2) per byte: the time goes to entering and leaving the kernel
      while (ProcessStats.cpuTime(SELF).minus(before).kernelSeconds() < 0.05) {
        for (int i = 0; i < 10_000; i++) {
          devNull.write(i);
        }
        assertTrue(System.nanoTime() < deadline,
            "10 s of write(2) calls never showed 50 ms of kernel time: " + ProcessStats.cpuTime(SELF).minus(before));
      }
    }
  }

  @Test
  void aProcessThatCannotBeReadHasNoCpuTime() {
    assertEquals(ProcessStats.CpuTime.NONE, ProcessStats.cpuTime(Long.MAX_VALUE));
  }

  /** Spins until this thread has had {@code millis} of CPU, however busy the machine is. */
  private static void spin(long millis) {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
    long x = 1;
    while (threads.getCurrentThreadCpuTime() < end) { // a system call: made once per million steps
      for (int i = 0; i < 1_000_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
    }
    if (x == 42) {
      System.out.println(x); // keeps the loop from being optimized away
    }
  }
}
