package switchboard.transport;

import io.vertx.core.http.ServerWebSocketHandshake;
import switchboard.app.App;

/**
 * Opens a {@link Session} over a WebSocket upgrade that passed every check before the 101: the app's
 * {@code onOpen} runs first, so its subscriptions exist before the client can see the socket open; then the
 * handshake is accepted and the socket handed to a {@link WebSocketOutbound} and its {@link FrameHandler}
 * (the fast path, {@code transport.fastPath}), or kept on Vert.x's public API ({@link PublicApiWebSocket}).
 */
public final class WebSocketTransport {

  private WebSocketTransport() {
  }

  /** Call on the instance's event loop, once the connection's place is reserved. */
  public static void open(ServerWebSocketHandshake handshake, String path, String pathInfo, App app, SessionServices services) {
    Session session = new Session(services, app, WebSocketFrames.FORMAT, path, pathInfo, handshake.query(),
        handshake.headers(), handshake.remoteAddress());
    session.open();
    handshake.accept().onComplete(ws -> {
      if (services.fastPath) {
        WebSocketOutbound.attach(ws, session, services);
      } else {
        PublicApiWebSocket.attach(ws, session, services);
      }
    }, session::notAttached);
  }
}
