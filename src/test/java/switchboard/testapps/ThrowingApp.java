package switchboard.testapps;

import switchboard.app.App;
import switchboard.app.Connection;

/** Throws from onOpen when the path below the mount is /open, and from onMessage on "throw". */
public class ThrowingApp implements App {

  @Override
  public void onOpen(Connection c) {
    if (c.pathInfo().equals("/open")) {
      throw new IllegalStateException("test: onOpen fails");
    }
    c.write("ready");
  }

  @Override
  public void onMessage(Connection c, String text) {
    if (text.equals("throw")) {
      throw new IllegalStateException("test: onMessage fails");
    }
    c.write("echo " + text);
  }
}
