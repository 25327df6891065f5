package switchboard.bench;

/** Wall time and CPU time of the server and of this tool over one measured interval. */
final class CpuWindow {

  private final long serverPid;
  private final long toolPid = ProcessHandle.current().pid();
  private final long startNanos = System.nanoTime();
  private final ProcessStats.CpuTime serverStart;
  private final ProcessStats.CpuTime toolStart;

  /**
   * Takes one reading of both processes and drops it, before a run: the first reading loads classes and runs
   * cold code, which held the tool's core for 23-29 ms (37-53 ms while ProcessStats still spawned getconf),
   * and a window's own first reading is taken just as the window opens, among its first messages.
   */
  static void prepare(long serverPid) {
    CpuWindow dryRun = new CpuWindow(serverPid);
    dryRun.serverCpu();
    dryRun.toolCpu();
  }

  CpuWindow(long serverPid) {
    this.serverPid = serverPid;
    this.serverStart = ProcessStats.cpuTime(serverPid);
    this.toolStart = ProcessStats.cpuTime(toolPid);
  }

  double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  ProcessStats.CpuTime serverCpu() {
    return ProcessStats.cpuTime(serverPid).minus(serverStart);
  }

  double toolCpu() {
    return ProcessStats.cpuTime(toolPid).minus(toolStart).totalSeconds();
  }
}
