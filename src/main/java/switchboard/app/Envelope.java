package switchboard.app;

/**
 * How an app's clients receive published messages when not as published: a protocol's push envelope, for
 * example. Switchboard builds it once per message, instance and transport, and every client of the app on
 * that transport shares the bytes, so one channel can reach the chat (raw text) and protocol clients
 * (envelopes) at the cost of one encoding per audience. Implementations are stateless and thread-safe;
 * {@link #wrap} runs on an event loop and must not block.
 */
public interface Envelope {

  /** A short, stable name ("centrifuge-json"): one wire format is made per envelope name and transport. */
  String name();

  /**
   * The message as this app's clients receive it, as text (the transport frames it: a WebSocket text frame,
   * an SSE event): a publication, or a join or leave announcement ({@link Published.Kind}).
   */
  String wrap(Published message);
}
