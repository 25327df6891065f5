package switchboard.pubsub;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes a {@link Message} between verticle instances by reference. The stock Buffer codec copies the
 * bytes for every consumer; a Message is immutable, so the same object can go to all of them. Local only:
 * it refuses to encode for the wire.
 */
public final class LocalMessageCodec implements MessageCodec<Message, Message> {

  public static final String NAME = "switchboard-message";

  @Override
  public void encodeToWire(Buffer buffer, Message message) {
    throw new UnsupportedOperationException("switchboard messages never leave the JVM through the event bus");
  }

  @Override
  public Message decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("switchboard messages never leave the JVM through the event bus");
  }

  @Override
  public Message transform(Message message) {
    return message;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
