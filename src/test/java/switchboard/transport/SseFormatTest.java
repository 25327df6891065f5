package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import switchboard.pubsub.Message;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An SSE delivery is a whole HTTP chunk: its size line must match the event it carries, at every size. */
class SseFormatTest {

  private static final Pattern CHUNK = Pattern.compile("([0-9a-f]+)\r\n(id: ([1-9][0-9]*)\n(?s:.*)\n\n)\r\n");

  private static String encoded(Message message) {
    ByteBuf chunk = SseFormat.encode(message, UnpooledByteBufAllocator.DEFAULT);
    try {
      return chunk.toString(StandardCharsets.UTF_8);
    } finally {
      chunk.release();
    }
  }

  @Test
  void everyEventIsOneChunkWhoseSizeLineCountsItsBytes() {
    long lastId = 0;
    for (int n : new int[] {0, 1, 2, 15, 16, 17, 255, 256, 4095, 4096, 65535, 65536, 1 << 20}) {
      String text = "é".repeat(n / 2) + "x".repeat(n % 2); // two UTF-8 bytes per é: sizes count bytes
      Matcher chunk = CHUNK.matcher(encoded(Message.text("c", text)));
      assertTrue(chunk.matches(), "a chunk for " + n + " bytes");
      assertEquals(Integer.parseInt(chunk.group(1), 16), chunk.group(2).getBytes(StandardCharsets.UTF_8).length,
          "the size line of the event of " + n + " bytes");
      assertTrue(chunk.group(2).endsWith("data: " + text + "\n\n"));
      long id = Long.parseLong(chunk.group(3));
      assertTrue(id > lastId, "ids increase: " + id + " after " + lastId);
      lastId = id;
    }
  }

  @Test
  void linesBecomeDataLinesAndBinaryGoesAsBase64() {
    assertTrue(encoded(Message.text("c", "a\r\nb\nc\rd")).endsWith("\ndata: a\ndata: b\ndata: c\ndata: d\n\n\r\n"));
    assertTrue(encoded(Message.binary("c", new byte[] {(byte) 0xFF, 0, 1})).endsWith("\nevent: binary\ndata: /wAB\n\n\r\n"));
  }

  @Test
  void theEventAloneIsTheChunkWithoutItsFraming() {
    ByteBuf chunk = SseFormat.encode(Message.text("c", "hello"), UnpooledByteBufAllocator.DEFAULT);
    try {
      String event = SseFormat.event(chunk).toString(StandardCharsets.UTF_8);
      assertTrue(event.matches("id: [1-9][0-9]*\ndata: hello\n\n"), event);
    } finally {
      chunk.release();
    }
  }

  @Test
  void aClosingCommentStaysOnOneLine() {
    assertEquals(": closed 1001 going\r away\n\n".replace("\r", " "), SseFormat.closingComment((short) 1001, "going\r away"));
  }
}
