package switchboard.bench;

/** Wall time and CPU time of the server and of this tool over one measured interval. */
final class CpuWindow {

  private final long serverPid;
  private final long toolPid = ProcessHandle.current().pid();
  private final long startNanos = System.nanoTime();
  private final double serverStart;
  private final double toolStart;

  CpuWindow(long serverPid) {
    this.serverPid = serverPid;
    this.serverStart = ProcessStats.cpuSeconds(serverPid);
    this.toolStart = ProcessStats.cpuSeconds(toolPid);
  }

  double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  double serverCpu() {
    return ProcessStats.cpuSeconds(serverPid) - serverStart;
  }

  double toolCpu() {
    return ProcessStats.cpuSeconds(toolPid) - toolStart;
  }
}
