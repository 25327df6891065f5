package switchboard.transport;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import switchboard.app.App;
import switchboard.internal.VertxHandover;

import static java.lang.System.Logger.Level.DEBUG;

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
    hearEndsFromVertx(request, session);
    response.write("retry: " + RETRY_MILLIS + "\n\n").onComplete(ar -> {
      if (ar.failed()) {
        session.notAttached(ar.cause());
        return;
      }
      session.attach(outbound(request, response, session, services));
    });
  }

  /** The session hears of the stream's end and of a graceful shutdown from Vert.x, while Vert.x has the channel. */
  private static void hearEndsFromVertx(HttpServerRequest request, Session session) {
    request.response().closeHandler(v -> session.closed());
    request.connection().shutdownHandler(v -> session.shutdown());
  }

  /**
   * The fast path's outbound: the channel taken from Vert.x, chunks written at our handler, unless
   * {@code transport.fastPath} is off or the pipeline is not the one it was written for (then Vert.x's public
   * response API, and a log line once, since that costs throughput and memory).
   */
  private static Outbound outbound(HttpServerRequest request, HttpServerResponse response, Session session,
      SessionServices services) {
    if (services.fastPath) {
      // from here the session hears of the channel's end and of a shutdown from its own handler, not Vert.x
      response.closeHandler(null);
      request.connection().shutdownHandler(null);
      ChannelHandlerContext stream = VertxHandover.takeEventStream(request.connection(), new EventStreamHandler(session));
      if (stream != null) {
        SocketWriter writer = new SocketWriter(stream, services.flushes, services.limits.writeQueueBytes());
        LOG.log(DEBUG, () -> "event stream " + request.path() + ": the channel is ours, "
            + (writer.sendsDirectly() ? "direct sends" : "through Netty"));
        return new SseOutbound(writer, services.closingTimeoutMillis);
      }
      hearEndsFromVertx(request, session); // the channel stays Vert.x's
      if (!warned && !response.closed()) { // a client gone already has no pipeline to judge
        warned = true;
        LOG.log(System.Logger.Level.WARNING, "event streams use Vert.x's public response API: its HTTP pipeline is not"
            + " the one the fast path was written for (see switchboard.internal); correct, but slower");
      }
    }
    LOG.log(DEBUG, () -> "event stream " + request.path() + ": Vert.x's public response API");
    return new PublicApiEventStream(response, request.connection(), services.limits.writeQueueBytes());
  }

  private static final System.Logger LOG = System.getLogger(SseTransport.class.getName());
  private static volatile boolean warned;
}
