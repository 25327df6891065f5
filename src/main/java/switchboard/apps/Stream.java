package switchboard.apps;

import io.vertx.core.buffer.Buffer;
import switchboard.app.App;
import switchboard.app.CloseCodes;
import switchboard.app.Connection;

/**
 * The second seed's push demo, built in: {@code GET /stream/<channel>} as Server-Sent Events, or
 * {@code ws://host/stream/<channel>}, receives every message of that channel as it is, whoever published
 * it (a client, {@code POST /api/publish/<channel>}, {@code redis-cli PUBLISH}). Stream clients only listen:
 * a WebSocket client that sends anything is closed with 1003.
 */
public class Stream implements App {

  @Override
  public void onOpen(Connection connection) {
    String channel = connection.pathInfo().substring(1);
    try {
      connection.subscribe(channel);
    } catch (IllegalArgumentException invalidName) {
      connection.close(CloseCodes.POLICY_VIOLATION, invalidName.getMessage());
    }
  }

  @Override
  public void onMessage(Connection connection, String text) {
    connection.close(CloseCodes.UNSUPPORTED_DATA, "stream clients only listen; publish with POST /api/publish/<channel>");
  }

  @Override
  public void onMessage(Connection connection, Buffer binary) {
    connection.close(CloseCodes.UNSUPPORTED_DATA, "stream clients only listen; publish with POST /api/publish/<channel>");
  }
}
