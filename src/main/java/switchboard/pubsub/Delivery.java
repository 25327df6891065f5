package switchboard.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One message on its way to the subscribers of one instance. The wire bytes are encoded on first request
 * and then shared: every subscriber writes a {@code retainedDuplicate()} of the same buffer (a view, no
 * copy). The {@link Hub} releases the buffer once all subscribers have written it. Event-loop confined.
 */
public final class Delivery {

  private final Message message;
  private final ByteBufAllocator alloc;
  private FrameEncoder encoder;
  private ByteBuf encoded;

  Delivery(Message message, ByteBufAllocator alloc) {
    this.message = message;
    this.alloc = alloc;
  }

  public Message message() {
    return message;
  }

  /**
   * The message as {@code encoder} frames it, built once per delivery. The buffer belongs to the delivery:
   * write {@code retainedDuplicate()} of it, never the buffer itself.
   */
  public ByteBuf encoded(FrameEncoder encoder) {
    if (encoded == null) {
      this.encoder = encoder;
      this.encoded = encoder.encode(message, alloc);
    } else if (encoder != this.encoder) {
      throw new IllegalStateException("one delivery serves one wire encoding; got a second encoder");
    }
    return encoded;
  }

  void release() {
    if (encoded != null) {
      encoded.release();
      encoded = null;
    }
  }
}
