package switchboard.app;

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
  /** A temporary condition (a broker outage): the client may try again later. */
  public static final short TRY_AGAIN_LATER = 1013;

  private CloseCodes() {
  }

  /**
   * Whether a server may send {@code code} in a close frame (RFC 6455 §7.4): 1000-1003, 1007-1014 and
   * 3000-4999. 1005, 1006 and 1015 only report what happened locally and must never be sent; 1004 and
   * 1016-2999 are reserved.
   */
  public static boolean isSendable(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }
}
