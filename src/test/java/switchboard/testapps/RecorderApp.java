package switchboard.testapps;

import switchboard.app.App;
import switchboard.app.Connection;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every callback with the thread it ran on, per connection (keyed by the client's {@code ?tag=}).
 * Writes "open" when opened; the message "close" makes the server close with 4000.
 */
public class RecorderApp implements App {

  public static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();
  public static final Map<String, List<String>> THREADS = new ConcurrentHashMap<>();
  private static final Map<String, CompletableFuture<List<String>>> CLOSED = new ConcurrentHashMap<>();

  /** Completes with the connection's events once onClose ran. */
  public static CompletableFuture<List<String>> closed(String tag) {
    return CLOSED.computeIfAbsent(tag, t -> new CompletableFuture<>());
  }

  private static void record(Connection c, String event) {
    String tag = c.query();
    EVENTS.computeIfAbsent(tag, t -> new CopyOnWriteArrayList<>()).add(event);
    THREADS.computeIfAbsent(tag, t -> new CopyOnWriteArrayList<>()).add(Thread.currentThread().getName());
  }

  @Override
  public void onOpen(Connection c) {
    record(c, "open");
    c.write("open");
  }

  @Override
  public void onMessage(Connection c, String text) {
    record(c, "message:" + text);
    if (text.equals("close")) {
      c.close((short) 4000, "asked to close");
    }
  }

  @Override
  public void onShutdown(Connection c) {
    record(c, "shutdown");
  }

  @Override
  public void onClose(Connection c) {
    record(c, "close");
    closed(c.query()).complete(List.copyOf(EVENTS.get(c.query())));
  }
}
