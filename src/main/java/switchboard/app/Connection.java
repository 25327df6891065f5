package switchboard.app;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

import java.util.Map;

/**
 * One client connection as an {@link switchboard.app.App} sees it.
 *
 * <p><b>Threads.</b> A connection belongs to one event loop; its app callbacks run there. Call its methods
 * from that event loop (e.g. inside callbacks, timers, or futures completed on it). {@link #write},
 * {@link #publish} and {@link #close} may also be called from other threads: they hop to the event loop.
 * Every future a connection returns completes on its event loop, wherever it was called from and whichever
 * broker answered, so {@code publish(...).onSuccess(v -> c.subscribe(x))} is safe.
 *
 * <p><b>Write budget.</b> Everything queued for the client, by {@link #write} and by deliveries alike,
 * counts against {@code limits.writeQueueBytes}; a client that falls that far behind is closed with 1008.
 *
 * <p><b>Pub/sub.</b> {@link #publish} reaches every subscriber of the channel on every instance (and on
 * every host when Redis is configured), this connection included when it is subscribed. Delivery is
 * at-most-once, in one order per channel. Subscriptions end with the connection.
 */
public interface Connection {

  /** A short id unique in this process, used in every log line about the connection. */
  String id();

  /** The upgrade request's path, percent-decoded as UTF-8 (e.g. {@code /élève}). */
  String path();

  /** The path below the app's mount prefix, starting with {@code /} (equal to {@link #path()} for "/"). */
  String pathInfo();

  /** The raw query string of the upgrade request, or null. */
  String query();

  /**
   * The headers of the upgrade (or event-stream) request, a new copy on each call: read them once, in onOpen
   * if you can. Those that only carried the handshake are left out: {@code Connection}, {@code Upgrade},
   * {@code Sec-WebSocket-Key}, {@code -Version} and {@code -Extensions} ({@code Sec-WebSocket-Protocol} stays).
   */
  MultiMap headers();

  /** The client's address as the server sees it. */
  SocketAddress remoteAddress();

  /** Free-form per-connection state for the app; cleared when the connection closes. */
  Map<String, Object> attributes();

  /**
   * Sends a text message to this client. False when the connection is closing or closed, or when this write
   * took the client past its write budget (it is then closed as a slow consumer).
   */
  boolean write(String text);

  /** Sends a binary message to this client; same rules as the text variant. */
  boolean write(Buffer binary);

  /**
   * Starts delivering the channel's messages to this client. False when already subscribed or closing.
   *
   * @throws IllegalArgumentException for a channel name outside {@code [A-Za-z0-9_.:-]{1,128}}
   * @throws IllegalStateException    when the connection already holds {@code limits.maxChannelsPerConnection}
   */
  boolean subscribe(String channel);

  /** Stops delivering the channel's messages to this client. False when it was not subscribed. */
  boolean unsubscribe(String channel);

  /**
   * Publishes a text message to a channel; the future completes on this connection's event loop. Fails
   * with a {@link Refusal}, whose {@code reason()} says why: an invalid channel
   * name, a message larger than {@code limits.maxMessageBytes}, a connection publishing faster than
   * {@code limits.publishPerSecond} or {@code limits.publishBytesPerSecond} (ten refusals in a row close it
   * with 1008; nothing is sent), or {@code BROKER_FAILED}: the broker lost it in flight, it reached no one
   * for certain and may be sent again. The message of a refusal never carries internal error text.
   */
  Future<Void> publish(String channel, String text);

  /** Publishes a binary message to a channel; same rules as the text variant. */
  Future<Void> publish(String channel, Buffer binary);

  /**
   * Publishes text with who published it: {@code publisher} is a JSON object's text (the client protocol's
   * ClientInfo) that apps with an {@link Envelope} may show beside it, while other audiences get the text
   * alone. Same rules as {@link #publish(String, String)}.
   */
  Future<Void> publish(String channel, String text, String publisher);

  /**
   * Tells the channel's audiences with an {@link Envelope} that {@code who} (a JSON object's text) joined or
   * left it; apps without an envelope never see it. Counts as a publish of this connection (its rate limit).
   */
  Future<Void> announce(String channel, Published.Kind kind, String who);

  /**
   * Closes with a code (see {@link CloseCodes}) and a reason (cut to the 123 bytes a close frame holds).
   *
   * @throws IllegalArgumentException for a code that may not be sent: 1005, 1006, 1015, reserved codes
   *                                  ({@link CloseCodes#isSendable})
   */
  void close(short code, String reason);

  /** Closes normally (1000). */
  default void close() {
    close(CloseCodes.NORMAL, "");
  }

  /** True until the connection starts closing. */
  boolean isOpen();

  /** Open connections of all transports on all instances of this server. */
  int openConnections();

  /** The Vert.x instance, for timers and {@code executeBlocking}. */
  Vertx vertx();
}
