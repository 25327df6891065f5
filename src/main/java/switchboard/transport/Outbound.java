package switchboard.transport;

import io.netty.buffer.ByteBuf;

/**
 * One client's way out, for one transport (a WebSocket now, SSE next): it writes pre-encoded bytes in call
 * order, closes with a code, and keeps the client's one write budget ({@code limits.writeQueueBytes}).
 * It knows nothing of apps, channels or publishing: that is the {@link Session}'s. Confined to the
 * session's event loop.
 */
public interface Outbound {

  /** What became of a write. */
  enum Result {
    /** Sent or queued, within the budget. */
    QUEUED,
    /** Queued, and the client is now past its budget: the session closes it as a slow consumer. */
    OVER_BUDGET,
    /** The client is gone (reset before the transport noticed): nothing was written. */
    GONE
  }

  /** Writes {@code bytes}, which the outbound now owns, after everything written before, and flushes soon. */
  Result write(ByteBuf bytes);

  /**
   * Writes a view of {@code shared}, bytes that many clients get (a delivery's encoding): the outbound takes
   * a retained duplicate or slice, never the buffer itself. Flushing may wait for the end of this event-loop
   * pass, so that a burst of deliveries leaves in one system call per socket.
   */
  Result writeShared(ByteBuf shared);

  /**
   * Something the client must answer (a WebSocket ping) or at least receive (an event stream's comment), so
   * that a vanished peer is found. Its bytes count against the budget: OVER_BUDGET closes the client as a
   * slow consumer, so a reader that never reads cannot make heartbeats pile up.
   */
  Result ping();

  /**
   * Closes with {@code code} and {@code reason} after what was written; TCP ends when the client answers
   * or after the closing timeout.
   */
  void close(short code, String reason);

  /** Reads nothing more from the client (closed for abuse: a flood, a slow consumer). */
  void stopReading();

  /**
   * While the session handles a message from this client, deliveries to it wait for the end of the
   * event-loop pass instead of leaving at once: what the handling writes (a reply) and what it caused (the
   * client's own publication coming back) then leave together, in one system call.
   */
  default void holdDirectSends(boolean hold) {
  }

  /**
   * Whether the client answers {@link #ping} (a WebSocket pongs; an SSE stream cannot answer): only then
   * does the session close a client that stayed silent for {@code limits.missedPongs} pings.
   */
  default boolean answersPings() {
    return true;
  }
}
