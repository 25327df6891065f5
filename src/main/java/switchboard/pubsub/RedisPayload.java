package switchboard.pubsub;

import switchboard.app.Published;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A message's bytes in Redis. Payloads are raw, so any Redis client can PUBLISH text or binary and
 * SUBSCRIBE to watch (DESIGN.md); text is what is valid UTF-8. A binary message that would read as text
 * (valid UTF-8, the empty message included) or that starts with the mark goes behind the 4-byte mark
 * {@code FF 53 42 00}, which no UTF-8 text can start with, so its frame type is the same on every path:
 * through Redis or, while Redis is down, on this host only.
 *
 * <p>A message that is more than a plain publication (it names its publisher, or announces a join or leave)
 * goes behind the mark {@code FF 53 42 01}: then one byte for its kind, one for text (1) or binary (0), the
 * publisher's JSON length (4 bytes, big-endian, -1 for none) and text, and the payload. Raw Redis clients
 * see such messages with that header; a plain publication is never wrapped. Thread-safe (stateless).
 */
final class RedisPayload {

  /** 0xFF never occurs in UTF-8; "SB" and NUL make a raw binary payload starting with it unlikely. */
  static final byte[] BINARY_MARK = {(byte) 0xFF, 'S', 'B', 0};
  static final byte[] EXTENDED_MARK = {(byte) 0xFF, 'S', 'B', 1};

  private RedisPayload() {
  }

  /** The bytes to PUBLISH for {@code message}. */
  static byte[] encode(Message message) {
    byte[] payload = new byte[message.size()];
    message.payload().get(payload);
    if (!message.isPlain()) {
      byte[] publisher = message.publisher() == null ? null : message.publisher().getBytes(StandardCharsets.UTF_8);
      ByteBuffer out = ByteBuffer.allocate(EXTENDED_MARK.length + 6 + (publisher == null ? 0 : publisher.length) + payload.length);
      out.put(EXTENDED_MARK).put((byte) message.kind().ordinal()).put((byte) (message.isText() ? 1 : 0))
          .putInt(publisher == null ? -1 : publisher.length);
      if (publisher != null) {
        out.put(publisher);
      }
      return out.put(payload).array();
    }
    if (message.isText() || !(Utf8.isValid(payload) || startsWithMark(payload))) {
      return payload;
    }
    byte[] marked = Arrays.copyOf(BINARY_MARK, BINARY_MARK.length + payload.length);
    System.arraycopy(payload, 0, marked, BINARY_MARK.length, payload.length);
    return marked;
  }

  /** The message a payload from Redis stands for: marked binary, else text when valid UTF-8, else binary. */
  static Message decode(String channel, byte[] payload) {
    if (startsWith(payload, EXTENDED_MARK)) {
      Message extended = extended(channel, payload);
      if (extended != null) {
        return extended;
      }
    }
    if (startsWithMark(payload)) {
      return Message.binary(channel, Arrays.copyOfRange(payload, BINARY_MARK.length, payload.length));
    }
    return Message.detect(channel, payload);
  }

  /** The message behind the extended mark, or null when the header does not hold together (taken as raw bytes). */
  private static Message extended(String channel, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes, EXTENDED_MARK.length, bytes.length - EXTENDED_MARK.length);
    if (in.remaining() < 6) {
      return null;
    }
    int kind = in.get();
    boolean text = in.get() == 1;
    int length = in.getInt();
    if (kind < 0 || kind >= Published.Kind.values().length || length < -1 || length > in.remaining()) {
      return null;
    }
    String publisher = null;
    if (length >= 0) {
      publisher = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
      in.position(in.position() + length);
    }
    return Message.of(channel, Arrays.copyOfRange(bytes, in.position(), bytes.length), text, Published.Kind.values()[kind], publisher);
  }

  private static boolean startsWithMark(byte[] payload) {
    return startsWith(payload, BINARY_MARK);
  }

  private static boolean startsWith(byte[] payload, byte[] mark) {
    return payload.length >= mark.length && Arrays.equals(payload, 0, mark.length, mark, 0, mark.length);
  }
}
