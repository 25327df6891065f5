package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import switchboard.pubsub.Message;
import switchboard.pubsub.WireFormat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A message as one Server-Sent Event (the HTML living standard's event stream), encoded once and shared by
 * every SSE subscriber of an instance, framed as the HTTP chunk that carries it: the chunk's size line, the
 * event, the chunk's CRLF. On the fast path a delivery to an event stream is then what it is to a WebSocket,
 * one shared buffer written as it is ({@link SseOutbound}); {@link #event} is the event alone.
 *
 * <p>The event: an {@code id:} line, then text in {@code data:} lines, one per line of the message (a line
 * break is CRLF, LF or CR), which EventSource joins back with LF; binary goes base64 in an event of type
 * {@code binary}. The id is the node's event number, taken when the message is encoded: a property of the
 * message, the same for every subscriber, so that it is encoded once. A connection's events are encoded in
 * the order it gets them (on its event loop), so its ids always increase. When history lands, the id
 * becomes the message's position in its channel's stream, for {@code Last-Event-ID}.
 */
public final class SseFormat {

  public static final WireFormat FORMAT = WireFormat.of("sse", SseFormat::encode);
  private static final AtomicLong EVENT_NUMBERS = new AtomicLong();
  private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BINARY = "event: binary\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** The chunk's size line at most: 7 hex digits (chunks are far below 256 MiB) and CRLF. */
  private static final int SIZE_LINE_MAX = 7 + 2;

  private SseFormat() {
  }

  static ByteBuf encode(Message message, ByteBufAllocator alloc) {
    ByteBuf chunk = alloc.directBuffer(SIZE_LINE_MAX + 32 + message.size() * (message.isText() ? 1 : 2));
    chunk.writerIndex(SIZE_LINE_MAX); // the size line goes in front once the event's size is known
    chunk.writeBytes(ID).writeCharSequence(Long.toString(EVENT_NUMBERS.incrementAndGet()), StandardCharsets.US_ASCII);
    chunk.writeByte('\n');
    if (!message.isText()) {
      byte[] payload = new byte[message.size()];
      message.payload().get(payload);
      chunk.writeBytes(BINARY).writeBytes(DATA).writeBytes(Base64.getEncoder().encode(payload)).writeByte('\n');
    } else {
      for (String line : message.textValue().split("\r\n|\n|\r", -1)) {
        chunk.writeBytes(DATA).writeCharSequence(line, StandardCharsets.UTF_8);
        chunk.writeByte('\n');
      }
    }
    chunk.writeByte('\n'); // the blank line that ends the event
    int eventBytes = chunk.writerIndex() - SIZE_LINE_MAX;
    chunk.writeByte('\r').writeByte('\n');
    int start = SIZE_LINE_MAX - 2;
    chunk.setByte(start, '\r').setByte(start + 1, '\n');
    for (int size = eventBytes; size != 0 || start == SIZE_LINE_MAX - 2; size >>>= 4) {
      chunk.setByte(--start, HEX[size & 0xF]);
    }
    return chunk.readerIndex(start);
  }

  /** The heartbeat: a comment, which EventSource ignores. */
  static final String PING = ": ping\n\n";

  /** What ends a stream: SSE has no close code, so the code and reason go in a comment, on one line. */
  static String closingComment(short code, String reason) {
    return ": closed " + code + " " + reason.replaceAll("[\r\n]", " ") + "\n\n";
  }

  /** The event in {@code chunk} (a view, no copy): without the chunk's size line and closing CRLF. */
  static ByteBuf event(ByteBuf chunk) {
    int start = chunk.readerIndex() + chunk.bytesBefore((byte) '\n') + 1;
    return chunk.slice(start, chunk.writerIndex() - 2 - start);
  }
}
