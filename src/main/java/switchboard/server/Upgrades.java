package switchboard.server;

import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocketHandshake;
import switchboard.app.AppMounts;
import switchboard.transport.ConnectionCount;
import switchboard.app.LogText;
import switchboard.transport.PathDecoder;
import switchboard.transport.SessionServices;
import switchboard.transport.SseTransport;
import switchboard.transport.WebSocketTransport;
import io.vertx.core.http.HttpServerRequest;

import static java.lang.System.Logger.Level.INFO;

/**
 * Decides each way into an app before it opens, a WebSocket upgrade (before the 101) or an event-stream
 * request (before the 200): 503 while draining, 400 for a path that does not decode as UTF-8, 404 when no
 * app is mounted there, 403 for a browser Origin that is not allowed, 503 when the server is full and 429
 * when the client's address has too many connections (counted per TCP connection by {@link TcpAdmission});
 * otherwise the connection's place passes to a new session of that transport. Confined to one event loop.
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

  /** What the checks before the 101 (or the event stream's 200) decided. */
  private record Decision(int status, String why, String path, AppMounts.Mount mount) {
    static Decision refuse(int status, String why) {
      return new Decision(status, why, null, null);
    }
  }

  /** The checks shared by both ways in: draining, path, mount, Origin, connection caps (which it reserves). */
  private Decision decide(String rawPath, io.vertx.core.MultiMap headers, io.vertx.core.net.SocketAddress remote) {
    if (node.draining()) {
      return Decision.refuse(503, "server is shutting down");
    }
    String path;
    try {
      path = PathDecoder.decode(rawPath);
    } catch (IllegalArgumentException e) {
      return Decision.refuse(400, e.getMessage());
    }
    AppMounts.Mount mount = apps.find(path);
    if (mount == null) {
      return Decision.refuse(404, "no app mounted at this path");
    }
    String origin = headers.get("Origin");
    if (origin != null && !origins.allows(origin, headers.get("Host"))) {
      return Decision.refuse(403, "Origin " + LogText.safe(origin) + " is not allowed");
    }
    ConnectionCount.Admission refusal = admission.refusal(remote);
    if (refusal == null) {
      // the TCP connection's place passes to the session, which releases it when it ends
      refusal = admission.upgrading(remote);
    }
    if (refusal != null) {
      return Decision.refuse(admission.status(refusal), admission.reason(refusal, remote));
    }
    return new Decision(200, null, path, mount);
  }

  @Override
  public void handle(ServerWebSocketHandshake handshake) {
    Decision decision = decide(handshake.path(), handshake.headers(), handshake.remoteAddress());
    if (decision.mount() == null) {
      reject(handshake, decision.status(), decision.why());
      return;
    }
    // the app opens first so its subscriptions exist before the client can see the 101
    WebSocketTransport.open(handshake, decision.path(), decision.mount().pathInfo(decision.path()), decision.mount().app(),
        services);
  }

  /**
   * A request that wants an event stream ({@code Accept: text/event-stream}) at an app mount: the same checks
   * and the same app, over Server-Sent Events. A cross-origin EventSource gets the CORS headers its Origin is
   * allowed (credentials only for an origin listed in {@code limits.allowedOrigins}, never for "*").
   */
  void handleEventStream(HttpServerRequest request) {
    Decision decision = decide(request.path(), request.headers(), request.remoteAddress());
    if (decision.mount() == null) {
      LOG.log(INFO, () -> "event stream refused with " + decision.status() + " (" + decision.why() + "): "
          + LogText.safe(request.path()) + " from " + request.remoteAddress());
      request.response().setStatusCode(decision.status()).end(decision.why() + "\n");
      return;
    }
    String origin = request.getHeader("Origin");
    SseTransport.open(request, decision.path(), decision.mount().pathInfo(decision.path()), decision.mount().app(),
        services, origin, origin != null && origins.listed(origin));
  }

  /** True for a request that asks for an event stream at an app (not the admin feed or another route). */
  static boolean wantsEventStream(HttpServerRequest request) {
    String accept = request.getHeader("Accept");
    String path = request.path();
    return request.method() == io.vertx.core.http.HttpMethod.GET && accept != null && accept.contains("text/event-stream")
        && !(path.startsWith("/admin") || path.startsWith("/api/") || path.startsWith("/health") || path.equals("/metrics"));
  }

  private static void reject(ServerWebSocketHandshake handshake, int status, String why) {
    LOG.log(INFO, () -> "upgrade refused with " + status + " (" + why + "): " + LogText.safe(handshake.path())
        + " from " + handshake.remoteAddress());
    handshake.reject(status);
  }
}
