package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import switchboard.pubsub.Utf8;

/**
 * Reads a client's WebSocket frames (RFC 6455 §5.2) straight from its bytes, in place of Netty's
 * {@code WebSocket13FrameDecoder}: that decoder, its config and its pipeline context cost 168 bytes per
 * idle connection, this reader 24. It makes the same checks in the same order and names the same close
 * codes: reserved bits, unmasked frames, reserved opcodes, fragmented or long (over 125 bytes) control
 * frames, a continuation with no message or a new message inside one, a close with one byte, a close code
 * RFC 6455 reserves, a close reason that is not UTF-8 (1007), lengths that are not minimally encoded or
 * negative, and frames over {@code maxFrameBytes} (1009). A frame is handed on once all of it has arrived,
 * unmasked in place; the bytes of a frame still arriving are kept with Netty's merge cumulator (bounded by
 * the frame limit). After a close frame or a violation nothing more is read. Event-loop confined.
 */
final class ClientFrameReader {

  static final int OPCODE_CONTINUATION = 0x0;
  static final int OPCODE_TEXT = 0x1;
  static final int OPCODE_BINARY = 0x2;
  static final int OPCODE_CLOSE = 0x8;
  static final int OPCODE_PING = 0x9;
  static final int OPCODE_PONG = 0xA;

  /** What the reader hands on, one whole frame at a time; the payload is valid until the call returns. */
  interface Frames {
    void frame(int opcode, boolean finalFragment, ByteBuf payload);
  }

  /** The bytes of a frame that has not fully arrived, or null. */
  private ByteBuf partial;
  /** A text or binary frame without FIN came, and its final continuation has not. */
  private boolean inMessage;
  /** A close frame or a violation came: the rest of the input is discarded. */
  private boolean done;

