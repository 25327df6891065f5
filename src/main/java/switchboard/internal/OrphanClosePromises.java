package switchboard.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.GenericFutureListener;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Each Vert.x connection object made for an upgrade (the HTTP connection, the WebSocket's) adds a promise of
 * its own to the channel's close future, to complete when the channel closes. After the handover those
 * objects are garbage, and nothing else holds their promises: a heap dump of 2,000 idle chat connections
 * found all 6,000 reachable only from the close future's listener array, with no listener and no value.
 * They and their duplicated contexts cost about 130 bytes per idle connection, so they are taken off.
 * A promise with a listener of its own is left in place: somebody is waiting for it.
 * <p>
 * Netty keeps a future's listeners in private fields ({@code DefaultPromise.listener} and
 * {@code .listeners}), and Vert.x a promise's in {@code FutureImpl.listener}; when either changes, nothing
 * is taken off, one warning says so, and PipelineIT fails. Event-loop confined.
 */
final class OrphanClosePromises {

  private static final System.Logger LOG = System.getLogger(OrphanClosePromises.class.getName());
  private static final String VERTX_PROMISE = "io.vertx.core.impl.future.PromiseImpl";

  private static final Field NETTY_LISTENER;
  private static final Field NETTY_LISTENERS;
  private static final Method LISTENERS_ARRAY;
  private static final Field VERTX_LISTENER;
  private static volatile boolean warned;

  static {
    Field one = null;
    Field many = null;
    Method array = null;
    Field vertx = null;
    try {
      one = accessible(DefaultPromise.class.getDeclaredField("listener"));
      many = accessible(DefaultPromise.class.getDeclaredField("listeners"));
      array = many.getType().getDeclaredMethod("listeners");
      array.setAccessible(true);
      vertx = accessible(Class.forName(VERTX_PROMISE).getSuperclass().getDeclaredField("listener"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "close-future listeners cannot be read: " + e);
      one = null;
    }
    NETTY_LISTENER = one;
    NETTY_LISTENERS = many;
    LISTENERS_ARRAY = array;
    VERTX_LISTENER = vertx;
  }

  private OrphanClosePromises() {
  }

  /**
   * What one {@link #drop} did: the promises it took off, those it left because somebody listens, and whether
   * the listener that stayed (Vert.x's channel-group remover) now sits in the future's single slot.
   */
  record Outcome(int taken, int left, boolean survivorReseated) {
  }

  /**
   * Takes Vert.x's waiting promises that nobody listens to off {@code channel}'s close future (one scan).
   * When one listener is left, it is taken off and added back: Netty then holds it in its single slot and
   * drops the list object and its array (about 56 bytes) that several listeners needed.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Outcome drop(Channel channel) {
    GenericFutureListener<?>[] all = listeners(channel);
    if (all == null) {
      return new Outcome(0, 0, false);
    }
    List<GenericFutureListener<?>> orphans = new ArrayList<>(all.length);
    List<GenericFutureListener<?>> survivors = new ArrayList<>(all.length);
    int left = 0;
    for (GenericFutureListener<?> listener : all) {
      if (listener == null) {
        continue;
      }
      boolean vertx = listener.getClass().getName().equals(VERTX_PROMISE);
      if (vertx && !((io.vertx.core.Future<?>) listener).isComplete() && listenerOf(listener) == null) {
        orphans.add(listener);
      } else {
        survivors.add(listener);
        left += vertx ? 1 : 0;
      }
    }
    ChannelFuture closeFuture = channel.closeFuture();
    for (GenericFutureListener<?> orphan : orphans) {
      closeFuture.removeListener((GenericFutureListener) orphan);
    }
    boolean reseated = all.length > 1 && survivors.size() == 1; // a list's array has at least two slots
    if (reseated) { // on the event loop: the close future cannot complete between the two calls
      closeFuture.removeListener((GenericFutureListener) survivors.get(0));
      closeFuture.addListener((GenericFutureListener) survivors.get(0));
    }
    return new Outcome(orphans.size(), left, reseated);
  }

  /**
   * Every listener of {@code channel}'s close future, as Netty holds them: one in its single slot, or its
   * list's array (which may end in empty slots); null if they cannot be read.
   */
  private static GenericFutureListener<?>[] listeners(Channel channel) {
    if (NETTY_LISTENER == null) {
      warnOnce();
      return null;
    }
    Object closeFuture = channel.closeFuture();
    try {
      synchronized (closeFuture) { // DefaultPromise guards its listeners with its own monitor
        Object one = NETTY_LISTENER.get(closeFuture);
        Object many = NETTY_LISTENERS.get(closeFuture);
        return one != null ? new GenericFutureListener<?>[] {(GenericFutureListener<?>) one}
            : many != null ? (GenericFutureListener<?>[]) LISTENERS_ARRAY.invoke(many) : new GenericFutureListener<?>[0];
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      warnOnce();
      return null;
    }
  }

  private static Object listenerOf(Object vertxPromise) {
    try {
      return VERTX_LISTENER.get(vertxPromise);
    } catch (ReflectiveOperationException e) {
      return vertxPromise; // unknown: treat as listened to, and leave it
    }
  }

  private static void warnOnce() {
    if (!warned) {
      warned = true;
      LOG.log(System.Logger.Level.WARNING, "Netty's or Vert.x's future internals changed: idle WebSockets keep "
          + "Vert.x's close promises (about 130 bytes each); re-check switchboard.internal.OrphanClosePromises");
    }
  }

  private static Field accessible(Field field) {
    field.setAccessible(true);
    return field;
  }
}
