package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import switchboard.internal.VertxHandover;

import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client's {@link Outbound}, on the socket Switchboard took from Vert.x after the handshake
 * ({@link VertxHandover}). Every byte for the client goes through the channel's one outbound buffer, in call
 * order, through its {@link SocketWriter}: deliveries (shared frames), app writes, and the control frames of
 * its {@link FrameHandler}. Event-loop confined.
 */
final class WebSocketOutbound implements Outbound {

  private static final byte[] PING = "switchboard".getBytes(StandardCharsets.US_ASCII);

  private final SocketWriter writer;
  private final FrameHandler frames;

  private WebSocketOutbound(SocketWriter writer, FrameHandler frames) {
    this.writer = writer;
    this.frames = frames;
  }

  /**
   * The 101 is sent: takes the channel from Vert.x and attaches the session to it. Call on the channel's
   * event loop, in the task that completed the handshake.
   */
  static void attach(ServerWebSocket ws, Session session, SessionServices services) {
    FrameHandler frames = new FrameHandler(session, services.closingTimeoutMillis);
    ChannelHandlerContext channel = VertxHandover.take(ws, frames);
    if (!channel.channel().isActive()) {
      // the client left while the 101 was being sent: our handler will never see the channel end
      session.notAttached(new java.nio.channels.ClosedChannelException());
      return;
    }
    int budget = services.limits.writeQueueBytes();
    // Netty marks the channel unwritable past the budget; FrameHandler then stops reading from it until it
    // drains to half, so a client that does not read cannot make us queue more (pongs, replies)
    channel.channel().config().setWriteBufferWaterMark(services.writeMarks);
    WebSocketOutbound out = new WebSocketOutbound(new SocketWriter(channel, services.flushes, budget), frames);
    frames.outbound(out);
    session.attach(out);
  }

  /**
   * An app's write (a reply, say) is flushed with the deliveries of this event-loop pass, not on its own: a
   * protocol's reply and the push its publish caused then leave in one {@code writev}, not two syscalls.
   */
  @Override
  public Result write(ByteBuf frame) {
    return writer.write(frame);
  }

  @Override
  public Result writeShared(ByteBuf frame) {
    return writer.writeShared(frame);
  }

  /** Before a control frame is queued: what is corked goes first ({@link SocketWriter#uncork}). */
  void uncork() {
    writer.uncork();
  }

  /** Every path that queues bytes for this client asks this after its write ({@link WriteBudget}). */
  boolean overBudget() {
    return writer.overBudget();
  }

  @Override
  public void holdDirectSends(boolean hold) {
    writer.hold(hold);
  }

  @Override
  public Result ping() {
    frames.ping(PING);
    return Result.QUEUED; // the frame handler judges the budget after every control frame it writes
  }

  @Override
  public void close(short code, String reason) {
    frames.close(code, reason);
  }

  @Override
  public void stopReading() {
    frames.stopReading();
  }
}
