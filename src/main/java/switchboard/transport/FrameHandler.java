package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.vertx.core.net.impl.ShutdownEvent;

import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The RFC 6455 duties of a server socket after the handshake, behind Netty's frame decoder: answers pings
 * (only the latest of each read, as RFC 6455 §5.5.3 allows, so a ping flood cannot multiply our writes),
 * runs the closing handshake (a client's close is echoed and TCP ended; after our close, TCP ends when the
 * client answers or after the closing timeout), answers decoder errors with the close code they name
 * (1002, 1007, 1009), and hands data frames, the end of the connection and the server's shutdown to its
 * {@link WebSocketConnection}. Every frame it sends is pre-built ({@link WebSocketFrames}) and counts against
 * the connection's write budget. While the channel is over that budget (not writable) it reads nothing from
 * the client, so a client that does not read cannot make the server queue more. Event-loop confined.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {

  private static final System.Logger LOG = System.getLogger(FrameHandler.class.getName());

  private final WebSocketConnection connection;
  private final long closingTimeoutMillis;
  private ChannelHandlerContext ctx;
  private boolean closeSent;
  /** Set once the client is closed for abuse: nothing more is read, whatever its writability. */
  private boolean readingStopped;
  /** The payload of the latest ping of the current read, answered when the read completes. */
  private ByteBuf pingToAnswer;

  FrameHandler(WebSocketConnection connection, long closingTimeoutMillis) {
    this.connection = connection;
    this.closingTimeoutMillis = closingTimeoutMillis;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      connection.heardFrom();
      if (frame instanceof PingWebSocketFrame) {
        if (!closeSent && connection.pingAllowed()) {
          if (pingToAnswer != null) {
            pingToAnswer.release();
          }
          pingToAnswer = frame.content().retain();
        }
      } else if (frame instanceof CloseWebSocketFrame) {
        closeReceived(frame.content());
      } else if (!(frame instanceof PongWebSocketFrame) && !closeSent) {
        connection.received(frame);
      }
    } finally {
      frame.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ByteBuf ping = pingToAnswer;
    if (ping != null) {
      pingToAnswer = null;
      try {
        if (!closeSent) {
          ctx.writeAndFlush(WebSocketFrames.control(ctx.alloc(), WebSocketFrames.OPCODE_PONG, ping), ctx.voidPromise());
          connection.controlFrameWritten();
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

  /** The client's close: the answer to ours ends TCP now; otherwise echo its code and reason, then end TCP. */
  private void closeReceived(ByteBuf payload) {
    if (closeSent) {
      ctx.close();
      return;
    }
    closeSent = true;
    connection.closing();
    ctx.writeAndFlush(WebSocketFrames.control(ctx.alloc(), WebSocketFrames.OPCODE_CLOSE, payload))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** Sends our close frame; TCP ends when the client answers, or after the closing timeout. */
  void close(short code, String reason) {
    if (closeSent) {
      return;
    }
    closeSent = true;
    ctx.writeAndFlush(WebSocketFrames.close(ctx.alloc(), code, reason), ctx.voidPromise());
    ctx.executor().schedule(() -> {
      if (ctx.channel().isOpen()) {
        ctx.close();
      }
    }, closingTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Reads nothing more from this client (closed for abuse: a flood, a slow consumer). Its close answer is not
   * read either, so TCP ends at the closing timeout.
   */
  void stopReading() {
    readingStopped = true;
    ctx.channel().config().setAutoRead(false);
  }

  /** A ping the client must answer (any frame from it counts as the answer). */
  void ping(byte[] payload) {
    if (!closeSent) {
      ctx.writeAndFlush(WebSocketFrames.ping(ctx.alloc(), payload), ctx.voidPromise());
      connection.controlFrameWritten();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      // the decoder discards the rest of the input: say why in a close frame, then end TCP
      short code = (short) corrupted.closeStatus().code();
      connection.protocolError(code, corrupted.getMessage());
      if (!closeSent) {
        closeSent = true;
        ctx.writeAndFlush(WebSocketFrames.close(ctx.alloc(), code, corrupted.closeStatus().reasonText()))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
    } else {
      LOG.log(DEBUG, () -> connection.id() + " socket error: " + cause);
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pingToAnswer != null) {
      pingToAnswer.release();
      pingToAnswer = null;
    }
    connection.closed();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ShutdownEvent) {
      connection.shutdown();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }
}
