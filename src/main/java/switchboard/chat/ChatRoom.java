package switchboard.chat;

import io.vertx.core.buffer.Buffer;
import switchboard.app.App;
import switchboard.app.Refusal;
import switchboard.app.CloseCodes;
import switchboard.app.Connection;
import switchboard.app.LogText;

/**
 * The seed's chat room, exactly: connect to {@code ws://host/<nickname>} (the percent-decoded path below
 * the mount), and every text message {@code m} goes to every chat client, the sender included, as
 * {@code "<nickname>: <m>"}. On shutdown each client is told goodbye.
 */
public class ChatRoom implements App {

  public static final String CHANNEL = "chat";
  public static final String GOODBYE = "The server is shutting down, goodbye.";
  /** Told to the sender when the broker failed its line in flight (e.g. Redis lost); it stays connected. */
  public static final String NOT_SENT = "server: that line was not sent, try again";
  private static final System.Logger LOG = System.getLogger(ChatRoom.class.getName());
  private static final String NICKNAME = "nickname";

  @Override
  public void onOpen(Connection connection) {
    String nickname = connection.pathInfo().substring(1);
    connection.attributes().put(NICKNAME, nickname);
    connection.subscribe(CHANNEL);
    LOG.log(System.Logger.Level.INFO, () -> connection.id() + " " + LogText.safe(nickname) + " joined the chat");
  }

  @Override
  public void onMessage(Connection connection, String text) {
    connection.publish(CHANNEL, connection.attributes().get(NICKNAME) + ": " + text).onFailure(e -> {
      Refusal.Reason reason = e instanceof Refusal refusal ? refusal.reason() : null;
      if (reason == Refusal.Reason.RATE_LIMITED) {
        connection.write("server: slow down, that line was not sent (" + e.getMessage() + ")");
      } else if (reason == Refusal.Reason.BROKER_FAILED) {
        connection.write(NOT_SENT);
      } else if (reason == Refusal.Reason.TOO_LARGE) {
        connection.close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
      } else {
        // not the client's doing: the reason it sees names no internals; the log has the rest
        LOG.log(System.Logger.Level.ERROR, connection.id() + " chat publish failed", e);
        connection.close(CloseCodes.INTERNAL_ERROR, "internal error");
      }
    });
  }

  @Override
  public void onMessage(Connection connection, Buffer binary) {
    connection.close(CloseCodes.UNSUPPORTED_DATA, "the chat takes text messages only");
  }

  @Override
  public void onShutdown(Connection connection) {
    connection.write(GOODBYE);
  }

  @Override
  public void onClose(Connection connection) {
    LOG.log(System.Logger.Level.INFO, () -> connection.id() + " " + LogText.safe((String) connection.attributes().get(NICKNAME))
        + " left; " + connection.openConnections() + " connections left");
  }
}
