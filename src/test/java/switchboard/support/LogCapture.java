package switchboard.support;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.fail;

/** The log lines of one logger (java.util.logging, which System.Logger writes to), while the test runs. */
public final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
  }

  public static LogCapture of(String name) {
    LogCapture capture = new LogCapture(Logger.getLogger(name));
    capture.logger.addHandler(capture);
    return capture;
  }

  /** The first line (from now on) that contains {@code text}, waiting up to 15 s. */
  public String await(String text) throws InterruptedException {
    return await(text, 15);
  }

  public String await(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.contains(text)) {
        return line;
      }
    }
    return fail("no log line containing '" + text + "' from " + logger.getName());
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(record.getLevel() + " " + record.getMessage());
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
