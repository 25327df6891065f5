package switchboard.testapps;

import switchboard.app.App;
import switchboard.app.Connection;

/**
 * Writes to its own client on command, through {@link Connection#write}: "write N SIZE" sends N messages of
 * SIZE bytes; "close CODE" tries to close with that code and reports a refusal.
 */
public class WriterApp implements App {

  @Override
  public void onMessage(Connection c, String text) {
    String[] parts = text.split(" ");
    switch (parts[0]) {
      case "write" -> {
        String body = "w".repeat(Integer.parseInt(parts[2]));
        for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
          c.write(body);
        }
      }
      case "close" -> {
        try {
          c.close(Short.parseShort(parts[1]), "app close");
        } catch (IllegalArgumentException e) {
          c.write("refused " + e.getMessage());
        }
      }
      default -> c.write("unknown command");
    }
  }
}
