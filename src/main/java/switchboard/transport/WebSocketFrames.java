package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import switchboard.pubsub.FrameEncoder;
import switchboard.pubsub.Message;

import java.nio.charset.StandardCharsets;

/**
 * Builds complete server-to-client WebSocket frames (RFC 6455 §5.2: FIN set, unmasked, no extensions), so
 * one buffer can be written as-is to many sockets. Netty's encoder would rebuild the header and copy small
 * payloads once per socket.
 */
public final class WebSocketFrames {

  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_BINARY = 0x2;

  /** Encodes a published message once, for all WebSocket subscribers of an instance. */
  public static final FrameEncoder ENCODER = (message, alloc) -> {
    ByteBuf frame = header(alloc, message.isText() ? OPCODE_TEXT : OPCODE_BINARY, message.size());
    message.writePayloadTo(frame);
    return frame;
  };

  private WebSocketFrames() {
  }

  public static ByteBuf text(ByteBufAllocator alloc, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return header(alloc, OPCODE_TEXT, bytes.length).writeBytes(bytes);
  }

  public static ByteBuf binary(ByteBufAllocator alloc, ByteBuf payload) {
    int length = payload.readableBytes();
    return header(alloc, OPCODE_BINARY, length).writeBytes(payload, payload.readerIndex(), length);
  }

  /** A direct buffer sized for the whole frame, holding the header; the caller appends the payload. */
  static ByteBuf header(ByteBufAllocator alloc, int opcode, int length) {
    int headerSize = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf frame = alloc.directBuffer(headerSize + length);
    frame.writeByte(0x80 | opcode);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    return frame;
  }
}
