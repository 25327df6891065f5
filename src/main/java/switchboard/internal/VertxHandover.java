package switchboard.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * Takes a WebSocket's channel from Vert.x once the handshake is done and puts our handler where Vert.x's
 * was, alone: it reads the frames from the socket's bytes itself. Vert.x's objects for the connection (HTTP connection, request,
 * response, WebSocket, and two message queues of 1,024 slots each) become garbage (and the promises they
 * left on the channel's close future are taken off: {@link OrphanClosePromises}): measured with
 * {@code bench idle}, that was most of the 15 KiB of heap an idle connection cost. Vert.x is then told the
 * connection ended, so its meters stop counting it; {@code switchboard_connections} counts WebSockets.
 * Vert.x still owns the server socket, keeps the channel in its group (graceful shutdown reaches our
 * handler as a {@code ShutdownEvent}) and closes what is left when the server stops.
 */
public final class VertxHandover {

  private static final System.Logger LOG = System.getLogger(VertxHandover.class.getName());
  /**
   * Handlers Vert.x leaves in an upgraded pipeline that a WebSocket does not need; "idle" is the plain-HTTP
   * idle timeout, which would cut quiet WebSockets (their heartbeat does that job); "wsdecoder" is Netty's
   * frame decoder, whose work our handler does itself. Removed after our handler is in place, so the bytes
   * of a frame the decoder had begun reach it.
   */
  private static final java.util.List<String> UNUSED = java.util.List.of("chunkedWriter", "wsencoder", "wsdecoder", "idle");

  private VertxHandover() {
  }

  /** The handlers of the last pipeline handed over, head to tail (for the test that guards the fast path). */
  private static volatile java.util.List<String> lastPipeline = java.util.List.of();

  /** What the last handover did with the promises on the close future; for tests. */
  private static volatile OrphanClosePromises.Outcome lastClosePromises = new OrphanClosePromises.Outcome(0, 0, false);

  /** Call on the channel's event loop right after the handshake; returns the context of {@code handler}. */
  public static ChannelHandlerContext take(ServerWebSocket ws, ChannelHandler handler) {
    ChannelHandlerContext ours = handOver(((WebSocketInternal) ws).channelHandlerContext(), handler, UNUSED);
    lastPipeline = ours.pipeline().names();
    return ours;
  }

  /**
   * Puts {@code handler} where Vert.x's handler was (first, so bytes a removed decoder still holds reach it),
   * removes the {@code unused} handlers, lets Vert.x close its books on the connection, and takes off the
   * promises its discarded objects left on the close future. Returns the context of {@code handler}.
   */
  private static ChannelHandlerContext handOver(ChannelHandlerContext vertxContext, ChannelHandler handler,
      java.util.List<String> unused) {
    ChannelPipeline pipeline = vertxContext.pipeline();
    ChannelHandler vertxHandler = vertxContext.handler();
    pipeline.replace(vertxHandler, "switchboard", handler);
    for (String name : unused) {
      if (pipeline.get(name) != null) {
        pipeline.remove(name);
      }
    }
    try {
      // the handler no longer sees the channel: let Vert.x close its books on this connection now
      ((ChannelInboundHandler) vertxHandler).channelInactive(vertxContext);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "Vert.x did not take the handover quietly: " + e);
    }
    // the promises those Vert.x objects left on the close future would outlive them, for nobody
    lastClosePromises = OrphanClosePromises.drop(pipeline.channel());
    return pipeline.context(handler);
  }

  /** The handlers of the last event stream's pipeline handed over, head to tail (for the test that guards it). */
  private static volatile java.util.List<String> lastEventStreamPipeline = java.util.List.of();

  /**
   * Takes an event stream's channel from Vert.x once the response's head and first chunk are written, as
   * {@link #take} does a WebSocket's: our handler goes where Vert.x's was, and Vert.x's HTTP codec goes too,
   * since we write whole chunks (size line, event, CRLF) and the client sends nothing more. Vert.x's
   * objects for the connection, its request and its response become garbage; Vert.x is told the connection
   * ended (remove the response's close handler first: the session hears of the end from our handler now).
   * Null, with the pipeline as it was, when the channel is closed already or its pipeline is not the one
   * this was written for ({@link VertxInternals#isEventStreamPipeline}): then keep Vert.x's public response
   * API. Call on the connection's event loop; returns the context of {@code handler}, our write point.
   */
  public static ChannelHandlerContext takeEventStream(io.vertx.core.http.HttpConnection connection, ChannelHandler handler) {
    ChannelHandlerContext vertxContext = VertxInternals.channelContext(connection);
    ChannelPipeline pipeline = vertxContext.pipeline();
    if (!pipeline.channel().isActive() || !VertxInternals.isEventStreamPipeline(pipeline)) {
      return null;
    }
    ChannelHandlerContext ours = handOver(vertxContext, handler, VertxInternals.EVENT_STREAM_UNUSED);
    lastEventStreamPipeline = pipeline.names();
    return ours;
  }

  /** The handler names of the last event stream handed over, head to tail, then forgets them; for tests. */
  static java.util.List<String> takeLastEventStreamPipeline() {
    java.util.List<String> last = lastEventStreamPipeline;
    lastEventStreamPipeline = java.util.List.of();
    return last;
  }

  /** The Vert.x promises taken off the last handed-over channel's close future, and those left on it; for tests. */
  static OrphanClosePromises.Outcome lastClosePromises() {
    return lastClosePromises;
  }

  /** The handler names of the last pipeline handed over, head to tail; for tests. */
  static java.util.List<String> lastPipeline() {
    return lastPipeline;
  }
}
