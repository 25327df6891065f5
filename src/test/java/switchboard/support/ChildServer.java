package switchboard.support;

import switchboard.Launcher;
import switchboard.MainVerticle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM running the real {@link Launcher} with the server's classpath (the test classpath without
 * the load generator's HdrHistogram, which the server jar does not ship); its output lines are collected.
 */
public final class ChildServer {
  public final Process process;
  final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final List<String> all = new ArrayList<>();

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
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (all) {
            all.add(line);
          }
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  private static String serverClasspath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(entry -> !entry.contains("HdrHistogram"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  public String awaitLine(String containing) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.contains(containing)) {
        return line;
      }
    }
    process.destroyForcibly();
    return fail("no line containing '" + containing + "'; output: " + output());
  }

  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("the process did not exit; output: " + output());
    }
    return process.exitValue();
  }

  public String output() {
    synchronized (all) {
      return String.join("\n", all);
    }
  }
}
