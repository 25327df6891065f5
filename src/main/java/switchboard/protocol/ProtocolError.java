package switchboard.protocol;

/**
 * The client protocol's error replies (codes 100-113, Centrifugo's numbers and messages) and disconnects
 * (3000-3999: below 3500 the SDK reconnects, from 3500 it does not). A disconnect travels as the WebSocket
 * close code and reason.
 */
record ProtocolError(int code, String message, boolean temporary) {

  static final ProtocolError INTERNAL = new ProtocolError(100, "internal server error", true);
  static final ProtocolError UNAUTHORIZED = new ProtocolError(101, "unauthorized", false);
  static final ProtocolError UNKNOWN_CHANNEL = new ProtocolError(102, "unknown channel", false);
  static final ProtocolError PERMISSION_DENIED = new ProtocolError(103, "permission denied", false);
  static final ProtocolError METHOD_NOT_FOUND = new ProtocolError(104, "method not found", false);
  static final ProtocolError ALREADY_SUBSCRIBED = new ProtocolError(105, "already subscribed", false);
  static final ProtocolError LIMIT_EXCEEDED = new ProtocolError(106, "limit exceeded", false);
  static final ProtocolError BAD_REQUEST = new ProtocolError(107, "bad request", false);
  static final ProtocolError NOT_AVAILABLE = new ProtocolError(108, "not available", false);
  static final ProtocolError TOKEN_EXPIRED = new ProtocolError(109, "token expired", false);
  static final ProtocolError TOO_MANY_REQUESTS = new ProtocolError(111, "too many requests", true);

  /** A disconnect: the close code and its short reason. */
  record Disconnect(short code, String reason) {
    static final Disconnect SHUTDOWN = new Disconnect((short) 3001, "shutdown");
    static final Disconnect EXPIRED = new Disconnect((short) 3005, "connection expired");
    static final Disconnect SUB_EXPIRED = new Disconnect((short) 3006, "subscription expired");
    static final Disconnect NO_PONG = new Disconnect((short) 3012, "no pong");
    static final Disconnect INVALID_TOKEN = new Disconnect((short) 3500, "invalid token");
    static final Disconnect BAD_REQUEST = new Disconnect((short) 3501, "bad request");
    static final Disconnect STALE = new Disconnect((short) 3502, "stale");
  }
}
