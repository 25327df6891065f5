package switchboard.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.util.ArrayList;
import java.util.List;

/**
 * Coalesces flushes on one event loop. A delivery only writes its frame; the socket is flushed by a task
 * queued behind the work already waiting (other messages being fanned out). Under load several messages
 * then leave in one writev per socket instead of one syscall each; when idle the flush follows at once.
 * Confined to its event loop.
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

  public FlushBatch(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * True while this loop has other work waiting (more messages to fan out, say): then deliveries should be
   * queued and flushed together. Our own pending flush task does not count.
   */
  public boolean busy() {
    if (!(loop instanceof SingleThreadEventExecutor executor)) {
      return true; // an event loop of another kind: always batch (VertxInternalsTest checks ours is this kind)
    }
    return executor.pendingTasks() > (scheduled ? 1 : 0);
  }

  /** Flushes {@code target} after the tasks already queued on this loop; call once per dirty target. */
  public void flushSoon(Flushable target) {
    dirty.add(target);
    if (!scheduled) {
      scheduled = true;
      loop.execute(flushAll);
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
