package switchboard.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import switchboard.pubsub.Utf8;

import java.nio.charset.StandardCharsets;

/**
 * Joins the fragments of one client message and checks it as it arrives: the size limit over all
 * fragments (close 1009 at once, not after buffering the rest) and, for text, UTF-8 across fragment
 * boundaries (close 1007; an invalid message is never delivered). Vert.x's own aggregation replaces
 * invalid UTF-8 with U+FFFD and never answers an over-long fragmented message. Event-loop confined.
 */
final class MessageAssembler {

  enum Outcome { INCOMPLETE, COMPLETE, TOO_BIG, INVALID_UTF8 }

  private final int maxBytes;
  private Buffer parts;
  private Utf8 utf8;
  private boolean text;
  private int size;

  MessageAssembler(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Takes the next data frame (text, binary or continuation; the decoder has checked their order). */
  Outcome add(WebSocketFrame frame) {
    Buffer data = frame.binaryData();
    if (!frame.isContinuation()) {
      text = frame.isText();
      utf8 = text ? new Utf8() : null;
      size = 0;
      parts = frame.isFinal() ? null : Buffer.buffer(Math.min(maxBytes, 4 * data.length() + 16));
    }
    size += data.length();
    if (size > maxBytes) {
      parts = null;
      return Outcome.TOO_BIG;
    }
    if (text) {
      byte[] bytes = data.getBytes();
      if (!utf8.accept(bytes, 0, bytes.length) || (frame.isFinal() && !utf8.complete())) {
        parts = null;
        return Outcome.INVALID_UTF8;
      }
    }
    if (parts != null) {
      parts.appendBuffer(data);
    } else {
      parts = data; // a single-frame message: no copy
    }
    return frame.isFinal() ? Outcome.COMPLETE : Outcome.INCOMPLETE;
  }

  boolean isText() {
    return text;
  }

  /** The completed text message (valid UTF-8). */
  String text() {
    String message = parts.toString(StandardCharsets.UTF_8);
    parts = null;
    return message;
  }

  /** The completed binary message. */
  Buffer binary() {
    Buffer message = parts;
    parts = null;
    return message;
  }
}
