package switchboard.testapps;

import switchboard.chat.ChatRoom;
import switchboard.app.Connection;

/** The chat room with a pause in onOpen: a handshake that is still going on when the server begins to stop. */
public class SlowChatApp extends ChatRoom {

  public static final long PAUSE_MILLIS = 500;
  /** Counted down when an onOpen begins, so a test acts while it is running. */
  public static volatile java.util.concurrent.CountDownLatch opening = new java.util.concurrent.CountDownLatch(1);

  @Override
  public void onOpen(Connection connection) {
    opening.countDown();
    SlowOpenApp.pause(PAUSE_MILLIS);
    super.onOpen(connection);
  }
}
