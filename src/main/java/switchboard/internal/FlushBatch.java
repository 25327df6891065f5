package switchboard.internal;

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
 * follows at once. Confined to its event loop.
 */
public final class FlushBatch {

  /** Something with buffered writes to flush. */
  public interface Flushable {
    void flushNow();
  }

  private final EventLoop loop;
  private final List<Flushable> dirty = new ArrayList<>();
  private final Runnable flushAll = this::flushAll;
  private boolean scheduled;
  /** Whether the flush runs as a tail task, at the end of the pass (else as a task behind the queued ones). */
  private final boolean atPassEnd;

  public FlushBatch(EventLoop loop) {
    this.loop = loop;
    this.atPassEnd = loop instanceof SingleThreadEventLoop;
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
    // index loop: a flush may fail a write and close a socket, which must not disturb the walk
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flushNow();
    }
    dirty.clear();
  }
}
