package switchboard.chat;

import switchboard.app.App;
import switchboard.app.CloseCodes;
import switchboard.app.Connection;

/**
 * Chat rooms: {@code ws://host/<mount>/<room>[/<nickname>]} joins one room (a channel of that name);
 * each text message goes to everyone in the room, the sender included, as {@code "<nickname>: <m>"},
 * or as is without a nickname. A room name outside {@code [A-Za-z0-9_.:-]{1,128}} is refused with 1008.
 */
public class Rooms implements App {

  private static final String ROOM = "room";
  private static final String PREFIX = "prefix";

  @Override
  public void onOpen(Connection connection) {
    String[] parts = connection.pathInfo().substring(1).split("/", 2);
    try {
      connection.subscribe(parts[0]);
    } catch (IllegalArgumentException invalidName) {
      connection.close(CloseCodes.POLICY_VIOLATION, invalidName.getMessage());
      return;
    }
    connection.attributes().put(ROOM, parts[0]);
    connection.attributes().put(PREFIX, parts.length > 1 && !parts[1].isEmpty() ? parts[1] + ": " : "");
  }

  @Override
  public void onMessage(Connection connection, String text) {
    connection.publish((String) connection.attributes().get(ROOM), connection.attributes().get(PREFIX) + text)
        .onFailure(e -> connection.write("server: that message was not sent (" + e.getMessage() + ")"));
  }
}
