package switchboard.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Open connections and connection ids for the whole server; shared by all instances, thread-safe. */
public final class ConnectionCount {

  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();

  String nextId() {
    return "c" + ids.incrementAndGet();
  }

  void opened() {
    open.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
  }

  public int current() {
    return open.get();
  }
}
