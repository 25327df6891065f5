package switchboard.pubsub;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * Moves published messages to every listener of a channel: across the verticle instances of this JVM,
 * and, for a broker backed by Redis, across hosts.
 *
 * <p><b>Guarantees</b> (every implementation passes the shared contract test):
 * <ul>
 *   <li>at-most-once: a message reaches each listener registered before the publish at most once, and
 *       exactly once while the broker is healthy; there is no replay for late or disconnected listeners;</li>
 *   <li>one order per channel: all listeners of a channel see its messages in the same order, which for a
 *       single publisher is its publish order;</li>
 *   <li>after {@link Subscription#cancel()} completes, the listener receives nothing more.</li>
 * </ul>
 *
 * <p><b>Threads.</b> A broker is shared by all instances and is thread-safe. {@link #publish} may be
 * called from any thread. {@link #subscribe} must be called on an event loop: the listener is then
 * always called on that same event loop.
 */
public interface Broker {

  /**
   * Publishes a message to its channel. Success says how far it was handed on ({@link Reach}), not that
   * anyone got it. Failure means it may not have been delivered anywhere; it is never delivered twice.
   */
  Future<Reach> publish(Message message);

  /** Starts calling {@code listener} for each message on {@code channel}, on the caller's event loop. */
  Subscription subscribe(String channel, Handler<Message> listener);

  /** A short description for logs and health, e.g. {@code local (event bus)}. */
  String describe();

  /** The broker's state for the health endpoint, in detail (may name hosts: show it to operators only). */
  default Future<JsonObject> status() {
    return Future.succeededFuture(new JsonObject().put("mode", "local"));
  }

  /** The broker's state at a glance; callable from any thread, cheap (read on every scrape). */
  default BrokerHealth health() {
    return BrokerHealth.LOCAL;
  }

  /** Stops the broker: connections closed, no reconnecting. Callable from any thread. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** One listener's registration on one channel. */
  interface Subscription {
    /** Stops delivery to the listener; nothing is delivered after the future completes. */
    Future<Void> cancel();
  }
}
