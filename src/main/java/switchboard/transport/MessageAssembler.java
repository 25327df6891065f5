package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import switchboard.pubsub.Utf8;

import java.nio.charset.StandardCharsets;

/**
 * Joins the fragments of one client message and checks it as it arrives: the size limit over all
 * fragments (close 1009 at once, not after buffering the rest) and, for text, UTF-8 across fragment
 * boundaries (close 1007; an invalid message is never delivered). A message in one frame is read from the
 * frame in place; fragments are copied into one buffer. Event-loop confined.
 */
final class MessageAssembler {

  enum Outcome { INCOMPLETE, COMPLETE, TOO_BIG, INVALID_UTF8 }

  private final int maxBytes;
  /** The fragments so far, or null for a message in one frame. */
  private ByteBuf parts;
  /** The payload of the completed message; valid until the frame is released. */
  private ByteBuf complete;
  private Utf8 utf8;
  private boolean text;
  private int size;

  MessageAssembler(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Takes the next data frame by its parts (the frame reader has checked their order): whether it continues a
   * message, starts a text one, ends the message, and its payload (read in place, valid until the frame is
   * released).
   */
  Outcome add(boolean continuation, boolean textFrame, boolean finalFragment, ByteBuf data) {
    if (!continuation) {
      text = textFrame;
      utf8 = text ? new Utf8() : null;
      size = 0;
      discard();
    }
    size += data.readableBytes();
    if (size > maxBytes) {
      discard();
      return Outcome.TOO_BIG;
    }
    if (text) {
      byte[] bytes = ByteBufUtil.getBytes(data);
      if (!utf8.accept(bytes, 0, bytes.length) || (finalFragment && !utf8.complete())) {
        discard();
        return Outcome.INVALID_UTF8;
      }
    }
    if (parts == null && finalFragment) {
      complete = data; // a message in one frame: no copy
      return Outcome.COMPLETE;
    }
    if (parts == null) {
      parts = Unpooled.buffer(Math.min(maxBytes, 4 * data.readableBytes() + 16));
    }
    parts.writeBytes(data, data.readerIndex(), data.readableBytes());
    if (!finalFragment) {
      return Outcome.INCOMPLETE;
    }
    complete = parts;
    parts = null;
    return Outcome.COMPLETE;
  }

  boolean isText() {
    return text;
  }

  /** The completed text message (valid UTF-8); call before the frame is released. */
  String text() {
    String message = complete.toString(StandardCharsets.UTF_8);
    complete = null;
    return message;
  }

  /** The completed binary message, copied out of the frame; call before the frame is released. */
  Buffer binary() {
    Buffer message = Buffer.buffer(ByteBufUtil.getBytes(complete));
    complete = null;
    return message;
  }

  private void discard() {
    parts = null; // heap buffers: nothing to release
    complete = null;
  }
}
