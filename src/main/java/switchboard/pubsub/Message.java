package switchboard.pubsub;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One published message: a channel and an immutable payload, text (UTF-8) or binary. It is created once
 * per publish and passed by reference to every instance (see {@link LocalMessageCodec}); nothing copies
 * the payload again before it is framed for the wire. Safe to share between threads.
 */
public final class Message {

  private final String channel;
  private final byte[] payload;
  private final boolean text;
  private final long enteredNanos = System.nanoTime();

  private Message(String channel, byte[] payload, boolean text) {
    this.channel = channel;
    this.payload = payload;
    this.text = text;
  }

  /** When the message entered this JVM (System.nanoTime), for the publish-to-delivery latency. */
  public long enteredNanos() {
    return enteredNanos;
  }

  public static Message text(String channel, String text) {
    return new Message(channel, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** A binary message; the array is taken over, not copied: the caller must not change it afterwards. */
  public static Message binary(String channel, byte[] bytes) {
    return new Message(channel, bytes, false);
  }

  /** Text when the bytes are valid UTF-8, binary otherwise (for payloads from outside, e.g. Redis). */
  public static Message detect(String channel, byte[] bytes) {
    return new Message(channel, bytes, Utf8.isValid(bytes));
  }

  public String channel() {
    return channel;
  }

  public boolean isText() {
    return text;
  }

  /** Payload size in bytes. */
  public int size() {
    return payload.length;
  }

  /** The payload decoded as UTF-8 (for logs and tests; the delivery path never decodes). */
  public String textValue() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** A read-only copy-free view of the payload. */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  public void writePayloadTo(ByteBuf target) {
    target.writeBytes(payload);
  }

  @Override
  public String toString() {
    return "Message[" + channel + ", " + payload.length + " bytes, " + (text ? "text" : "binary") + "]";
  }
}
