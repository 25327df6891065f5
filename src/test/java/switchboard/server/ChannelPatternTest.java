package switchboard.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelPatternTest {

  @Test
  void globsMatchAsGobwasGlobDoes() {
    assertTrue(ChannelPattern.of("news:*").matches("news:sport"));
    assertFalse(ChannelPattern.of("news:*").matches("chat:news"));
    assertTrue(ChannelPattern.of("user#?").matches("user#7"));
    assertFalse(ChannelPattern.of("user#?").matches("user#42"));
    assertTrue(ChannelPattern.of("room[0-9]").matches("room5"));
    assertFalse(ChannelPattern.of("room[!0-9]").matches("room5"));
    assertTrue(ChannelPattern.of("{a,b}:x").matches("b:x"));
    assertTrue(ChannelPattern.of("a\\*").matches("a*"));
    assertFalse(ChannelPattern.of("a\\*").matches("ab"));
    assertTrue(ChannelPattern.of("$x.+").matches("$x.+"), "regex characters are literal");
    assertFalse(ChannelPattern.of("a.c").matches("abc"));
  }

  @Test
  void aBrokenPatternSaysWhatIsWrong() {
    assertEquals("[ without ]", assertThrows(IllegalArgumentException.class, () -> ChannelPattern.of("[ab")).getMessage());
    assertEquals("{ without }", assertThrows(IllegalArgumentException.class, () -> ChannelPattern.of("{a,b")).getMessage());
    assertEquals("} without {", assertThrows(IllegalArgumentException.class, () -> ChannelPattern.of("a}")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChannelPattern.of("a\\"));
  }
}
