package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import switchboard.pubsub.Message;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Frame headers at every length boundary of RFC 6455 §5.2. */
class WebSocketFramesTest {

  private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

  private static ByteBuf frameOf(int length, boolean text) {
    byte[] payload = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
    Message m = text ? Message.text("c", new String(payload, StandardCharsets.US_ASCII)) : Message.binary("c", payload);
    return WebSocketFrames.encode(m, ALLOC);
  }

  @Test
  void shortPayloadsUseTheSevenBitLength() {
    ByteBuf frame = frameOf(125, true);
    assertEquals(0x81, frame.getUnsignedByte(0), "FIN + text");
    assertEquals(125, frame.getUnsignedByte(1), "unmasked, 7-bit length");
    assertEquals(2 + 125, frame.readableBytes());
    frame.release();
  }

  @Test
  void payloadsFrom126To65535UseTheSixteenBitLength() {
    for (int length : new int[] {126, 65535}) {
      ByteBuf frame = frameOf(length, false);
      assertEquals(0x82, frame.getUnsignedByte(0), "FIN + binary");
      assertEquals(126, frame.getUnsignedByte(1));
      assertEquals(length, frame.getUnsignedShort(2));
      assertEquals(4 + length, frame.readableBytes());
      frame.release();
    }
  }

  @Test
  void longerPayloadsUseTheSixtyFourBitLength() {
    ByteBuf frame = frameOf(65536, true);
    assertEquals(127, frame.getUnsignedByte(1));
    assertEquals(65536L, frame.getLong(2));
    assertEquals(10 + 65536, frame.readableBytes());
    frame.release();
  }

  @Test
  void textWritesTheUtf8Bytes() {
    ByteBuf frame = WebSocketFrames.text(ALLOC, "é");
    assertEquals(2, frame.getUnsignedByte(1));
    assertEquals("é", frame.toString(2, 2, StandardCharsets.UTF_8));
    frame.release();
  }
}
