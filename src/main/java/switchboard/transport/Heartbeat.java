package switchboard.transport;

import io.vertx.core.Vertx;

import java.util.Arrays;

/**
 * Pings every connection of one instance each interval (Vert.x sends no pings of its own) and closes the
 * ones that stayed silent for {@code missedPongs} intervals: a peer that vanished without a FIN, or a
 * proxy that dropped the route, is found and its resources freed. Any frame from the client counts as a
 * sign of life. One timer per instance, not per connection. Event-loop confined.
 * <p>
 * The sessions sit in an array, in no order, and each knows its slot ({@link Session#heartbeatSlot}), so
 * joining and leaving are O(1) and cost a connection 8 bytes, where a linked set's entry cost about 46.
 */
public final class Heartbeat {

  private static final int FIRST_CAPACITY = 16;

  private Session[] sessions = new Session[FIRST_CAPACITY];
  private int count;
  private final int missedPongs;

  public Heartbeat(Vertx vertx, int intervalSeconds, int missedPongs) {
    this.missedPongs = missedPongs;
    vertx.setPeriodic(intervalSeconds * 1000L, t -> beat());
  }

  void add(Session session) {
    if (session.heartbeatSlot >= 0) {
      return;
    }
    if (count == sessions.length) {
      sessions = Arrays.copyOf(sessions, count * 2);
    }
    session.heartbeatSlot = count;
    sessions[count++] = session;
  }

  /** Takes the session out: the last one moves into its slot. */
  void remove(Session session) {
    int slot = session.heartbeatSlot;
    if (slot < 0 || slot >= count || sessions[slot] != session) {
      return;
    }
    Session last = sessions[--count];
    sessions[slot] = last;
    last.heartbeatSlot = slot;
    sessions[count] = null;
    session.heartbeatSlot = -1;
    if (sessions.length > FIRST_CAPACITY && count < sessions.length / 4) {
      sessions = Arrays.copyOf(sessions, sessions.length / 2); // after a crowd left
    }
  }

  /** Sessions being pinged; for tests. */
  int size() {
    return count;
  }

  private void beat() {
    // a copy: a session may leave (or another join) while the round runs
    for (Session session : Arrays.copyOf(sessions, count)) {
      session.heartbeat(missedPongs);
    }
  }
}
