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

  @Test
  void theIpAddressOfAVertxSocketAddressIsTheObjectItWasMadeFromNotACopy() throws Exception {
    java.net.InetAddress ip = java.net.InetAddress.getByAddress(new byte[] {10, 1, 2, 3});
    io.vertx.core.net.SocketAddress address = io.vertx.core.net.SocketAddress.inetSocketAddress(new java.net.InetSocketAddress(ip, 4567));
    assertTrue(VertxInternals.ipAddress(address) == ip,
        "Vert.x's SocketAddressImpl no longer gives its InetAddress: each session keeps a copy; re-check VertxInternals.ipAddress");
    assertEquals(ip, VertxInternals.ipAddress(io.vertx.core.net.SocketAddress.inetSocketAddress(4567, "10.1.2.3")),
        "from text, without the object");
  }
}
