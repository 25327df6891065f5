package switchboard.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PathDecoderTest {

  @Test
  void decodesPercentEscapesAsUtf8() {
    assertEquals("/élève", PathDecoder.decode("/%C3%A9l%C3%A8ve"));
    assertEquals("/日本", PathDecoder.decode("/%E6%97%A5%E6%9C%AC"));
    assertEquals("/a b", PathDecoder.decode("/a%20b"));
  }

  @Test
  void leavesPlusAndPlainTextAlone() {
    assertEquals("/a+b", PathDecoder.decode("/a+b"));
    assertEquals("/plain", PathDecoder.decode("/plain"));
    assertEquals("/é", PathDecoder.decode("/é"));
  }

  @Test
  void rejectsBrokenEscapesAndInvalidUtf8() {
    assertThrows(IllegalArgumentException.class, () -> PathDecoder.decode("/%"));
    assertThrows(IllegalArgumentException.class, () -> PathDecoder.decode("/%4"));
    assertThrows(IllegalArgumentException.class, () -> PathDecoder.decode("/%zz"));
    assertThrows(IllegalArgumentException.class, () -> PathDecoder.decode("/%C3%28"));
    assertThrows(IllegalArgumentException.class, () -> PathDecoder.decode("/%C0%AE")); // overlong '.'
    assertThrows(IllegalArgumentException.class, () -> PathDecoder.decode("/%ED%A0%80")); // surrogate
  }
}
