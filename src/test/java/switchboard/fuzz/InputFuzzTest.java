package switchboard.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import switchboard.pubsub.Channels;
import switchboard.pubsub.Utf8;
import switchboard.server.StaticPathProbe;
import switchboard.transport.AssemblerProbe;
import switchboard.transport.FrameReaderProbe;
import switchboard.transport.PathDecoder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer fuzz targets for every parser that reads client input. A plain test run replays the saved inputs in
 * src/test/resources/switchboard/fuzz/InputFuzzTestInputs/ (crashes found become regression cases there);
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=InputFuzzTest} fuzzes for real.
 */
class InputFuzzTest {

  /** The streaming validator agrees with the JDK's strict decoder, however the bytes are split. */
  @FuzzTest(maxDuration = "30s")
  void utf8ValidationMatchesTheJdkAcrossAnySplit(FuzzedDataProvider data) {
    int split = data.consumeInt(0, 64);
    byte[] bytes = data.consumeRemainingAsBytes();
    boolean jdk;
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      jdk = true;
    } catch (CharacterCodingException e) {
      jdk = false;
    }
    assertEquals(jdk, Utf8.isValid(bytes));
    Utf8 streaming = new Utf8();
    int cut = Math.min(split, bytes.length);
    boolean ok = streaming.accept(bytes, 0, cut) && streaming.accept(bytes, cut, bytes.length) && streaming.complete();
    assertEquals(jdk, ok, "splitting the input must not change the verdict");
  }

  /** A valid channel name is short, plain and can never be a Redis glob pattern. */
  @FuzzTest(maxDuration = "30s")
  void channelNamesAreNeverPatterns(String name) {
    if (Channels.isValid(name)) {
      assertTrue(name.length() >= 1 && name.length() <= Channels.MAX_LENGTH);
      assertTrue(name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || "_.:-#,@=+$!~".indexOf(c) >= 0)), name);
      assertFalse(name.contains("*") || name.contains("?") || name.contains("[") || name.contains("/"), name);
    }
  }

  /** A static path that passes the guard has no way out of the root; decoding fails only cleanly. */
  @FuzzTest(maxDuration = "30s")
  void acceptedStaticPathsNeverLeaveTheRoot(String raw) {
    String problem = StaticPathProbe.problem(raw);
    if (problem == null) {
      String decoded = PathDecoder.decode(raw);
      assertTrue(decoded.startsWith("/"), decoded);
      for (String segment : decoded.split("/", -1)) {
        assertFalse(segment.equals("..") || segment.equals("."), raw);
      }
      assertFalse(decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0, raw);
    }
  }

  /** Fragments of a message give the same verdict as the whole message, and never more than the limit. */
  @FuzzTest(maxDuration = "30s")
  void fragmentedMessagesGetTheSameVerdictAsWholeOnes(FuzzedDataProvider data) {
    boolean text = data.consumeBoolean();
    int limit = data.consumeInt(0, 300);
    int fragments = data.consumeInt(1, 8);
    byte[] message = data.consumeBytes(400);
    AssemblerProbe assembler = new AssemblerProbe(limit);
    String outcome = "INCOMPLETE";
    int from = 0;
    for (int i = 0; i < fragments && outcome.equals("INCOMPLETE"); i++) {
      boolean last = i == fragments - 1;
      int to = last ? message.length : Math.min(message.length, from + data.consumeInt(0, message.length));
      ByteBuf payload = Unpooled.wrappedBuffer(message, from, to - from);
      outcome = assembler.add(i > 0, text, last, payload);
      from = to;
    }
    String expected = message.length > limit ? "TOO_BIG" : text && !Utf8.isValid(message) ? "INVALID_UTF8" : "COMPLETE";
    if (expected.equals("TOO_BIG")) {
      assertTrue(outcome.equals("TOO_BIG") || outcome.equals("INVALID_UTF8"), outcome); // whichever is seen first
    } else {
      assertEquals(expected, outcome);
    }
    if (outcome.equals("COMPLETE")) {
      Buffer whole = assembler.binary();
      assertEquals(Buffer.buffer(message), whole);
    }
  }

  /**
   * Any bytes, split anywhere: the frame reader hands on frames that keep RFC 6455's shape or stops with a
   * close code (1002, 1007, 1009), reads nothing after that, and releases every buffer it was given.
   */
  @FuzzTest(maxDuration = "30s")
  void anyBytesGiveWellFormedFramesOrACloseCodeAndNoBufferLeaks(FuzzedDataProvider data) {
    int limit = data.consumeInt(125, 1000);
    int splits = data.consumeInt(0, 6);
    int[] cuts = new int[splits];
    for (int i = 0; i < splits; i++) {
      cuts[i] = data.consumeInt(0, 64);
    }
    byte[] bytes = data.consumeRemainingAsBytes();
    FrameReaderProbe reader = new FrameReaderProbe(limit);
    java.util.List<ByteBuf> given = new java.util.ArrayList<>();
    Integer closeCode = null;
    int from = 0;
    for (int i = 0; i <= splits && from <= bytes.length; i++) {
      int to = i == splits ? bytes.length : Math.min(bytes.length, from + cuts[i]);
      ByteBuf in = Unpooled.directBuffer(Math.max(1, to - from)).writeBytes(bytes, from, to - from);
      given.add(in);
      int code = reader.read(in);
      if (closeCode != null) {
        assertEquals(0, code, "nothing is read after a close code");
      } else if (code != 0) {
        assertTrue(code == 1002 || code == 1007 || code == 1009, "close code " + code);
        closeCode = code;
      }
      from = to;
    }
    for (String frame : reader.frames()) {
      String[] parts = frame.split(" ");
      int opcode = Integer.parseInt(parts[0]);
      int length = Integer.parseInt(parts[1]);
      assertTrue(opcode <= 2 || opcode >= 8 && opcode <= 10, "opcode " + opcode);
      assertTrue(length <= limit && (opcode < 8 || length <= 125), frame);
    }
    reader.release();
    for (ByteBuf in : given) {
      assertEquals(0, in.refCnt(), "every buffer given to the reader is released");
    }
  }
}
