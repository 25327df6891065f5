package switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;

import java.util.HashMap;
import java.util.Map;

import static java.lang.System.Logger.Level.INFO;

/**
 * Drops TCP connections that send no request within the handshake timeout (a slowloris holds sockets
 * open by never finishing its request). Vert.x's idle timeout cannot do this: it would also cut quiet
 * WebSockets. Keyed by remote address, which is unique per open connection. Confined to one event loop.
 */
final class FirstRequestTimeout {

  private static final System.Logger LOG = System.getLogger(FirstRequestTimeout.class.getName());

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Map<SocketAddress, Long> waiting = new HashMap<>();

  FirstRequestTimeout(Vertx vertx, int timeoutSeconds) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutSeconds * 1000L;
  }

  /** A new connection: it must send a request before the timeout. Call {@link #requested} when it closes. */
  void connected(HttpConnection connection) {
    SocketAddress remote = connection.remoteAddress();
    waiting.put(remote, vertx.setTimer(timeoutMillis, t -> {
      if (waiting.remove(remote) != null) {
        LOG.log(INFO, () -> "dropped " + remote + ": no request within " + timeoutMillis / 1000 + " s");
        connection.close();
      }
    }));
  }

  /** A request or upgrade arrived from this address, or its connection closed: it is no longer suspect. */
  void requested(SocketAddress remote) {
    Long timer = waiting.remove(remote);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
