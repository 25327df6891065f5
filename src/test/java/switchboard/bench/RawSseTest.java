package switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tool's event-stream reader, fed a real response split at every point: whole chunks are read where they
 * lie, split ones through the line buffer, and either way each data line arrives once, whole, in order.
 */
class RawSseTest {

  private static final String HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";

  /** Events as the server frames them (one per chunk), and the cases it does not send but HTTP allows. */
  private static final String BODY = chunk("retry: 3000\n\n")
      + chunk("id: 1\ndata: #1 first\n\n")
      + chunk(": ping\n\n")
      + chunk("id: 2\ndata: #2 two lines\ndata: #3 second line\n\n")
      + chunk("id: 3\ndata: #4 two events\n\nid: 4\ndata: #5 in one chunk\n\n")
      + "8;ext=1\r\nid: 5\nda\r\n" + chunk("ta: #6 an event over two chunks\n\n")
      + chunk("data:no space is not the tool's format\n\n")
      + chunk("id: 6\ndata: " + "x".repeat(300) + "\n\n")
      + "1A\r\nid: 7\ndata: #8 upper hex\n\n\r\n"; // 26 bytes, its size in upper-case hex

  private static final List<String> EXPECTED = List.of("#1 first", "#2 two lines", "#3 second line", "#4 two events",
      "#5 in one chunk", "#6 an event over two chunks", "x".repeat(300), "#8 upper hex");

  private static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
  }

  @Test
  void everyDataLineArrivesOnceWholeAndInOrderWhereverTheBytesAreSplit() {
    byte[] bytes = (HEAD + BODY).getBytes(StandardCharsets.US_ASCII);
    for (int first = 1; first < bytes.length; first++) {
      for (int step : new int[] {1, 7, bytes.length}) {
        List<String> got = read(bytes, first, step);
        assertEquals(EXPECTED, got, "split first at " + first + ", then every " + step + " bytes");
      }
    }
  }

  @Test
  void aStreamThatIsRefusedFailsTheConnect() {
    List<String> got = new ArrayList<>();
    RawSse sse = new RawSse("127.0.0.1:1", "/", (buffer, from, to, now) -> got.add(buffer.toString(from, to - from, StandardCharsets.UTF_8)));
    EmbeddedChannel channel = new EmbeddedChannel(sse);
    channel.writeInbound(PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(
        "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    channel.finishAndReleaseAll();
    assertTrue(got.isEmpty());
    assertTrue(sse.closed().isDone(), "the refused stream is closed");
  }

  /** Feeds {@code bytes} in pooled direct buffers (as the socket gives them): {@code first} bytes, then {@code step} at a time. */
  private static List<String> read(byte[] bytes, int first, int step) {
    List<String> got = new ArrayList<>();
    EmbeddedChannel channel = new EmbeddedChannel(new RawSse("127.0.0.1:1", "/",
        (buffer, from, to, now) -> got.add(buffer.toString(from, to - from, StandardCharsets.UTF_8))));
    channel.releaseOutbound(); // the request
    List<ByteBuf> fed = new ArrayList<>();
    for (int at = 0; at < bytes.length; ) {
      int n = Math.min(at == 0 ? first : step, bytes.length - at);
      ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(bytes, at, n);
      fed.add(in);
      channel.writeInbound(in);
      at += n;
    }
    channel.finishAndReleaseAll();
    for (ByteBuf in : fed) {
      assertEquals(0, in.refCnt(), "every buffer the socket gave is released");
    }
    return got;
  }
}
