package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import switchboard.support.RawWs;
import switchboard.support.TestServer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 6455 conformance over a raw socket against the real server, following the Autobahn test-suite
 * sections that apply: 1 framing, 2 pings/pongs, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8,
 * 7 close handling, 9 limits. Every bad input must end in the close code the RFC names, quickly, and the
 * server must go on serving the next client. Runs on the fast path; {@link PublicApiConformanceIT} runs it
 * all again on Vert.x's public WebSocket API ({@code transport.fastPath: false}).
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceIT {

  private static final int TEXT = 0x81;
  private static final int BINARY = 0x82;
  private Vertx vertx;
  private int port;

  /** {@code transport.fastPath} of the server under test. */
  boolean fastPath() {
    return true;
  }

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    port = TestServer.start(vertx, new JsonObject().put("instances", 2)
        .put("transport", new JsonObject().put("fastPath", fastPath()))
        .put("apps", new JsonObject().put("/", "switchboard.chat.ChatRoom").put("/echo", "switchboard.testapps.EchoApp"))).port;
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().await();
  }

  private RawWs echo() throws Exception {
    return RawWs.connect(port, "/echo");
  }

  private static byte[] bytes(int length, char fill) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  /** The connection fails with {@code expected} and the server still serves a fresh client. */
  private void failsWith(int expected, RawWs ws) throws Exception {
    long start = System.nanoTime();
    assertEquals(expected, ws.closeCode());
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "the close came within 1 s");
    ws.close();
    try (RawWs next = echo()) {
      next.text("still serving");
      assertEquals("still serving", next.next().text());
    }
  }

  /**
   * The suite runs on the path it names. Ten pings in one TCP write: the fast path answers only the latest
   * of each read, Vert.x's public API answers each of them, the first one first.
   */
  @Test
  void theServerUsesTheTransportPathUnderTest() throws Exception {
    try (RawWs ws = echo()) {
      byte[] pings = new byte[10 * 7];
      for (int i = 0; i < 10; i++) {
        int at = i * 7;
        pings[at] = (byte) 0x89;
        pings[at + 1] = (byte) 0x81; // masked, 1 byte; the zero mask leaves the payload as is
        pings[at + 6] = (byte) i;
      }
      ws.bytes(pings);
      RawWs.Frame first = ws.next();
      assertEquals(0xA, first.opcode());
      assertEquals(fastPath() ? 9 : 0, first.payload()[0], "the ping the first pong answers");
    }
  }

  // 1 framing: text and binary at every length boundary come back byte for byte

  @ParameterizedTest(name = "1.1 text of {0} bytes")
  @ValueSource(ints = {0, 1, 125, 126, 127, 128, 65535, 65536})
  void textOfEveryLengthIsEchoed(int length) throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(TEXT, bytes(length, '*'));
      RawWs.Frame f = ws.next();
      assertEquals(1, f.opcode());
      assertArrayEquals(bytes(length, '*'), f.payload());
    }
  }

  @ParameterizedTest(name = "1.2 binary of {0} bytes")
  @ValueSource(ints = {0, 1, 125, 126, 127, 128, 65535, 65536})
  void binaryOfEveryLengthIsEchoed(int length) throws Exception {
    try (RawWs ws = echo()) {
      byte[] payload = bytes(length, '\u00fe');
      ws.frame(BINARY, payload);
      RawWs.Frame f = ws.next();
      assertEquals(2, f.opcode());
      assertArrayEquals(payload, f.payload());
    }
  }

  @Test
  void framesSplitAcrossTcpWritesAreReassembled() throws Exception {
    try (RawWs ws = echo()) {
      byte[] header = {(byte) 0x81, (byte) 0x85, 0, 0, 0, 0}; // zero mask: payload as is
      ws.bytes(Arrays.copyOf(header, 1)).bytes(Arrays.copyOfRange(header, 1, 6));
      for (byte b : "hello".getBytes(StandardCharsets.US_ASCII)) {
        ws.bytes(new byte[] {b});
      }
      assertEquals("hello", ws.next().text());
    }
  }

  // 2 pings and pongs

  @ParameterizedTest(name = "2.1 ping with {0} bytes is answered by a pong with the same payload")
  @ValueSource(ints = {0, 1, 125})
  void pingsAreAnsweredWithTheSamePayload(int length) throws Exception {
    try (RawWs ws = echo()) {
      byte[] payload = bytes(length, 'p');
      ws.frame(0x89, payload);
      RawWs.Frame pong = ws.next();
      assertEquals(0xA, pong.opcode());
      assertArrayEquals(payload, pong.payload());
    }
  }

  @Test
  void anUnsolicitedPongIsIgnored() throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(0x8A, "unasked".getBytes(StandardCharsets.US_ASCII)).text("after");
      assertEquals("after", ws.next().text());
    }
  }

  @Test
  void tenPingsAreAnsweredInOrderUpToTheLatest() throws Exception {
    // RFC 6455 5.5.3: pings read together may be answered by one pong, for the most recent of them
    try (RawWs ws = echo()) {
      for (int i = 0; i < 10; i++) {
        ws.frame(0x89, new byte[] {(byte) i});
      }
      int last = -1;
      while (last < 9) {
        RawWs.Frame pong = ws.next();
        assertEquals(0xA, pong.opcode());
        assertEquals(1, pong.payload().length);
        assertTrue(pong.payload()[0] > last, "pongs in the order of their pings, each at most once");
        last = pong.payload()[0];
      }
      ws.text("after");
      assertEquals("after", ws.next().text(), "no pong is left over");
    }
  }

  @Test
  void aPingOf126BytesIsAProtocolError() throws Exception {
    failsWith(1002, echo().frame(0x89, new byte[126]));
  }

  @Test
  void aFragmentedPingIsAProtocolError() throws Exception {
    failsWith(1002, echo().frame(0x09, new byte[] {1}));
  }

  // 3 reserved bits (no extension was negotiated)

  @ParameterizedTest(name = "3 first byte 0x{0} (a reserved bit set) -> 1002")
  @ValueSource(strings = {"C1", "A1", "91", "F1", "C2", "C9", "A8"})
  void reservedBitsAreProtocolErrors(String firstByte) throws Exception {
    failsWith(1002, echo().frame(Integer.parseInt(firstByte, 16), "x".getBytes(StandardCharsets.US_ASCII)));
  }

  // 4 opcodes

  @ParameterizedTest(name = "4 reserved opcode 0x{0} -> 1002")
  @ValueSource(strings = {"3", "4", "5", "6", "7", "B", "C", "D", "E", "F"})
  void reservedOpcodesAreProtocolErrors(String opcode) throws Exception {
    failsWith(1002, echo().frame(0x80 | Integer.parseInt(opcode, 16), new byte[] {1}));
  }

  // 5 fragmentation

  @Test
  void twoFragmentsMakeOneMessage() throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(0x01, "frag".getBytes(StandardCharsets.US_ASCII)).frame(0x80, "ment".getBytes(StandardCharsets.US_ASCII));
      assertEquals("fragment", ws.next().text());
    }
  }

  @Test
  void aHundredFragmentsIncludingEmptyOnesMakeOneMessage() throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(0x02, new byte[0]);
      for (int i = 0; i < 98; i++) {
        ws.frame(0x00, new byte[] {(byte) i});
      }
      ws.frame(0x80, new byte[0]);
      RawWs.Frame f = ws.next();
      assertEquals(2, f.opcode());
      assertEquals(98, f.payload().length);
    }
  }

  @Test
  void aPingBetweenFragmentsIsAnsweredAndTheMessageStillAssembles() throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(0x01, "one ".getBytes(StandardCharsets.US_ASCII)).frame(0x89, "p".getBytes(StandardCharsets.US_ASCII))
          .frame(0x80, "two".getBytes(StandardCharsets.US_ASCII));
      // the pong goes when the read is done, so it may follow the message that the same read completed
      RawWs.Frame first = ws.next();
      RawWs.Frame second = ws.next();
      RawWs.Frame pong = first.opcode() == 0xA ? first : second;
      RawWs.Frame text = first.opcode() == 0xA ? second : first;
      assertEquals(0xA, pong.opcode());
      assertEquals("p", pong.text());
      assertEquals("one two", text.text());
    }
  }

  @Test
  void aContinuationWithoutAStartIsAProtocolError() throws Exception {
    failsWith(1002, echo().frame(0x80, "x".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aNewMessageInsideAFragmentedOneIsAProtocolError() throws Exception {
    failsWith(1002, echo().frame(0x01, "a".getBytes(StandardCharsets.US_ASCII)).frame(0x81, "b".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aFragmentedCloseIsAProtocolError() throws Exception {
    failsWith(1002, echo().frame(0x08, new byte[] {3, (byte) 0xE8}));
  }

  // 6 UTF-8

  @ParameterizedTest(name = "6 valid UTF-8 {0} is echoed")
  @ValueSource(strings = {"48656c6c6f", "c3a9", "e282ac", "f09f9880", "efbfbf", "f48fbfbf", "00"})
  void validUtf8IsEchoed(String hex) throws Exception {
    byte[] text = HexFormat.of().parseHex(hex);
    try (RawWs ws = echo()) {
      ws.frame(TEXT, text);
      assertArrayEquals(text, ws.next().payload());
    }
  }

  @ParameterizedTest(name = "6 invalid UTF-8 {0} -> 1007")
  @ValueSource(strings = {"c328", "c0af", "e080af", "eda080", "edbfbf", "f4908080", "f8888080af", "80", "bf", "fe", "ff", "e282", "cebae1bdb9cf83ceb5eda080656469746564"})
  void invalidUtf8IsRefusedWith1007(String hex) throws Exception {
    failsWith(1007, echo().frame(TEXT, HexFormat.of().parseHex(hex)));
  }

  @Test
  void utf8SplitAcrossFragmentsIsFineWhenValid() throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(0x01, new byte[] {(byte) 0xE2, (byte) 0x82}).frame(0x80, new byte[] {(byte) 0xAC});
      assertEquals("€", ws.next().text());
    }
  }

  @Test
  void invalidUtf8AcrossFragmentsIsRefusedAtTheBadFragment() throws Exception {
    RawWs ws = echo().frame(0x01, new byte[] {(byte) 0xC3}).frame(0x00, new byte[] {0x28});
    failsWith(1007, ws); // refused before the final fragment: never delivered
  }

  @Test
  void aTextMessageEndingInsideACharacterIsRefused() throws Exception {
    failsWith(1007, echo().frame(0x01, "ok".getBytes(StandardCharsets.US_ASCII)).frame(0x80, new byte[] {(byte) 0xF0, (byte) 0x9F}));
  }

  // 7 close handling

  @ParameterizedTest(name = "7 a close with code {0} is answered with a close")
  @ValueSource(ints = {1000, 1001, 1003, 1007, 1011, 3000, 4999})
  void validCloseCodesAreAnswered(int code) throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(0x88, new byte[] {(byte) (code >> 8), (byte) code});
      int answer = ws.closeCode();
      assertTrue(answer == code || answer == 1000, "answered " + answer);
    }
  }

  @Test
  void aCloseWithoutPayloadIsAnswered() throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(0x88, new byte[0]);
      int answer = ws.closeCode();
      assertTrue(answer == 1000 || answer == 1005, "answered " + answer);
    }
  }

  @ParameterizedTest(name = "7 a close with invalid code {0} -> 1002")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999})
  void invalidCloseCodesAreProtocolErrors(int code) throws Exception {
    failsWith(1002, echo().frame(0x88, new byte[] {(byte) (code >> 8), (byte) code}));
  }

  /** RFC 6455 defines no codes from 5000 up; Autobahn grades 7.13.x informational. Vert.x echoes them. */
  @ParameterizedTest(name = "7 a close with undefined code {0} is answered and the connection ends")
  @ValueSource(ints = {5000, 65535})
  void undefinedCloseCodesStillEndTheConnection(int code) throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(0x88, new byte[] {(byte) (code >> 8), (byte) code});
      assertEquals(code, ws.closeCode());
      assertEquals(null, ws.next(), "and then the connection is closed");
    }
  }

  /** After the server's close, a client that answers sees TCP end at once (RFC 6455 7.1.1: the server closes first). */
  @Test
  void afterOurCloseTheClientsAnswerEndsTheConnectionAtOnce() throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(TEXT, new byte[] {(byte) 0xC3, 0x28}); // invalid UTF-8: the server closes with 1007
      assertEquals(1007, ws.closeCode());
      ws.frame(0x88, new byte[] {0x03, (byte) 0xEF}); // our answer: 1007
      long start = System.nanoTime();
      assertEquals(null, ws.next(), "the connection ends");
      assertTrue(System.nanoTime() - start < 1_000_000_000L, "within 1 s of the answer");
    }
  }

  /** A client that never answers the server's close is dropped after the closing timeout (3 s here), not before. */
  @Test
  void afterOurCloseASilentClientIsDroppedAfterTheClosingTimeout() throws Exception {
    try (RawWs ws = echo()) {
      ws.frame(TEXT, new byte[] {(byte) 0xC3, 0x28});
      assertEquals(1007, ws.closeCode());
      long start = System.nanoTime();
      assertEquals(null, ws.next(), "the connection ends");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds > 2.5 && seconds < 4.5, "dropped after the 3 s closing timeout, not at once: " + seconds + " s");
    }
  }

  @Test
  void aCloseWithOneBytePayloadIsAProtocolError() throws Exception {
    failsWith(1002, echo().frame(0x88, new byte[] {3}));
  }

  @Test
  void aCloseReasonThatIsNotUtf8IsRefused() throws Exception {
    RawWs ws = echo().frame(0x88, new byte[] {3, (byte) 0xE8, (byte) 0xC3, 0x28});
    int code = ws.closeCode();
    assertTrue(code == 1002 || code == 1007, "closed with " + code);
  }

  // 9 limits and framing abuse

  @Test
  void aFrameOverTheLimitIsRefusedWith1009() throws Exception {
    failsWith(1009, echo().frame(TEXT, bytes(65_537, 'x')));
  }

  @Test
  void aMessageOverTheLimitInManySmallFragmentsIsRefusedWith1009() throws Exception {
    RawWs ws = echo().frame(0x02, new byte[1000]);
    for (int i = 0; i < 70; i++) {
      ws.frame(0x00, new byte[1000]);
    }
    failsWith(1009, ws);
  }

  @Test
  void aLengthOfTwoToTheSixtyThirdIsRefusedAtOnce() throws Exception {
    failsWith(1009, echo().frame(TEXT, new byte[0], true, Long.MAX_VALUE));
  }

  @Test
  void anUnmaskedClientFrameIsAProtocolError() throws Exception {
    failsWith(1002, echo().frame(TEXT, "x".getBytes(StandardCharsets.US_ASCII), false, 1));
  }

  @Test
  void theChatRefusesBinaryWith1003() throws Exception {
    failsWith(1003, RawWs.connect(port, "/nick").frame(BINARY, new byte[] {1}));
  }
}
