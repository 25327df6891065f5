package switchboard.testapps;

import switchboard.app.App;
import switchboard.app.Connection;

/**
 * Subscribes to the channel named by the path below its mount, after a pause in onOpen that stands in for
 * an event loop descheduled (or busy) between the handshake and the app: the window in which a client
 * could see its socket open before its subscription existed.
 */
public class SlowOpenApp implements App {

  public static final long PAUSE_MILLIS = 300;

  @Override
  public void onOpen(Connection connection) {
    pause(PAUSE_MILLIS);
    connection.subscribe(connection.pathInfo().substring(1));
  }

  /** Blocks the calling event loop on purpose: the test stands for a loop busy or descheduled. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
