package switchboard.transport;

import io.vertx.core.Vertx;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Pings every connection of one instance each interval (Vert.x sends no pings of its own) and closes the
 * ones that stayed silent for {@code missedPongs} intervals: a peer that vanished without a FIN, or a
 * proxy that dropped the route, is found and its resources freed. Any frame from the client counts as a
 * sign of life. One timer per instance, not per connection. Event-loop confined.
 */
public final class Heartbeat {

  private final Set<Session> connections = new LinkedHashSet<>();
  private final int missedPongs;

  public Heartbeat(Vertx vertx, int intervalSeconds, int missedPongs) {
    this.missedPongs = missedPongs;
    vertx.setPeriodic(intervalSeconds * 1000L, t -> beat());
  }

  void add(Session connection) {
    connections.add(connection);
  }

  void remove(Session connection) {
    connections.remove(connection);
  }

  private void beat() {
    for (Session connection : connections.toArray(new Session[0])) {
      connection.heartbeat(missedPongs);
    }
  }
}
