package switchboard.testapps;

import switchboard.app.App;
import switchboard.app.Connection;

/** A tiny command protocol over the Connection API: "sub CH", "unsub CH", "pub CH TEXT". */
public class PubSubApp implements App {

  @Override
  public void onMessage(Connection c, String text) {
    String[] parts = text.split(" ", 3);
    try {
      switch (parts[0]) {
        case "sub" -> c.write("sub " + parts[1] + " " + c.subscribe(parts[1]));
        case "unsub" -> c.write("unsub " + parts[1] + " " + c.unsubscribe(parts[1]));
        case "pub" -> c.publish(parts[1], parts[2]).onFailure(e -> c.write("error " + e.getMessage()));
        default -> c.write("error unknown command");
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      c.write("error " + e.getMessage());
    }
  }
}
