package switchboard.transport;

/** The RFC 6455 close codes Switchboard sends, by name, so every close says why. */
public final class CloseCodes {

  /** Normal end of a conversation. */
  public static final short NORMAL = 1000;
  /** The server is shutting down (graceful shutdown). */
  public static final short GOING_AWAY = 1001;
  /** The client broke the WebSocket protocol. */
  public static final short PROTOCOL_ERROR = 1002;
  /** The app does not accept this kind of data (e.g. binary in the chat). */
  public static final short UNSUPPORTED_DATA = 1003;
  /** A text message that is not valid UTF-8. */
  public static final short INVALID_PAYLOAD = 1007;
  /** A message that breaks a policy (bad channel name, rate, origin). */
  public static final short POLICY_VIOLATION = 1008;
  /** A frame or message over the configured size limit. */
  public static final short MESSAGE_TOO_BIG = 1009;
  /** The app failed while handling this connection. */
  public static final short INTERNAL_ERROR = 1011;

  private CloseCodes() {
  }
}
