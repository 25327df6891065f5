package switchboard.bench;

/** Wall time and CPU time of the server and of this tool over one measured interval. */
final class CpuWindow {

  private final long serverPid;
  private final long toolPid = ProcessHandle.current().pid();
  private final long startNanos = System.nanoTime();
  private final ProcessStats.CpuTime serverStart;
  private final ProcessStats.CpuTime toolStart;

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
