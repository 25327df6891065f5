package switchboard.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** A child process's output (stdout and stderr merged), read line by line on a thread of its own. */
public final class ProcessLines {

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  /** Starts reading {@code process}'s output; start it with {@code redirectErrorStream(true)}. */
  public ProcessLines(Process process) {
    this.process = process;
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

  /**
   * The next line containing {@code wanted}, within 30 s; fails the test (and kills the process) when none
   * comes, or at once when a line containing {@code failure} comes first (null: no such line).
   */
  public String await(String wanted, String failure) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.contains(wanted)) {
        return line;
      }
      if (line != null && failure != null && line.contains(failure)) {
        process.destroyForcibly();
        return fail("the process reported a failure; output:\n" + all());
      }
    }
    process.destroyForcibly();
    return fail("no line containing '" + wanted + "'; output:\n" + all());
  }

  /** Everything it printed so far. */
  public String all() {
    synchronized (all) {
      return String.join("\n", all);
    }
  }
}
