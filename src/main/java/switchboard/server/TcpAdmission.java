package switchboard.server;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import switchboard.config.Limits;
import switchboard.transport.ConnectionCount;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts every accepted TCP connection toward {@code limits.maxConnections} and
 * {@code limits.maxConnectionsPerIp}. A connection over a limit is not dropped blind: its first request or
 * upgrade is answered 503 (server full) or 429 (too many from its address) and then closed. A WebSocket
 * upgrade takes the place over ({@link #upgrading}): the WebSocket connection gives it back when it ends,
 * whether or not the handshake completes (after the handover Vert.x never reports the close). Keyed by remote
 * address and port, unique per open connection. Confined to one instance's event loop.
 */
final class TcpAdmission {

  private final ConnectionCount count;
  private final Limits limits;
  /** Every open plain-HTTP connection of this instance and how it was admitted. */
  private final Map<SocketAddress, ConnectionCount.Admission> open = new HashMap<>();

  TcpAdmission(ConnectionCount count, Limits limits) {
    this.count = count;
    this.limits = limits;
  }

  /** A TCP connection was accepted; call {@link #closed} when it closes (Vert.x keeps one close handler). */
  void connected(HttpConnection connection) {
    SocketAddress remote = connection.remoteAddress();
    open.put(remote, count.admit(remote.hostAddress(), limits.maxConnections(), limits.maxConnectionsPerIp()));
  }

  /** The connection closed: an admitted one gives its place back (unless a WebSocket took it over). */
  void closed(SocketAddress remote) {
    if (open.remove(remote) == ConnectionCount.Admission.ADMITTED) {
      count.release(remote.hostAddress());
    }
  }

  /** Why this connection may not be served (its first request gets the status), or null when it may. */
  ConnectionCount.Admission refusal(SocketAddress remote) {
    ConnectionCount.Admission admission = open.get(remote);
    return admission == ConnectionCount.Admission.ADMITTED ? null : admission;
  }

  /** The status and reason for a refused connection. */
  int status(ConnectionCount.Admission refusal) {
    return refusal == ConnectionCount.Admission.SERVER_FULL ? 503 : 429;
  }

  String reason(ConnectionCount.Admission refusal, SocketAddress remote) {
    return refusal == ConnectionCount.Admission.SERVER_FULL
        ? "server full: " + limits.maxConnections() + " connections"
        : "too many connections from " + remote.hostAddress();
  }

  /**
   * This connection becomes a WebSocket: from now on the WebSocket connection releases its place. Null when it
   * may; otherwise the limit that refuses it (only for a connection this class never saw accepted).
   */
  ConnectionCount.Admission upgrading(SocketAddress remote) {
    if (open.remove(remote) == ConnectionCount.Admission.ADMITTED) {
      return null;
    }
    ConnectionCount.Admission late = count.admit(remote.hostAddress(), limits.maxConnections(), limits.maxConnectionsPerIp());
    return late == ConnectionCount.Admission.ADMITTED ? null : late;
  }
}
