package switchboard.transport;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import switchboard.app.App;
import switchboard.internal.VertxInternals;

/**
 * Opens a {@link Session} over a Server-Sent Events request that passed every check: the app's
 * {@code onOpen} runs first (it may subscribe; what it writes is the first event), then the streamed
 * response starts with a {@code retry:} hint and events follow as they come. {@code onMessage} never runs:
 * an event stream only listens. The client leaving ends the session; a graceful shutdown runs
 * {@code onShutdown} (its goodbye goes out as an event) and ends the stream.
 */
public final class SseTransport {

  /** How long EventSource waits before reconnecting after the stream ends, in milliseconds. */
  static final int RETRY_MILLIS = 3000;

  private SseTransport() {
  }

  /** Call on the instance's event loop, once the connection's place is reserved; {@code allowOrigin} may be null. */
  public static void open(HttpServerRequest request, String path, String pathInfo, App app, SessionServices services,
      String allowOrigin, boolean allowCredentials) {
    Session session = new Session(services, app, SseFormat.FORMAT, path, pathInfo, request.query(), request.headers(),
        request.remoteAddress(), true);
    session.open();
    HttpServerResponse response = request.response().setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no"); // nginx and friends: stream, do not buffer
    if (allowOrigin != null) {
      response.putHeader("Access-Control-Allow-Origin", allowOrigin).putHeader("Vary", "Origin");
      if (allowCredentials) {
        response.putHeader("Access-Control-Allow-Credentials", "true");
      }
    }
    response.closeHandler(v -> session.closed());
    request.connection().shutdownHandler(v -> session.shutdown());
    response.write("retry: " + RETRY_MILLIS + "\n\n").onComplete(ar -> {
      if (ar.failed()) {
        session.notAttached(ar.cause());
        return;
      }
      SseOutbound out = new SseOutbound(VertxInternals.channelContext(request.connection()), response,
          request.connection(), services.flushes, services.limits.writeQueueBytes());
      session.attach(out);
    });
  }
}
