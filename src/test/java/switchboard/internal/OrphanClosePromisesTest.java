package switchboard.internal;

import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.GenericFutureListener;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link OrphanClosePromises} takes off a close future, and that the listeners it keeps still hear the close. */
class OrphanClosePromisesTest {

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void anOrphanGoesAndTheOneListenerLeftMovesToTheSingleSlotAndStillHearsTheClose() {
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelFuture closeFuture = channel.closeFuture();
    Promise<Void> orphan = Promise.promise();
    AtomicInteger heard = new AtomicInteger();
    closeFuture.addListener((GenericFutureListener) orphan);
    closeFuture.addListener(f -> heard.incrementAndGet());

    assertEquals(new OrphanClosePromises.Outcome(1, 0, true), OrphanClosePromises.drop(channel));

    channel.close();
    assertEquals(1, heard.get(), "the listener that stayed heard the close once");
    assertFalse(orphan.future().isComplete(), "the orphan was taken off, so the close did not reach it");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aPromiseSomebodyListensToStaysAndCompletesOnClose() {
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelFuture closeFuture = channel.closeFuture();
    Promise<Void> awaited = Promise.promise();
    AtomicInteger completions = new AtomicInteger();
    awaited.future().onComplete(r -> completions.incrementAndGet());
    AtomicInteger heard = new AtomicInteger();
    closeFuture.addListener((GenericFutureListener) awaited);
    closeFuture.addListener(f -> heard.incrementAndGet());

    assertEquals(new OrphanClosePromises.Outcome(0, 1, false), OrphanClosePromises.drop(channel));

    channel.close();
    assertTrue(awaited.future().isComplete(), "the promise somebody waits for completed on close");
    assertEquals(1, completions.get());
    assertEquals(1, heard.get());
  }
}
