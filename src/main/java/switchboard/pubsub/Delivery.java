package switchboard.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One message on its way to the subscribers of one instance. Its wire bytes are encoded on first request,
 * once per {@link WireFormat}, and then shared: every subscriber of a format writes a
 * {@code retainedDuplicate()} of the same buffer (a view, no copy). The {@link Hub} releases the buffers
 * once all subscribers have written them. Event-loop confined.
 */
public final class Delivery {

  private final Message message;
  private final ByteBufAllocator alloc;
  // almost every channel has subscribers of one format: that one needs no array
  private WireFormat firstFormat;
  private ByteBuf first;
  private ByteBuf[] others;

  Delivery(Message message, ByteBufAllocator alloc) {
    this.message = message;
    this.alloc = alloc;
  }

  public Message message() {
    return message;
  }

  /**
   * The message as {@code format} carries it, encoded at most once per delivery. The buffer belongs to the
   * delivery: write {@code retainedDuplicate()} of it, never the buffer itself.
   */
  public ByteBuf encoded(WireFormat format) {
    if (first == null) {
      firstFormat = format;
      first = format.encode(message, alloc);
      return first;
    }
    if (format == firstFormat) {
      return first;
    }
    if (others == null) {
      others = new ByteBuf[WireFormat.MAX];
    }
    ByteBuf bytes = others[format.index()];
    if (bytes == null) {
      bytes = format.encode(message, alloc);
      others[format.index()] = bytes;
    }
    return bytes;
  }

  void release() {
    if (first != null) {
      first.release();
      first = null;
    }
    if (others != null) {
      for (int i = 0; i < others.length; i++) {
        if (others[i] != null) {
          others[i].release();
          others[i] = null;
        }
      }
    }
  }
}
