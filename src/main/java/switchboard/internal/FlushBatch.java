package switchboard.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.util.ArrayList;
import java.util.List;

/**
 * Coalesces flushes on one event loop. A delivery only writes its frame; the sockets are flushed once, at
 * the end of the event loop's pass, after every task of that pass ran (Netty's tail tasks). Under load
 * several messages then leave in one writev per socket instead of one syscall each, and a reply and the
 * publication it answers (delivered by a later task of the same pass) leave together; when idle the flush
 * follows at once. With {@code transport.ioUring} (and a kernel that allows it) the pass's sends of
 * corked frames, one per socket, leave together in one {@code io_uring_enter} ({@link SendRing}): first
 * every dirty target {@linkplain Flushable#beforeFlush adds its send}, then the ring is submitted, then
 * each target {@linkplain Flushable#flushNow settles} with what the kernel took. Confined to its event loop.
 */
public final class FlushBatch {

  /** Something with buffered writes to flush. */
  public interface Flushable {
    /**
     * First step of a pass's flush when sends are batched: add this target's send ({@link #batchSend}).
     * Nothing else may touch what it added until {@link #flushNow}, which follows in the same pass.
     */
    default void beforeFlush() {
    }

    void flushNow();
  }

  private final EventLoop loop;
  private final List<Flushable> dirty = new ArrayList<>();
  private final Runnable flushAll = this::flushAll;
  private boolean scheduled;
  /** Whether the flush runs as a tail task, at the end of the pass (else as a task behind the queued ones). */
  private final boolean atPassEnd;
  /** {@code transport.ioUring} and io_uring available: the pass's sends leave in one system call. */
  private final boolean batched;
  /** This loop's ring once a pass's flush has used it, until that flush ends; null otherwise. */
  private SendRing ring;

  /** Call on {@code loop}; {@code ioUring}: batch the pass's sends when the kernel allows it. */
  public FlushBatch(EventLoop loop, boolean ioUring) {
    this.loop = loop;
    this.atPassEnd = loop instanceof SingleThreadEventLoop;
    this.batched = ioUring && SendRing.unavailabilityCause() == null;
  }

  /**
   * Whether a pass's sends leave together: then a delivery to an idle socket is corked too, not sent at
   * once, so that a message to many subscribers costs one system call rather than one per subscriber.
   */
  public boolean batchesSends() {
    return batched;
  }

  /**
   * During {@link Flushable#beforeFlush}: one send of {@code frames[0..count)} (not consumed; keep them until
   * {@link #taken}) to {@code sender}'s socket in this pass's batch. A ticket for {@link #taken}, or -1 when
   * it cannot join the batch (then write it yourself).
   */
  public int batchSend(DirectSender sender, ByteBuf[] frames, int count) {
    if (ring == null) {
      // opened by the first socket that needs it: a loop that never corks (NIO, TLS only) never has one
      ring = batched ? SendRing.forThisThread() : null;
      if (ring == null) {
        return -1;
      }
    }
    return ring.send(((DirectSend) sender).fd(), frames, count);
  }

  /** During {@link Flushable#flushNow}: the bytes the kernel took of a ticket's frames (0 when it took none). */
  public long taken(int ticket) {
    return ring.taken(ticket);
  }

  /**
   * True while this loop has other work waiting (more messages to fan out, say): then deliveries should be
   * queued and flushed together. Our own pending flush task does not count.
   */
  public boolean busy() {
    if (!(loop instanceof SingleThreadEventExecutor executor)) {
      return true; // an event loop of another kind: always batch (VertxInternalsTest checks ours is this kind)
    }
    return executor.pendingTasks() > (scheduled && !atPassEnd ? 1 : 0);
  }

  /** Flushes {@code target} after the tasks already queued on this loop; call once per dirty target. */
  public void flushSoon(Flushable target) {
    dirty.add(target);
    if (!scheduled) {
      scheduled = true;
      if (atPassEnd) {
        // a task queued now would run before the deliveries queued after it in this pass (a reply would
        // leave alone, its publication in a second syscall: strace showed that in the 10k-channel bench)
        ((SingleThreadEventLoop) loop).executeAfterEventLoopIteration(flushAll);
      } else {
        loop.execute(flushAll);
      }
    }
  }

  private void flushAll() {
    scheduled = false;
    // index loops: a flush may fail a write and close a socket, or deliver more, which must not disturb the walk
    int done = 0;
    while (done < dirty.size()) {
      int end = dirty.size();
      if (batched) {
        end = done;
        do {
          dirty.get(end++).beforeFlush();
        } while (end < dirty.size() && (ring == null || ring.hasRoom()));
        if (ring != null) {
          ring.submit();
        }
      }
      for (; done < end; done++) {
        dirty.get(done).flushNow();
      }
      if (ring != null) {
        ring.clear();
      }
    }
    ring = null;
    dirty.clear();
  }
}
