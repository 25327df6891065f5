package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import switchboard.pubsub.WireFormat;
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
  static final int OPCODE_CLOSE = 0x8;
  static final int OPCODE_PING = 0x9;
  static final int OPCODE_PONG = 0xA;

  /** A published message as one complete frame (text or binary, as published), shared by all WebSocket subscribers. */
  public static final WireFormat FORMAT = WireFormat.of("websocket", WebSocketFrames::encode);

  /** Encodes one message as {@link #FORMAT} does (tests, tools). */
  public static ByteBuf encode(Message message, ByteBufAllocator alloc) {
    ByteBuf frame = header(alloc, message.isText() ? OPCODE_TEXT : OPCODE_BINARY, message.size());
    message.writePayloadTo(frame);
    return frame;
  }

  private WebSocketFrames() {
  }

  public static ByteBuf text(ByteBufAllocator alloc, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return header(alloc, OPCODE_TEXT, bytes.length).writeBytes(bytes);
  }

  public static ByteBuf binary(ByteBufAllocator alloc, ByteBuf payload) {
    return control(alloc, OPCODE_BINARY, payload);
  }

  /** A close frame with a status code and a reason (at most 123 bytes of UTF-8: the caller's duty). */
  static ByteBuf close(ByteBufAllocator alloc, int code, String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    return header(alloc, OPCODE_CLOSE, 2 + bytes.length).writeShort(code).writeBytes(bytes);
  }

  static ByteBuf ping(ByteBufAllocator alloc, byte[] payload) {
    return header(alloc, OPCODE_PING, payload.length).writeBytes(payload);
  }

  /** A frame carrying {@code payload} as is (e.g. a pong answering a ping, a close echoing the client's). */
  static ByteBuf control(ByteBufAllocator alloc, int opcode, ByteBuf payload) {
    int length = payload.readableBytes();
    return header(alloc, opcode, length).writeBytes(payload, payload.readerIndex(), length);
  }

  /** Whether a frame built here is a text frame (for a transport that must pass messages, not frames). */
  static boolean isText(ByteBuf frame) {
    return (frame.getByte(frame.readerIndex()) & 0x0F) == OPCODE_TEXT;
  }

  /** The payload of a frame built here, as a view of its bytes (no copy). */
  static ByteBuf payload(ByteBuf frame) {
    int length = frame.getByte(frame.readerIndex() + 1) & 0x7F;
    int headerSize = length < 126 ? 2 : length == 126 ? 4 : 10;
    return frame.slice(frame.readerIndex() + headerSize, frame.readableBytes() - headerSize);
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
