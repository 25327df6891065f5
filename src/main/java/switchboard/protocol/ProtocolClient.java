package switchboard.protocol;

import io.vertx.core.json.JsonObject;
import switchboard.app.Connection;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One protocol client's state: before {@code connect}, then its user, token expiry, subscriptions and
 * heartbeat. Confined to its connection's event loop.
 */
final class ProtocolClient {

  final Connection connection;
  final long openedNanos;
  /** The client id the connect reply gives (Centrifugo's {@code client}); set on connect. */
  String id;
  boolean connected;
  /** A connect failed with an error reply: the next command ends the connection (as Centrifugo does). */
  boolean unusable;
  /** The user ({@code sub}); empty for anonymous. */
  String user = "";
  /** The token's {@code info} claim, or null. */
  Object info;
  /** The connection token's {@code exp} (epoch seconds), 0 when it never expires. */
  long expiresAt;
  /** Channel → its subscription token's {@code exp} (0 when none or never). */
  final Map<String, Long> subscriptions = new HashMap<>(4);
  long nextPingNanos;
  /** When the unanswered ping went out, 0 when none is outstanding. */
  long pingSentNanos;

  ProtocolClient(Connection connection, long nowNanos) {
    this.connection = connection;
    this.openedNanos = nowNanos;
  }

  void connected(String user, Object info, long expiresAt, long nowNanos, long firstPingNanos) {
    this.id = UUID.randomUUID().toString();
    this.connected = true;
    this.user = user;
    this.info = info;
    this.expiresAt = expiresAt;
    this.nextPingNanos = nowNanos + firstPingNanos;
  }

  /** What the protocol shows of this client to others ({@code ClientInfo}). */
  JsonObject clientInfo() {
    JsonObject info = new JsonObject().put("user", user).put("client", id);
    if (this.info != null) {
      info.put("conn_info", this.info);
    }
    return info;
  }
}
