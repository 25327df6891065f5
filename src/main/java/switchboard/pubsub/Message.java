package switchboard.pubsub;

import io.netty.buffer.ByteBuf;
import switchboard.app.Published;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One published message: a channel and an immutable payload, text (UTF-8) or binary. It is created once
 * per publish and passed by reference to every instance (see {@link LocalMessageCodec}); nothing copies
 * the payload again before it is framed for the wire. Safe to share between threads.
 */
public final class Message implements Published {

  private final String channel;
  private final byte[] payload;
  private final boolean text;
  private final Kind kind;
  private final String publisher;
  private final long enteredNanos = System.nanoTime();

  private Message(String channel, byte[] payload, boolean text) {
    this(channel, payload, text, Kind.PUBLICATION, null);
  }

  private Message(String channel, byte[] payload, boolean text, Kind kind, String publisher) {
    this.channel = channel;
    this.payload = payload;
    this.text = text;
    this.kind = kind;
    this.publisher = publisher;
  }

  /** This publication with who published it (a JSON object's text; null for nobody in particular). */
  public Message from(String publisher) {
    return new Message(channel, payload, text, kind, publisher);
  }

  /** That {@code who} (a JSON object's text) joined or left {@code channel}. */
  public static Message announcement(String channel, Kind kind, String who) {
    return new Message(channel, who.getBytes(StandardCharsets.UTF_8), true, kind, null);
  }

  /** A message as {@link RedisPayload} carries it: every field given. */
  static Message of(String channel, byte[] payload, boolean text, Kind kind, String publisher) {
    return new Message(channel, payload, text, kind, publisher);
  }

  @Override
  public Kind kind() {
    return kind;
  }

  /** True for a publication without a publisher: what raw Redis clients publish and see. */
  boolean isPlain() {
    return kind == Kind.PUBLICATION && publisher == null;
  }

  @Override
  public String publisher() {
    return publisher;
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

  @Override
  public String channel() {
    return channel;
  }

  @Override
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
  @Override
  public ByteBuffer payload() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  public void writePayloadTo(ByteBuf target) {
    target.writeBytes(payload);
  }

  @Override
  public String toString() {
    return "Message[" + channel + ", " + (kind == Kind.PUBLICATION ? "" : kind + ", ") + payload.length + " bytes, "
        + (text ? "text" : "binary") + "]";
  }
}
