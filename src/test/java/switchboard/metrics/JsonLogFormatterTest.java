package switchboard.metrics;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLogFormatterTest {

  @Test
  void eachRecordIsOneJsonLineEvenWithNewlinesInside() {
    LogRecord record = new LogRecord(Level.WARNING, "c7 bob\nFAKE 2026 INFO forged line");
    record.setLoggerName("switchboard.chat.ChatRoom");
    record.setThrown(new IllegalStateException("boom"));
    String line = new JsonLogFormatter().format(record);
    assertEquals(1, line.strip().lines().count(), line);
    JsonObject json = new JsonObject(line);
    assertEquals("WARNING", json.getString("level"));
    assertEquals("switchboard.chat.ChatRoom", json.getString("logger"));
    assertEquals("c7 bob\nFAKE 2026 INFO forged line", json.getString("message"));
    assertTrue(json.getString("error").contains("IllegalStateException: boom"));
  }
}
