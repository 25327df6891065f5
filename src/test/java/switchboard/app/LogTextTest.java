package switchboard.app;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTextTest {

  @Test
  void controlCharactersCannotForgeLogLines() {
    assertEquals("bob\\u000a2026-01-01 INFO fake", LogText.safe("bob\n2026-01-01 INFO fake"));
    assertEquals("a\\u001b[31mb", LogText.safe("a\u001b[31mb"));
  }

  @Test
  void longTextIsCut() {
    String safe = LogText.safe("x".repeat(500));
    assertTrue(safe.length() <= 81, safe);
    assertTrue(safe.endsWith("…"));
    assertEquals("short", LogText.safe("short"));
  }
}
