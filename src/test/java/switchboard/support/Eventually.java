package switchboard.support;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition that other processes make true (Redis coming back, a link reconnecting). */
public final class Eventually {

  private Eventually() {
  }

  /** Polls every 20 ms until the condition holds; fails the test with {@code what} after the deadline. */
  public static void await(String what, long seconds, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    fail("not within " + seconds + " s: " + what);
  }
}
