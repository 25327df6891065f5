package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.vertx.core.http.ServerWebSocket;
import switchboard.internal.DirectSender;
import switchboard.internal.FlushBatch;
import switchboard.internal.VertxHandover;
import switchboard.internal.VertxInternals;

import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client's {@link Outbound}, on the socket Switchboard took from Vert.x after the handshake
 * ({@link VertxHandover}). Every byte for the client goes through the channel's one outbound buffer, in call
 * order: deliveries (straight to an idle socket with one {@code send(2)}, {@link DirectSender}; otherwise
 * queued and flushed at the end of the event-loop pass, {@link FlushBatch}), app writes, and the control
 * frames of its {@link FrameHandler}. That buffer is the client's write budget. Event-loop confined.
 */
final class WebSocketOutbound implements Outbound, FlushBatch.Flushable {

  private static final byte[] PING = "switchboard".getBytes(StandardCharsets.US_ASCII);

  private final ChannelHandlerContext channel;
  private final FrameHandler frames;
  private final DirectSender direct;
  private final FlushBatch flushes;
  private final int writeQueueBytes;
  private boolean flushPending;
  /** Set while the session handles this client's message ({@link Outbound#holdDirectSends}). */
  private boolean holding;

  private WebSocketOutbound(ChannelHandlerContext channel, FrameHandler frames, FlushBatch flushes, int writeQueueBytes) {
    this.channel = channel;
    this.frames = frames;
    this.flushes = flushes;
    this.writeQueueBytes = writeQueueBytes;
    this.direct = VertxInternals.directSender(channel.channel());
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
    channel.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(budget / 2, budget));
    WebSocketOutbound out = new WebSocketOutbound(channel, frames, services.flushes, budget);
    frames.outbound(out);
    session.attach(out);
  }

  /**
   * An app's write (a reply, say) is flushed with the deliveries of this event-loop pass, not on its own: a
   * protocol's reply and the push its publish caused then leave in one {@code writev}, not two syscalls.
   */
  @Override
  public Result write(ByteBuf bytes) {
    if (!channel.channel().isActive()) {
      bytes.release();
      return Result.GONE;
    }
    queue(bytes);
    if (overBudget()) {
      return Result.OVER_BUDGET;
    }
    flushSoon();
    return Result.QUEUED;
  }

  private void flushSoon() {
    if (!flushPending) {
      flushPending = true;
      flushes.flushSoon(this);
    }
  }

  @Override
  public Result writeShared(ByteBuf shared) {
    if (!channel.channel().isActive()) {
      // a reset the handler has not seen yet: a closed channel also reads as unwritable, not a slow reader
      return Result.GONE;
    }
    int sent = direct == null || corkedCount > 0 || holding || flushes.busy() ? 0 : direct.trySend(shared);
    int rest = shared.readableBytes() - sent;
    if (rest == 0) {
      return Result.QUEUED; // the whole frame left with one send(2)
    }
    if (sent == 0 && canCork()) {
      return cork(shared);
    }
    queue(sent == 0 ? shared.retainedDuplicate() : shared.retainedSlice(shared.readerIndex() + sent, rest));
    if (overBudget()) {
      return Result.OVER_BUDGET;
    }
    flushSoon();
    return Result.QUEUED;
  }

  // ---- the cork: under load, a pass's deliveries to this socket wait here, as references to the shared
  // frames, and leave together in one writev at the end of the pass, past Netty's outbound buffer. That
  // buffer's bookkeeping (a recycled view and an entry per frame, then removing them) was about a fifth of
  // the event loop's time under closed-loop fan-out (async-profiler); uWebSockets corks the same way.
  // Invariant: while frames are corked, nothing of this socket waits in Netty (every other write uncorks
  // first), so the byte order is the call order.

  /** Frames at most per cork: far below IOV_MAX (1024), and a burst past it simply goes to Netty. */
  private static final int CORK_MAX = 256;
  private ByteBuf[] corked = new ByteBuf[8];
  private int corkedCount;
  private long corkedBytes;

  private boolean canCork() {
    return direct != null && corkedCount < CORK_MAX && (corkedCount > 0 || VertxInternals.pendingBytes(channel.channel()) == 0);
  }

  private Result cork(ByteBuf shared) {
    if (corkedCount == corked.length) {
      corked = java.util.Arrays.copyOf(corked, corked.length * 2);
    }
    corked[corkedCount++] = shared.retain();
    corkedBytes += shared.readableBytes();
    if (corkedBytes > writeQueueBytes) {
      // the budget counts corked bytes too: send what the kernel takes now, and judge on the rest
      flushNow();
      if (overBudget()) {
        return Result.OVER_BUDGET;
      }
      return Result.QUEUED;
    }
    flushSoon();
    return Result.QUEUED;
  }

  /** The corked frames in one writev; what the kernel does not take goes to Netty, in order, which waits for the socket. */
  private void sendCorked() {
    long taken = channel.channel().isActive() ? direct.trySendAll(corked, corkedCount) : -1;
    for (int i = 0; i < corkedCount; i++) {
      ByteBuf frame = corked[i];
      corked[i] = null;
      int size = frame.readableBytes();
      if (taken < 0) {
        frame.release(); // the socket is gone: nothing more to send
      } else if (taken >= size) {
        taken -= size;
        frame.release();
      } else {
        // the corked reference passes to Netty's view, which releases it once written
        direct.queue(taken == 0 ? frame.duplicate() : frame.slice(frame.readerIndex() + (int) taken, size - (int) taken));
        taken = 0;
      }
    }
    corkedCount = 0;
    corkedBytes = 0;
  }

  /**
   * Before anything else is queued in Netty: the corked frames move there first, in order, without a system
   * call, so that they and what follows (a reply, a pong) still leave together in the pass's one writev.
   */
  void uncork() {
    for (int i = 0; i < corkedCount; i++) {
      direct.queue(corked[i].duplicate()); // the corked reference passes to the view
      corked[i] = null;
    }
    corkedCount = 0;
    corkedBytes = 0;
  }

  /** Every path that queues bytes for this client asks this after its write ({@link WriteBudget}). */
  boolean overBudget() {
    return WriteBudget.exceeded(channel, writeQueueBytes);
  }

  @Override
  public void holdDirectSends(boolean hold) {
    holding = hold;
  }

  @Override
  public void flushNow() {
    flushPending = false;
    if (corkedCount > 0) {
      sendCorked();
    }
    if (direct != null) {
      direct.flush();
    } else {
      channel.flush();
    }
  }

  /** Into the channel's one outbound buffer: at the pipeline's head when nothing stands between, else through it. */
  private void queue(ByteBuf bytes) {
    if (direct != null) {
      uncork();
      direct.queue(bytes);
    } else {
      channel.write(bytes, channel.voidPromise());
    }
  }

  @Override
  public void ping() {
    frames.ping(PING);
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
