package example;

import switchboard.app.App;
import switchboard.app.Connection;

/** ws://host:3000/rooms/<room>: everyone in the same room hears everyone, with a join notice. */
public class Rooms implements App {
  @Override public void onOpen(Connection c) {
    String room = c.pathInfo().substring(1);          // "/rooms/kitchen" -> "kitchen"
    c.attributes().put("room", room);
    c.subscribe(room);
    c.publish(room, "someone joined (" + c.openConnections() + " online)");
  }
  @Override public void onMessage(Connection c, String text) {
    c.publish((String) c.attributes().get("room"), text);
  }
  @Override public void onShutdown(Connection c) {
    c.write("bye");                                    // reaches the client before the 1001 close
  }
}
