package switchboard.server;

import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocketHandshake;
import switchboard.app.AppMounts;
import switchboard.transport.LogText;
import switchboard.transport.PathDecoder;
import switchboard.transport.WebSocketConnection;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;

/**
 * Decides each WebSocket upgrade before the 101: 503 while draining, 400 for a path that does not decode
 * as UTF-8, 404 when no app is mounted there; otherwise accepts and hands the socket to the app.
 */
final class Upgrades implements Handler<ServerWebSocketHandshake> {

  private static final System.Logger LOG = System.getLogger(Upgrades.class.getName());

  private final AppMounts apps;
  private final WebSocketConnection.Services services;
  private final Node node;

  Upgrades(AppMounts apps, WebSocketConnection.Services services, Node node) {
    this.apps = apps;
    this.services = services;
    this.node = node;
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
    handshake.accept()
        .onSuccess(ws -> new WebSocketConnection(ws, path, mount.pathInfo(path), mount.app(), services).start())
        .onFailure(e -> LOG.log(DEBUG, () -> "handshake failed: " + e));
  }

  private static void reject(ServerWebSocketHandshake handshake, int status, String why) {
    LOG.log(INFO, () -> "upgrade refused with " + status + " (" + why + "): " + LogText.safe(handshake.path())
        + " from " + handshake.remoteAddress());
    handshake.reject(status);
  }
}
