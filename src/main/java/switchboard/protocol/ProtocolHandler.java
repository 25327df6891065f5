package switchboard.protocol;

import io.vertx.core.Future;

/**
 * Server-side code for the client protocol's {@code rpc} and {@code send} commands, named by
 * {@code protocol.handler} (a class with a public no-argument constructor, from the jar or {@code appsPath}).
 * One instance per server instance; its methods run on the client's event loop and must not block (return
 * a future for slow work).
 */
public interface ProtocolHandler {

  /**
   * Who sent a command: the connect reply's client id, the token's user ({@code ""} if anonymous) and info,
   * and a way to push that connection messages of the server's own. Immutable; usable from any thread.
   */
  final class Caller {
    private final String client;
    private final String user;
    private final Object info;
    private final java.util.function.Consumer<Object> messages;

    public Caller(String client, String user, Object info, java.util.function.Consumer<Object> messages) {
      this.client = client;
      this.user = user;
      this.info = info;
      this.messages = messages;
    }

    public String client() {
      return client;
    }

    public String user() {
      return user;
    }

    public Object info() {
      return info;
    }

    /**
     * Pushes this connection {@code {"push":{"message":{"data":…}}}} ({@code data} any JSON value), which
     * the SDKs emit as a {@code message} event: a reply to {@code send}, or news only this client should
     * get. It counts against the connection's write budget like any write; after the connection closed,
     * it is dropped.
     */
    public void message(Object data) {
      messages.accept(data);
    }
  }

  /** An error the client receives as is: a code from 400 to 1999 (free for applications) and a message. */
  final class RpcError extends RuntimeException {
    private final int code;

    public RpcError(int code, String message) {
      super(message, null, false, false);
      if (code < 400 || code > 1999) {
        throw new IllegalArgumentException("application error codes are 400-1999, not " + code);
      }
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /**
   * An {@code rpc} command: a future of the reply's {@code data} (any JSON value: a JsonObject, JsonArray,
   * String, Number, Boolean), or null when there is no such method (the client gets error 104). A future
   * failed with {@link RpcError} gives the client that error; any other failure gives 100 (internal).
   */
  default Future<Object> rpc(Caller caller, String method, Object data) {
    return null;
  }

  /** A {@code send} command: a message to the server that gets no reply. */
  default void send(Caller caller, Object data) {
  }
}
