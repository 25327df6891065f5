package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import switchboard.internal.DirectSender;
import switchboard.internal.FlushBatch;
import switchboard.internal.VertxInternals;

/**
 * The bytes for one client's socket on the fast path, whatever frames them (a WebSocket, an event stream): in
 * call order, within the client's one write budget ({@code limits.writeQueueBytes}), and as few system calls
 * as the load allows. Bytes enter the channel at {@code writePoint} and meet only the handlers below it (TLS,
 * if any). On an epoll socket with nothing below that point, a pass's deliveries are corked and leave
 * together at its end ({@link FlushBatch}), every socket's in one {@code io_uring_enter} when sends are
 * batched; without the ring, a delivery to an idle socket leaves at once in one {@code send(2)}
 * ({@link DirectSender}) and only a busy loop corks. Everything else waits in Netty's outbound buffer,
 * which, with the cork, is the budget. Event-loop confined.
 */
final class SocketWriter implements FlushBatch.Flushable {

  private final ChannelHandlerContext writePoint;
  /** Null when something below the write point transforms bytes (TLS), or off epoll: Netty's path only. */
  private final DirectSender direct;
  private final FlushBatch flushes;
  private final int budget;
  private boolean flushPending;
  /** Set while the session handles this client's message ({@link Outbound#holdDirectSends}). */
  private boolean holding;
  /**
   * Whether this writer put bytes in Netty's outbound buffer since its last flush. Most passes under load
   * leave entirely in the cork's writev, and flushing Netty's empty buffer then only touched two more cold
   * objects per socket per pass (the buffer and the channel's epoll flags).
   */
  private boolean queuedInNetty;
  /**
   * The ticket of the corked frames in this pass's batched send ({@link #beforeFlush}), or -1. While it is
   * set the kernel has been handed those frames: whatever touches the cork settles it first.
   */
  private int batchTicket = -1;

  SocketWriter(ChannelHandlerContext writePoint, FlushBatch flushes, int budget) {
    this.writePoint = writePoint;
    this.flushes = flushes;
    this.budget = budget;
    this.direct = VertxInternals.directSender(writePoint);
  }

  /** Whether the socket is still open; asked before every write, so on the fast path it asks the sender. */
  boolean isActive() {
    return direct != null ? direct.isOpen() : writePoint.channel().isActive();
  }

  /** Whether deliveries may leave past Netty (epoll, nothing below the write point), for the log. */
  boolean sendsDirectly() {
    return direct != null;
  }

  ChannelHandlerContext writePoint() {
    return writePoint;
  }

  /**
   * Writes {@code bytes}, which this now owns, after everything written before; it is flushed with the
   * deliveries of this event-loop pass (a protocol's reply and the push its publish caused then leave in one
   * {@code writev}).
   */
  Outbound.Result write(ByteBuf bytes) {
    if (!isActive()) {
      bytes.release();
      return Outbound.Result.GONE;
    }
    queue(bytes);
    return afterQueue();
  }

  /** Writes a view of {@code shared}, bytes many clients get (a delivery's encoding), never consuming it. */
  Outbound.Result writeShared(ByteBuf shared) {
    if (!isActive()) {
      // a reset the handler has not seen yet: a closed channel also reads as unwritable, not a slow reader
      return Outbound.Result.GONE;
    }
    if (batchTicket >= 0) {
      sendCorked(); // something delivered between the batch's submission and this writer's flush
    }
    int sent = direct == null || corkedCount > 0 || holding || flushes.batchesSends() || flushes.busy()
        ? 0 : direct.trySend(shared);
    int rest = shared.readableBytes() - sent;
    if (rest == 0) {
      return Outbound.Result.QUEUED; // the whole frame left with one send(2)
    }
    if (sent == 0 && canCork()) {
      return cork(shared);
    }
    queue(sent == 0 ? shared.retainedDuplicate() : shared.retainedSlice(shared.readerIndex() + sent, rest));
    return afterQueue();
  }

  private Outbound.Result afterQueue() {
    if (overBudget()) {
      return Outbound.Result.OVER_BUDGET;
    }
    flushSoon();
    return Outbound.Result.QUEUED;
  }

