package switchboard.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import switchboard.app.Envelope;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * How one kind of subscriber carries a message on the wire: a WebSocket frame, an SSE event, later the
 * client protocol's push envelope. A {@link Delivery} encodes a message at most once per format, and every
 * subscriber of that format shares the bytes. Formats are few and long-lived (constants of their
 * transports): each gets a small index when made, at most {@value #MAX}. Thread-safe (immutable).
 */
public final class WireFormat {

  /** How many formats one JVM may define; a Delivery keeps a slot for each. */
  static final int MAX = 8;
  private static final AtomicInteger COUNT = new AtomicInteger();

  private final String name;
  private final int index;
  private final BiFunction<Message, ByteBufAllocator, ByteBuf> encoder;
  /** This transport's formats for apps with an {@link Envelope}, by envelope name: made once, then shared. */
  private final java.util.concurrent.ConcurrentMap<String, WireFormat> enveloped = new java.util.concurrent.ConcurrentHashMap<>();

  private WireFormat(String name, BiFunction<Message, ByteBufAllocator, ByteBuf> encoder) {
    this.name = name;
    this.encoder = encoder;
    this.index = COUNT.getAndIncrement();
    if (index >= MAX) {
      throw new IllegalStateException("more than " + MAX + " wire formats: make them constants, not one per use");
    }
  }

  /**
   * A format whose {@code encoder} returns a new buffer (reference count 1) holding the whole encoded
   * message, ready to be written as it is to any number of sockets.
   */
  public static WireFormat of(String name, BiFunction<Message, ByteBufAllocator, ByteBuf> encoder) {
    return new WireFormat(name, encoder);
  }

  /** A new buffer (reference count 1) holding {@code message} in this format. */
  public ByteBuf encode(Message message, ByteBufAllocator alloc) {
    return encoder.apply(message, alloc);
  }

  /**
   * This format with each message first wrapped in {@code envelope} (the same transport framing around the
   * envelope's text): one format per envelope name, so all clients of such apps share one encoding.
   */
  public WireFormat wrappedIn(Envelope envelope) {
    return enveloped.computeIfAbsent(envelope.name(), name -> new WireFormat(this.name + "+" + name,
        (message, alloc) -> encoder.apply(Message.text(message.channel(), envelope.wrap(message)), alloc)));
  }

  int index() {
    return index;
  }

  @Override
  public String toString() {
    return "WireFormat[" + name + "]";
  }
}
