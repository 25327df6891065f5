package switchboard.server;

import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocketHandshake;
import switchboard.app.AppMounts;
import switchboard.transport.ConnectionCount;
import switchboard.app.LogText;
import switchboard.transport.PathDecoder;
import switchboard.transport.SessionServices;
import switchboard.transport.WebSocketTransport;

import static java.lang.System.Logger.Level.INFO;

/**
 * Decides each WebSocket upgrade before the 101: 503 while draining, 400 for a path that does not decode
 * as UTF-8, 404 when no app is mounted there, 403 for a browser Origin that is not allowed, 503 when the
 * server is full and 429 when the client's address has too many connections (counted per TCP connection by
 * {@link TcpAdmission}); otherwise accepts and hands the socket to the app.
 */
final class Upgrades implements Handler<ServerWebSocketHandshake> {

  private static final System.Logger LOG = System.getLogger(Upgrades.class.getName());

  private final AppMounts apps;
  private final SessionServices services;
  private final Node node;
  private final OriginPolicy origins;
  private final TcpAdmission admission;

  Upgrades(AppMounts apps, SessionServices services, Node node, TcpAdmission admission) {
    this.apps = apps;
    this.services = services;
    this.node = node;
    this.admission = admission;
    this.origins = new OriginPolicy(node.config().limits().allowedOrigins());
  }

  @Override
  public void handle(ServerWebSocketHandshake handshake) {
    if (node.draining()) {
      reject(handshake, 503, "server is shutting down");
      return;
    }
    String path;
    try {
      path = PathDecoder.decode(handshake.path());
    } catch (IllegalArgumentException e) {
      reject(handshake, 400, e.getMessage());
      return;
    }
    AppMounts.Mount mount = apps.find(path);
    if (mount == null) {
      reject(handshake, 404, "no app mounted at this path");
      return;
    }
    String origin = handshake.headers().get("Origin");
    if (origin != null && !origins.allows(origin, handshake.headers().get("Host"))) {
      reject(handshake, 403, "Origin " + LogText.safe(origin) + " is not allowed");
      return;
    }
    ConnectionCount.Admission refusal = admission.refusal(handshake.remoteAddress());
    if (refusal == null) {
      // the TCP connection's place passes to the WebSocket connection, which releases it when it ends
      refusal = admission.upgrading(handshake.remoteAddress());
    }
    if (refusal != null) {
      reject(handshake, admission.status(refusal), admission.reason(refusal, handshake.remoteAddress()));
      return;
    }
    // the app opens first so its subscriptions exist before the client can see the 101
    WebSocketTransport.open(handshake, path, mount.pathInfo(path), mount.app(), services);
  }

  private static void reject(ServerWebSocketHandshake handshake, int status, String why) {
    LOG.log(INFO, () -> "upgrade refused with " + status + " (" + why + "): " + LogText.safe(handshake.path())
        + " from " + handshake.remoteAddress());
    handshake.reject(status);
  }
}
