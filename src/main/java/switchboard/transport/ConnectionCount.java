package switchboard.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open connections, in all and per remote address, for the whole server; shared by all instances,
 * thread-safe. A place is reserved at the handshake (so the limits hold under a burst of upgrades) and
 * released when the connection ends or the upgrade fails.
 */
public final class ConnectionCount {

  /** The answer to a new connection. */
  public enum Admission { ADMITTED, SERVER_FULL, ADDRESS_FULL }

  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  String nextId() {
    return "c" + ids.incrementAndGet();
  }

  /** Reserves a place for a connection from {@code address}, or says which limit is reached. */
  public Admission admit(String address, int maxTotal, int maxPerAddress) {
    if (open.incrementAndGet() > maxTotal) {
      open.decrementAndGet();
      return Admission.SERVER_FULL;
    }
    AtomicInteger fromAddress = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
    if (fromAddress.incrementAndGet() > maxPerAddress) {
      release(address);
      return Admission.ADDRESS_FULL;
    }
    return Admission.ADMITTED;
  }

  /** Gives back the place of a connection that ended (or never opened). */
  public void release(String address) {
    open.decrementAndGet();
    perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  public int current() {
    return open.get();
  }
}
