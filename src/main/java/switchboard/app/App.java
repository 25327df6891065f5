package switchboard.app;

import io.vertx.core.buffer.Buffer;
import switchboard.app.Connection;

/**
 * A Switchboard application: plain callbacks, all optional, in the spirit of iodine's WebSocket objects.
 *
 * <p><b>Instances.</b> Each server verticle instance creates its own instance of the class (public no-arg
 * constructor), so an app's fields are confined to one event loop and need no locks. Share state between
 * instances only through pub/sub or thread-safe objects of your own.
 *
 * <p><b>Order and threads.</b> For one connection: {@link #onOpen} is called first; then any number of
 * {@code onMessage} and at most one {@link #onShutdown}; {@link #onClose} is called last and exactly once,
 * whatever ended the connection (client, server, network, an exception). All callbacks of a connection
 * run on that connection's event loop, one at a time, never concurrently.
 *
 * <p><b>Never block.</b> Callbacks run on an event loop shared with thousands of other connections. For
 * blocking work use {@code connection.vertx().executeBlocking(...)}; the connection may be used from the
 * worker too ({@code write}, {@code publish} and {@code close} hop to its event loop), and every future it
 * returns completes on its event loop.
 *
 * <p><b>Failures.</b> An exception thrown by {@link #onOpen}, {@code onMessage} or {@link #onShutdown}
 * is logged with the connection id and closes that connection with 1011 (internal error); other
 * connections are not affected. An exception from {@link #onClose} is logged.
 */
public interface App {

  /**
   * The connection is open; a good place to {@link Connection#subscribe subscribe}. It runs before the 101
   * response leaves, so by the time the client sees its socket open, these subscriptions are in place and
   * what this method writes is the first thing the client receives.
   */
  default void onOpen(Connection connection) {
  }

  /** A complete text message (fragments already joined, UTF-8 validated) arrived from the client. */
  default void onMessage(Connection connection, String text) {
  }

  /** A complete binary message arrived from the client. */
  default void onMessage(Connection connection, Buffer binary) {
  }

  /**
   * The server is shutting down gracefully. Writes made here reach the client before the server closes
   * the connection with 1001 (going away). A connection whose handshake completes after the shutdown began
   * gets this callback at once.
   */
  default void onShutdown(Connection connection) {
  }

  /** The connection is closed; its subscriptions are already gone. Called exactly once. */
  default void onClose(Connection connection) {
  }

  /**
   * How this app's clients receive what is published to their channels: {@code null} (the default) for the
   * message as published, or an {@link Envelope} built once per message and shared by all of them. Asked
   * once per connection, when it opens; return the same envelope every time.
   */
  default Envelope envelope() {
    return null;
  }
}
