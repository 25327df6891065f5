package switchboard.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Turns a message into the exact bytes one transport puts on the wire (a WebSocket frame, an SSE event). */
@FunctionalInterface
public interface FrameEncoder {

  /** A new buffer (reference count 1) holding the encoded message. */
  ByteBuf encode(Message message, ByteBufAllocator alloc);
}