  private void flushSoon() {
    if (!flushPending) {
      flushPending = true;
      flushes.flushSoon(this);
    }
  }

  // ---- the cork: under load, a pass's deliveries to this socket wait here, as references to the shared
  // frames, and leave together in one writev at the end of the pass, past Netty's outbound buffer. That
  // buffer's bookkeeping (a recycled view and an entry per frame, then removing them) was about a fifth of
  // the event loop's time under closed-loop fan-out (async-profiler); uWebSockets corks the same way.
  // Invariant: while frames are corked, nothing of this socket waits in Netty (every other write uncorks
  // first), so the byte order is the call order.

  /** Frames at most per cork: far below IOV_MAX (1024), and a burst past it simply goes to Netty. */
  private static final int CORK_MAX = 256;
  /** Made at the first cork: many connections are never written to under load. */
  private ByteBuf[] corked;
  private int corkedCount;
  private long corkedBytes;

  private boolean canCork() {
    return direct != null && corkedCount < CORK_MAX
        && (corkedCount > 0 || direct.pendingBytes() == 0);
  }

  private Outbound.Result cork(ByteBuf shared) {
    if (corked == null) {
      corked = new ByteBuf[8];
    } else if (corkedCount == corked.length) {
      corked = java.util.Arrays.copyOf(corked, corked.length * 2);
    }
    corked[corkedCount++] = shared.retain();
    corkedBytes += shared.readableBytes();
    if (corkedBytes > budget) {
      // the budget counts corked bytes too: send what the kernel takes now, and judge on the rest
      flushNow();
      return overBudget() ? Outbound.Result.OVER_BUDGET : Outbound.Result.QUEUED;
    }
    flushSoon();
    return Outbound.Result.QUEUED;
  }

  @Override
  public void beforeFlush() {
    // once per pass: a writer flushed early (an event stream's close) and written again is listed twice
    if (batchTicket < 0 && corkedCount > 0 && isActive()) {
      batchTicket = flushes.batchSend(direct, corked, corkedCount);
    }
  }

  /**
   * The corked buffers in one writev, or the batch's result for them; what the kernel does not take goes to
   * Netty, in order, which waits for the socket.
   */
  private void sendCorked() {
    long taken;
    if (batchTicket >= 0) {
      taken = isActive() ? flushes.taken(batchTicket) : -1;
      batchTicket = -1;
    } else {
      taken = isActive() ? direct.trySendAll(corked, corkedCount) : -1;
    }
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
        toNetty(taken == 0 ? frame.duplicate() : frame.slice(frame.readerIndex() + (int) taken, size - (int) taken));
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
    if (batchTicket >= 0) {
      sendCorked(); // the kernel has been handed these frames: settle what it took first
    }
    for (int i = 0; i < corkedCount; i++) {
      toNetty(corked[i].duplicate()); // the corked reference passes to the view
      corked[i] = null;
    }
    corkedCount = 0;
    corkedBytes = 0;
  }

  /** Every path that queues bytes for this client asks this after its write ({@link WriteBudget}). */
  boolean overBudget() {
    return WriteBudget.exceeded(writePoint, budget);
  }

  void hold(boolean hold) {
    holding = hold;
  }

  @Override
  public void flushNow() {
    flushPending = false;
    if (corkedCount > 0) {
      sendCorked();
    }
    if (direct == null) {
      writePoint.flush();
    } else if (queuedInNetty) {
      queuedInNetty = false;
      direct.flush();
    }
  }

  /** Every byte this writer leaves in Netty's outbound buffer goes this way, so that the next flush knows. */
  private void toNetty(ByteBuf bytes) {
    queuedInNetty = true;
    direct.queue(bytes);
  }

  /** Into the channel's one outbound buffer, after the cork: at the pipeline's head when nothing stands between, else through it. */
  private void queue(ByteBuf bytes) {
    if (direct != null) {
      uncork();
      toNetty(bytes);
    } else {
      writePoint.write(bytes, writePoint.voidPromise());
    }
  }
}
