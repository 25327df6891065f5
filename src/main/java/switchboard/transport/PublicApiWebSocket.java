package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;

import java.nio.charset.StandardCharsets;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * A WebSocket client on Vert.x's public {@link ServerWebSocket} API ({@code transport.fastPath: false}):
 * both the {@link Outbound} and the inbound side of {@link FrameHandler}, with nothing of Vert.x's or Netty's
 * internals. It is the way to keep serving when a Vert.x upgrade breaks the fenced fast path, and the
 * reference the fast path is tested against.
 *
 * <p>What it costs: the public API takes messages, not frames, so each delivery is unpacked from the shared
 * frame and framed again per subscriber (a copy, and for text a UTF-8 decode) and leaves through Vert.x's
 * write path; inbound frames are copied once. What differs on the wire: Vert.x answers every ping (the
 * fast path answers the latest of each read); a ping flood is still closed with 1008 by the session's
 * rate. After a decoder error the close frame goes out at once and TCP ends at the closing timeout (the
 * fast path ends it at once). Everything else (close codes, UTF-8 and size checks, the closing handshake,
 * the write budget, graceful shutdown) is the same. Confined to the session's event loop.
 */
final class PublicApiWebSocket implements Outbound {

  private static final System.Logger LOG = System.getLogger(PublicApiWebSocket.class.getName());
  private static final Buffer PING = Buffer.buffer("switchboard");

  private final ServerWebSocket ws;
  private final Session session;
  private MessageAssembler assembler; // made at the first data frame: many connections only listen

  private PublicApiWebSocket(ServerWebSocket ws, Session session) {
    this.ws = ws;
    this.session = session;
  }

  /** The 101 is sent: attaches the session to the socket. Call on the socket's event loop. */
  static void attach(ServerWebSocket ws, Session session, SessionServices services) {
    if (ws.isClosed()) {
      session.notAttached(new java.nio.channels.ClosedChannelException());
      return;
    }
    // Netty's water mark: the channel reads as full past the budget, as on the fast path
    ws.setWriteQueueMaxSize(services.limits.writeQueueBytes());
    PublicApiWebSocket socket = new PublicApiWebSocket(ws, session);
    ws.frameHandler(socket::frame);
    ws.exceptionHandler(socket::failed);
    ws.closeHandler(v -> session.closed());
    ws.shutdownHandler(v -> session.shutdown());
    session.attach(socket);
  }

  private void frame(WebSocketFrame frame) {
    session.heardFrom();
    WebSocketFrameType type = frame.type();
    if (type == WebSocketFrameType.PING) {
      session.pingAllowed(); // Vert.x has answered it already; the session still closes a flood
      checkBudget();
    } else if (type == WebSocketFrameType.CLOSE) {
      session.closing(); // Vert.x echoes it and ends TCP
    } else if (type != WebSocketFrameType.PONG && session.isOpen()) {
      dataFrame(frame);
    }
  }

  private void dataFrame(WebSocketFrame frame) {
    if (assembler == null) {
      assembler = new MessageAssembler(session.limits().maxMessageBytes());
    }
    ByteBuf data = Unpooled.wrappedBuffer(frame.binaryData().getBytes());
    session.assembled(assembler, assembler.add(frame.isContinuation(), frame.isText(), frame.isFinal(), data));
  }

  private void failed(Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      short code = (short) corrupted.closeStatus().code();
      session.protocolError(code, corrupted.getMessage());
      ws.close(code, corrupted.closeStatus().reasonText());
    } else {
      LOG.log(DEBUG, () -> session.id() + " socket error: " + cause);
    }
  }

  @Override
  public Result write(ByteBuf frame) {
    try {
      return writeShared(frame);
    } finally {
      frame.release();
    }
  }

  @Override
  public Result writeShared(ByteBuf frame) {
    if (ws.isClosed()) {
      return Result.GONE;
    }
    ByteBuf payload = WebSocketFrames.payload(frame);
    if (WebSocketFrames.isText(frame)) {
      ws.writeTextMessage(payload.toString(StandardCharsets.UTF_8));
    } else {
      ws.writeBinaryMessage(Buffer.buffer(ByteBufUtil.getBytes(payload)));
    }
    return ws.writeQueueFull() ? Result.OVER_BUDGET : Result.QUEUED;
  }

  @Override
  public Result ping() {
    if (!ws.isClosed()) {
      ws.writePing(PING);
      checkBudget();
    }
    return Result.QUEUED; // checkBudget closed a reader past it
  }

  /** Pongs (written by Vert.x) and pings count against the same budget as everything else. */
  private void checkBudget() {
    if (ws.writeQueueFull()) {
      session.slowConsumer();
    }
  }

  @Override
  public void close(short code, String reason) {
    if (!ws.isClosed()) {
      ws.close(code, reason);
    }
  }

  @Override
  public void stopReading() {
    ws.pause();
  }
}
