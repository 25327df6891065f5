package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The frame reader on real pooled buffers: every split of the input gives the same frames, payloads are
 * unmasked for every length around the 8- and 4-byte steps, and every buffer it was given is released.
 * The close codes of broken frames are checked over a socket by ConformanceIT and FrameFuzzIT.
 */
class ClientFrameReaderTest {

  private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
  private static final int MAX = 65_536;

  private record Frame(int opcode, boolean fin, byte[] payload) {
  }

  @Test
  void everySplitOfTheInputGivesTheSameFramesAndReleasesEveryBuffer() {
    Random random = new Random(7);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<Frame> sent = new ArrayList<>();
    for (int length : new int[] {0, 1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 125, 126, 127, 1000, 65_535, 65_536}) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      sent.add(new Frame(ClientFrameReader.OPCODE_BINARY, true, payload));
      wire.writeBytes(masked(0x82, payload, random.nextInt()));
    }
    byte[] ping = "are you there".getBytes(StandardCharsets.US_ASCII);
    sent.add(new Frame(ClientFrameReader.OPCODE_PING, true, ping));
    wire.writeBytes(masked(0x89, ping, 0)); // a zero mask is legal
    byte[] bytes = wire.toByteArray();

    for (int chunk : new int[] {1, 2, 3, 7, 100, 4096, bytes.length}) {
      ClientFrameReader reader = new ClientFrameReader();
      List<Frame> got = new ArrayList<>();
      List<ByteBuf> given = new ArrayList<>();
      for (int at = 0; at < bytes.length; at += chunk) {
        ByteBuf in = ALLOC.directBuffer(chunk).writeBytes(bytes, at, Math.min(chunk, bytes.length - at));
        given.add(in);
        reader.read(ALLOC, in, MAX, (opcode, fin, payload) -> got.add(new Frame(opcode, fin, bytesOf(payload))));
      }
      assertEquals(sent.size(), got.size(), "frames read in chunks of " + chunk);
      for (int i = 0; i < sent.size(); i++) {
        assertEquals(sent.get(i).opcode(), got.get(i).opcode());
        assertEquals(sent.get(i).fin(), got.get(i).fin());
        assertArrayEquals(sent.get(i).payload(), got.get(i).payload(), "frame " + i + " in chunks of " + chunk);
      }
      for (ByteBuf in : given) {
        assertEquals(0, in.refCnt(), "every buffer the reader was given is released (chunks of " + chunk + ")");
      }
    }
  }

  @Test
  void aFrameStillArrivingIsReleasedWhenTheConnectionEnds() {
    ClientFrameReader reader = new ClientFrameReader();
    byte[] frame = masked(0x81, new byte[300], 0x01020304);
    ByteBuf in = ALLOC.directBuffer().writeBytes(frame, 0, 100);
    reader.read(ALLOC, in, MAX, (opcode, fin, payload) -> {
      throw new AssertionError("no whole frame yet");
    });
    reader.release();
    assertEquals(0, in.refCnt());
  }

  @Test
  void afterABrokenFrameEverythingIsDiscardedAndReleased() {
    ClientFrameReader reader = new ClientFrameReader();
    ByteBuf broken = ALLOC.directBuffer().writeBytes(masked(0x83, new byte[2], 5)); // reserved opcode 3
    CorruptedWebSocketFrameException e = assertThrows(CorruptedWebSocketFrameException.class,
        () -> reader.read(ALLOC, broken, MAX, (opcode, fin, payload) -> { }));
    assertEquals(1002, e.closeStatus().code());
    assertEquals(0, broken.refCnt());
    ByteBuf after = ALLOC.directBuffer().writeBytes(masked(0x81, new byte[] {'x'}, 5));
    reader.read(ALLOC, after, MAX, (opcode, fin, payload) -> {
      throw new AssertionError("nothing is read after a violation");
    });
    assertEquals(0, after.refCnt());
  }

  @Test
  void aLengthOverTheLimitIsRefusedBeforeThePayloadArrives() {
    ClientFrameReader reader = new ClientFrameReader();
    ByteBuf header = ALLOC.directBuffer().writeBytes(new byte[] {(byte) 0x82, (byte) (0x80 | 126), 0x01, 0x00}); // 256
    CorruptedWebSocketFrameException e = assertThrows(CorruptedWebSocketFrameException.class,
        () -> reader.read(ALLOC, header, 255, (opcode, fin, payload) -> { }));
    assertEquals(1009, e.closeStatus().code());
    assertEquals(0, header.refCnt());
  }

  /** A client frame: the first byte, then the length and mask RFC 6455 §5.2 gives it, then the masked payload. */
  private static byte[] masked(int firstByte, byte[] payload, int mask) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      out.write(0x80 | 126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >> shift));
      }
    }
    byte[] key = {(byte) (mask >> 24), (byte) (mask >> 16), (byte) (mask >> 8), (byte) mask};
    out.writeBytes(key);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ key[i & 3]);
    }
    return out.toByteArray();
  }

  private static byte[] bytesOf(ByteBuf payload) {
    byte[] b = new byte[payload.readableBytes()];
    payload.getBytes(payload.readerIndex(), b);
    return b;
  }
}
