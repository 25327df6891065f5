package switchboard.internal;

import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the fence assumes of Vert.x's internals; fails when an upgrade changes them. */
@ExtendWith(VertxExtension.class)
class VertxInternalsTest {

  @Test
  void vertxEventLoopsAreSingleThreadExecutorsSoFlushBatchCanSeeTheirQueues(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    assertTrue(VertxInternals.eventLoop(context) instanceof SingleThreadEventExecutor,
        "FlushBatch.busy() would always say busy: " + VertxInternals.eventLoop(context).getClass());
  }

  @Test
  void aPromiseOnAContextRunsItsListenersThereWhenCompletedElsewhere(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Thread> loopThread = new CompletableFuture<>();
    CompletableFuture<Thread> listenerThread = new CompletableFuture<>();
    CompletableFuture<Promise<String>> made = new CompletableFuture<>();
    context.runOnContext(v -> {
      loopThread.complete(Thread.currentThread());
      Promise<String> promise = VertxInternals.promiseOn(context);
      promise.future().onComplete(ar -> listenerThread.complete(Thread.currentThread()));
      made.complete(promise);
    });
    Promise<String> promise = made.get(10, TimeUnit.SECONDS);
    Thread other = new Thread(() -> promise.complete("from another thread"));
    other.start();
    other.join();
    assertEquals(loopThread.get(10, TimeUnit.SECONDS), listenerThread.get(10, TimeUnit.SECONDS));
  }
}
