package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import switchboard.pubsub.Message;
import switchboard.pubsub.WireFormat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A message as one Server-Sent Event (the HTML living standard's event stream), encoded once and shared by
 * every SSE subscriber of an instance. Text goes in {@code data:} lines, one per line of the message (a
 * line break is CRLF, LF or CR), which EventSource joins back with LF; binary goes base64 in an event of
 * type {@code binary}. The per-connection {@code id:} line is written before it by {@link SseOutbound}.
 */
public final class SseFormat {

  public static final WireFormat FORMAT = WireFormat.of("sse", SseFormat::encode);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BINARY = "event: binary\n".getBytes(StandardCharsets.US_ASCII);

  private SseFormat() {
  }

  static ByteBuf encode(Message message, ByteBufAllocator alloc) {
    ByteBuf event = alloc.directBuffer(message.size() + 16);
    if (!message.isText()) {
      byte[] payload = new byte[message.size()];
      message.payload().get(payload);
      event.writeBytes(BINARY).writeBytes(DATA).writeBytes(Base64.getEncoder().encode(payload)).writeByte('\n');
      return event.writeByte('\n');
    }
    String text = message.textValue();
    for (String line : text.split("\r\n|\n|\r", -1)) {
      event.writeBytes(DATA).writeCharSequence(line, StandardCharsets.UTF_8);
      event.writeByte('\n');
    }
    return event.writeByte('\n');
  }
}
