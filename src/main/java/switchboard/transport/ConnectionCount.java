package switchboard.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open TCP connections, in all and per remote address, for the whole server, plain HTTP and WebSocket
 * alike: a keep-alive or slowloris client holds a socket as surely as a WebSocket does. Also counts the
 * WebSocket sessions among them. Shared by all instances, thread-safe. A place is reserved when the TCP
 * connection is accepted (so the limits hold under a burst) and released when it ends.
 */
public final class ConnectionCount {

  /** The answer to a new connection. */
  public enum Admission { ADMITTED, SERVER_FULL, ADDRESS_FULL }

  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger sseSessions = new AtomicInteger();
  /** Per address; an entry exists only while its count is above zero, changed only inside compute(). */
  private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** The next connection's number: its id is "c" and the number ({@link Session#id}). */
  long nextNumber() {
    return ids.incrementAndGet();
  }

  /** Reserves a place for a connection from {@code address}, or says which limit is reached. */
  public Admission admit(String address, int maxTotal, int maxPerAddress) {
    if (open.incrementAndGet() > maxTotal) {
      open.decrementAndGet();
      return Admission.SERVER_FULL;
    }
    boolean[] admitted = {false};
    // the check and the increment in one atomic step per key: a release in between cannot lose a count
    perAddress.compute(address, (a, n) -> {
      int current = n == null ? 0 : n;
      if (current >= maxPerAddress) {
        return n;
      }
      admitted[0] = true;
      return current + 1;
    });
    if (!admitted[0]) {
      open.decrementAndGet();
      return Admission.ADDRESS_FULL;
    }
    return Admission.ADMITTED;
  }

  /** Gives back the place of a connection that ended. */
  public void release(String address) {
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    open.decrementAndGet();
  }

  /** Open connections from one address. */
  public int fromAddress(String address) {
    return perAddress.getOrDefault(address, 0);
  }

  /** Open TCP connections: plain HTTP and WebSocket. */
  public int current() {
    return open.get();
  }

  /** Open WebSocket sessions (a subset of {@link #current()}). */
  public int sessions() {
    return sessions.get();
  }

  /** Open Server-Sent Events sessions (a subset of {@link #current()}). */
  public int sseSessions() {
    return sseSessions.get();
  }

  void sessionOpened(boolean sse) {
    (sse ? sseSessions : sessions).incrementAndGet();
  }

  void sessionClosed(boolean sse) {
    (sse ? sseSessions : sessions).decrementAndGet();
  }
}
