package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The RFC 6455 duties of a server socket after the handshake, on the frames its {@link ClientFrameReader}
 * reads from the socket's bytes: answers pings
 * (only the latest of each read, as RFC 6455 §5.5.3 allows, so a ping flood cannot multiply our writes),
 * runs the closing handshake (a client's close is echoed and TCP ended; after our close, TCP ends when the
 * client answers or after the closing timeout), answers the reader's errors with the close code they name
 * (1002, 1007, 1009), joins data frames into messages ({@link MessageAssembler}) for its {@link Session},
 * and hands it the end of the connection and the server's shutdown. Every frame it sends is pre-built
 * ({@link WebSocketFrames}) and counts against the client's write budget ({@link WebSocketOutbound}). While
 * the channel is over that budget (not writable) it reads nothing from the client, so a client that does not
 * read cannot make the server queue more. Event-loop confined.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter implements ClientFrameReader.Frames {

  private static final System.Logger LOG = System.getLogger(FrameHandler.class.getName());

  private final Session session;
  private final long closingTimeoutMillis;
  private WebSocketOutbound outbound;
  private ChannelHandlerContext ctx;
  private final ClientFrameReader reader = new ClientFrameReader();
  private MessageAssembler assembler; // made at the first data frame: many connections only listen
  private boolean closeSent;
  /** Set once the client is closed for abuse: nothing more is read, whatever its writability. */
  private boolean readingStopped;
  /** The payload of the latest ping of the current read, answered when the read completes. */
  private ByteBuf pingToAnswer;

  FrameHandler(Session session, long closingTimeoutMillis) {
    this.session = session;
    this.closingTimeoutMillis = closingTimeoutMillis;
  }

  /** The outbound whose budget this handler's frames count against; set before any frame is read. */
  void outbound(WebSocketOutbound outbound) {
    this.outbound = outbound;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    reader.read(ctx.alloc(), bytes, session.limits().maxFrameBytes(), this);
  }

  /** One whole frame from the client; its payload is valid until this returns. */
  @Override
  public void frame(int opcode, boolean finalFragment, ByteBuf payload) {
    session.heardFrom();
    switch (opcode) {
      case ClientFrameReader.OPCODE_PING -> {
        if (!closeSent && session.pingAllowed()) {
          if (pingToAnswer != null) {
            pingToAnswer.release();
          }
          pingToAnswer = payload.retain();
        }
      }
      case ClientFrameReader.OPCODE_CLOSE -> closeReceived(payload);
      case ClientFrameReader.OPCODE_PONG -> { }
      default -> {
        if (!closeSent) {
          dataFrame(opcode, finalFragment, payload);
        }
      }
    }
  }

  /** A text, binary or continuation frame, valid until this returns. */
  private void dataFrame(int opcode, boolean finalFragment, ByteBuf payload) {
    if (!session.isOpen()) {
      return;
    }
    if (assembler == null) {
      assembler = new MessageAssembler(session.limits().maxMessageBytes());
    }
    session.assembled(assembler, assembler.add(opcode == ClientFrameReader.OPCODE_CONTINUATION,
        opcode == ClientFrameReader.OPCODE_TEXT, finalFragment, payload));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ByteBuf ping = pingToAnswer;
    if (ping != null) {
      pingToAnswer = null;
      try {
        if (!closeSent) {
          sendNow(WebSocketFrames.control(ctx.alloc(), WebSocketFrames.OPCODE_PONG, ping), ctx.voidPromise());
          controlFrameWritten();
        }
      } finally {
        ping.release();
      }
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // over the write budget: read nothing more until the client has taken half of what waits for it
    ctx.channel().config().setAutoRead(ctx.channel().isWritable() && !readingStopped);
    ctx.fireChannelWritabilityChanged();
  }

  /** A control frame, now: after what the outbound has corked, so frames keep their order. */
  private ChannelFuture sendNow(ByteBuf frame, ChannelPromise promise) {
    if (outbound != null) {
      outbound.uncork();
    }
    return ctx.writeAndFlush(frame, promise);
  }

  private ChannelFuture sendNow(ByteBuf frame) {
    return sendNow(frame, ctx.newPromise());
  }

  /** Pongs and pings count against the same budget as everything else. */
  private void controlFrameWritten() {
    if (outbound != null && outbound.overBudget()) {
      session.slowConsumer();
    }
  }

  /** The client's close: the answer to ours ends TCP now; otherwise echo its code and reason, then end TCP. */
  private void closeReceived(ByteBuf payload) {
    if (closeSent) {
      ctx.close();
      return;
    }
    closeSent = true;
    session.closing();
    sendNow(WebSocketFrames.control(ctx.alloc(), WebSocketFrames.OPCODE_CLOSE, payload))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** Sends our close frame; TCP ends when the client answers, or after the closing timeout. */
  void close(short code, String reason) {
    if (closeSent) {
      return;
    }
    closeSent = true;
    sendNow(WebSocketFrames.close(ctx.alloc(), code, reason), ctx.voidPromise());
    ClosingTimeout.closeAfter(ctx, closingTimeoutMillis);
  }

  /** A ping the client must answer (any frame from it counts as the answer). */
  void ping(byte[] payload) {
    if (!closeSent) {
      sendNow(WebSocketFrames.ping(ctx.alloc(), payload), ctx.voidPromise());
      controlFrameWritten();
    }
  }

  /**
   * Reads nothing more from this client (closed for abuse: a flood, a slow consumer). Its close answer is not
   * read either, so TCP ends at the closing timeout.
   */
  void stopReading() {
    readingStopped = true;
    ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      // the reader discards the rest of the input: say why in a close frame, then end TCP
      short code = (short) corrupted.closeStatus().code();
      session.protocolError(code, corrupted.getMessage());
      if (!closeSent) {
        closeSent = true;
        sendNow(WebSocketFrames.close(ctx.alloc(), code, corrupted.closeStatus().reasonText()))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
    } else {
      LOG.log(DEBUG, () -> session.id() + " socket error: " + cause);
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    reader.release();
    if (pingToAnswer != null) {
      pingToAnswer.release();
      pingToAnswer = null;
    }
    session.closed();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!session.shutdownOn(event)) {
      ctx.fireUserEventTriggered(event);
    }
  }
}
