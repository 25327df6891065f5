package switchboard.support;

import switchboard.Launcher;
import switchboard.MainVerticle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM running the real {@link Launcher} with the server's classpath (the test classpath without
 * the load generator's HdrHistogram, which the server jar does not ship); its output lines are collected.
 */
public final class ChildServer {
  public final Process process;
  private final ProcessLines output;

  public ChildServer(String conf, Map<String, String> env) throws IOException {
    this(List.of("--conf", conf), env);
  }

  /** The launcher with these command-line arguments after the main verticle's name. */
  public ChildServer(List<String> args, Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", serverClasspath(),
        Launcher.class.getName(), MainVerticle.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove(switchboard.config.Config.ENV_PORT);
    builder.environment().remove(switchboard.config.Config.ENV_INSTANCES);
    builder.environment().putAll(env);
    process = builder.start();
    output = new ProcessLines(process);
  }

  /** A port nothing listens on now, for a child's config. */
  public static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String serverClasspath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(entry -> !entry.contains("HdrHistogram"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  public String awaitLine(String containing) throws InterruptedException {
    return output.await(containing, null);
  }

  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("the process did not exit; output: " + output());
    }
    return process.exitValue();
  }

  public String output() {
    return output.all();
  }
}