  /**
   * Reads every whole frame in {@code in} (which it releases) and keeps the start of the next one.
   *
   * @throws CorruptedWebSocketFrameException at the first broken rule, with its close status; the reader
   *     then discards everything
   */
  void read(ByteBufAllocator alloc, ByteBuf in, int maxFrameBytes, Frames frames) {
    if (done) {
      in.release();
      return;
    }
    ByteBuf bytes = partial == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, partial, in);
    partial = null;
    try {
      while (!done && readFrame(bytes, maxFrameBytes, frames)) {
        // one whole frame handed on per pass
      }
    } catch (RuntimeException e) {
      done = true;
      bytes.release();
      throw e;
    }
    if (!done && bytes.isReadable()) {
      partial = bytes;
    } else {
      bytes.release();
    }
  }

  /** Gives back the bytes of a frame that will never complete (the connection ended). */
  void release() {
    if (partial != null) {
      partial.release();
      partial = null;
    }
    done = true;
  }

  /** Hands on the frame at the start of {@code bytes} if all of it is there; false if more must arrive. */
  private boolean readFrame(ByteBuf bytes, int maxFrameBytes, Frames frames) {
    int start = bytes.readerIndex();
    int available = bytes.readableBytes();
    if (available < 2) {
      return false;
    }
    int first = bytes.getUnsignedByte(start);
    int second = bytes.getUnsignedByte(start + 1);
    boolean fin = (first & 0x80) != 0;
    int opcode = first & 0x0F;
    int length7 = second & 0x7F;
    checkHeader(fin, (first & 0x70) >> 4, opcode, (second & 0x80) != 0, length7);
    int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    if (available < 2 + lengthBytes) {
      return false;
    }
    long length = length(bytes, start + 2, length7);
    if (length > maxFrameBytes) {
      throw violation(WebSocketCloseStatus.MESSAGE_TOO_BIG, "Max frame length of " + maxFrameBytes + " has been exceeded.");
    }
    int payloadStart = start + 2 + lengthBytes + 4;
    if (available < payloadStart - start + length) {
      return false;
    }
    int mask = bytes.getInt(payloadStart - 4);
    ByteBuf payload = bytes.slice(payloadStart, (int) length);
    unmask(payload, mask);
    bytes.readerIndex(payloadStart + (int) length);
    if (opcode == OPCODE_CLOSE) {
      checkCloseBody(payload);
      done = true;
    } else if (opcode < OPCODE_CLOSE) {
      inMessage = !fin;
    }
    frames.frame(opcode, fin, payload);
    return true;
  }

  /** The checks that the first two bytes allow, in the order of Netty's decoder. */
  private void checkHeader(boolean fin, int rsv, int opcode, boolean masked, int length7) {
    if (rsv != 0) {
      throw violation("RSV != 0 and no extension negotiated, RSV:" + rsv);
    }
    if (!masked) {
      throw violation("received a frame that is not masked as expected");
    }
    if (opcode > 7) {
      if (!fin) {
        throw violation("fragmented control frame");
      }
      if (length7 > 125) {
        throw violation("control frame with payload length > 125 octets");
      }
      if (opcode != OPCODE_CLOSE && opcode != OPCODE_PING && opcode != OPCODE_PONG) {
        throw violation("control frame using reserved opcode " + opcode);
      }
      if (opcode == OPCODE_CLOSE && length7 == 1) {
        throw violation("received close control frame with payload len 1");
      }
    } else {
      if (opcode != OPCODE_CONTINUATION && opcode != OPCODE_TEXT && opcode != OPCODE_BINARY) {
        throw violation("data frame using reserved opcode " + opcode);
      }
      if (!inMessage && opcode == OPCODE_CONTINUATION) {
        throw violation("received continuation data frame outside fragmented message");
      }
      if (inMessage && opcode != OPCODE_CONTINUATION) {
        throw violation("received non-continuation data frame while inside fragmented message");
      }
    }
  }

  /** The payload length, from the 7 bits of the second byte or the 2 or 8 bytes after it. */
  private static long length(ByteBuf bytes, int at, int length7) {
    if (length7 == 126) {
      int length = bytes.getUnsignedShort(at);
      if (length < 126) {
        throw violation("invalid data frame length (not using minimal length encoding)");
      }
      return length;
    }
    if (length7 == 127) {
      long length = bytes.getLong(at);
      if (length < 0) {
        throw violation("invalid data frame length (negative length)");
      }
      if (length < 65536) {
        throw violation("invalid data frame length (not using minimal length encoding)");
      }
      return length;
    }
    return length7;
  }

  /** A close's code must be one RFC 6455 allows on the wire, and its reason UTF-8 (else 1007). */
  private static void checkCloseBody(ByteBuf payload) {
    if (payload.readableBytes() < 2) {
      return;
    }
    int code = payload.getUnsignedShort(payload.readerIndex());
    boolean allowed = code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000;
    if (!allowed) {
      throw violation("Invalid close frame getStatus code: " + code);
    }
    if (payload.readableBytes() > 2) {
      byte[] reason = new byte[payload.readableBytes() - 2];
      payload.getBytes(payload.readerIndex() + 2, reason);
      Utf8 utf8 = new Utf8();
      if (!utf8.accept(reason, 0, reason.length) || !utf8.complete()) {
        throw violation(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "bytes are not UTF-8");
      }
    }
  }

  /** XORs the payload with the client's 4-byte mask, 8 bytes at a time. */
  private static void unmask(ByteBuf payload, int mask) {
    if (mask == 0) {
      return;
    }
    int i = payload.readerIndex();
    int end = payload.writerIndex();
    long longMask = (mask & 0xFFFFFFFFL) | (long) mask << 32;
    for (; i + 8 <= end; i += 8) {
      payload.setLong(i, payload.getLong(i) ^ longMask);
    }
    if (i + 4 <= end) {
      payload.setInt(i, payload.getInt(i) ^ mask);
      i += 4;
    }
    for (int shift = 24; i < end; i++, shift -= 8) {
      payload.setByte(i, payload.getByte(i) ^ (mask >>> shift));
    }
  }

  private static CorruptedWebSocketFrameException violation(String message) {
    return violation(WebSocketCloseStatus.PROTOCOL_ERROR, message);
  }

  private static CorruptedWebSocketFrameException violation(WebSocketCloseStatus status, String message) {
    return new CorruptedWebSocketFrameException(status, message);
  }
}
