package switchboard.pubsub;

import java.util.Arrays;

/**
 * A message's bytes in Redis. Payloads are raw, so any Redis client can PUBLISH text or binary and
 * SUBSCRIBE to watch (DESIGN.md); text is what is valid UTF-8. A binary message that would read as text
 * (valid UTF-8, the empty message included) or that starts with the mark goes behind the 4-byte mark
 * {@code FF 53 42 00}, which no UTF-8 text can start with, so its frame type is the same on every path:
 * through Redis or, while Redis is down, on this host only. Thread-safe (stateless).
 */
final class RedisPayload {

  /** 0xFF never occurs in UTF-8; "SB" and NUL make a raw binary payload starting with it unlikely. */
  static final byte[] BINARY_MARK = {(byte) 0xFF, 'S', 'B', 0};

  private RedisPayload() {
  }

  /** The bytes to PUBLISH for {@code message}. */
  static byte[] encode(Message message) {
    byte[] payload = new byte[message.size()];
    message.payload().get(payload);
    if (message.isText() || !(Utf8.isValid(payload) || startsWithMark(payload))) {
      return payload;
    }
    byte[] marked = Arrays.copyOf(BINARY_MARK, BINARY_MARK.length + payload.length);
    System.arraycopy(payload, 0, marked, BINARY_MARK.length, payload.length);
    return marked;
  }

  /** The message a payload from Redis stands for: marked binary, else text when valid UTF-8, else binary. */
  static Message decode(String channel, byte[] payload) {
    if (startsWithMark(payload)) {
      return Message.binary(channel, Arrays.copyOfRange(payload, BINARY_MARK.length, payload.length));
    }
    return Message.detect(channel, payload);
  }

  private static boolean startsWithMark(byte[] payload) {
    return payload.length >= BINARY_MARK.length && Arrays.equals(payload, 0, BINARY_MARK.length, BINARY_MARK, 0, BINARY_MARK.length);
  }
}
