package switchboard.protocol;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import switchboard.app.App;
import switchboard.app.Connection;
import switchboard.app.Envelope;
import switchboard.app.LogText;
import switchboard.app.Published;
import switchboard.app.Refusal;
import switchboard.config.NamespaceOptions;
import switchboard.config.ProtocolSettings;
import switchboard.protocol.ProtocolError.Disconnect;
import switchboard.pubsub.Channels;
import switchboard.pubsub.Delivery;
import switchboard.pubsub.Hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Centrifugo's bidirectional client protocol (JSON) as an app, so that Centrifugo's SDKs connect unchanged:
 * commands {@code {"id":n,"<method>":{…}}}, several per frame separated by newlines, answered by replies with
 * the same id (batched into one frame per received frame where they complete at once); publications reach
 * the client as {@code pub} pushes in the {@link PushEnvelope}, encoded once per message for all protocol
 * clients of an instance, beside the chat's raw text on the same channels.
 *
 * <p>Connect takes a JWT ({@link Tokens}): {@code sub} is the user, {@code exp} must be refreshed (the
 * {@code refresh} command) within {@code refreshGraceSeconds} after it passes or the client is disconnected
 * with 3005, {@code info} is kept, and {@code channels} / {@code subs} are server-side subscriptions, made at
 * connect and listed in its reply. Subscribing takes a subscription token or a namespace that allows it
 * ({@link ChannelPolicy}); publishing takes a namespace that allows it. Presence and history answer 108 (not
 * available) in this version. Bad JSON, an unknown command or anything before connect ends the connection
 * with 3501 (bad request); an invalid token with 3500. The server pings with {@code {}} every
 * {@code pingIntervalSeconds} and disconnects a client whose pong ({@code {}}) is
 * {@code pongTimeoutSeconds} late with 3012, and one that has not connected within that interval with 3502.
 *
 * <p>One instance per server instance: its state is confined to that event loop, as the App contract says.
 */
public final class ClientProtocol implements App {

  private static final System.Logger LOG = System.getLogger(ClientProtocol.class.getName());
  private static final String VERSION = "switchboard";
  private static final long TICK_MILLIS = 1000;

  private final ProtocolSettings settings;
  private final Tokens tokens;
  private final ChannelPolicy channels;
  private final ProtocolHandler handler;
  /** This instance's clients, for the heartbeat and expiry checks; insertion order is irrelevant. */
  private final Map<Connection, ProtocolClient> clients = new HashMap<>();
  private final long pingNanos;
  private final long pongNanos;
  private boolean ticking;

  /**
   * Call on the instance's event loop at deploy; {@code handler} may be null. {@code hub} is the instance's:
   * the server API's user-targeted commands arrive through it from any host ({@link Channels#PROTOCOL_CONTROL}).
   */
  public ClientProtocol(Vertx vertx, ProtocolSettings settings, ProtocolHandler handler, Hub hub) {
    hub.subscribe(Channels.PROTOCOL_CONTROL, this::control);
    this.settings = settings;
    this.tokens = new Tokens(vertx, settings);
    this.channels = new ChannelPolicy(settings);
    this.handler = handler;
    this.pingNanos = TimeUnit.SECONDS.toNanos(settings.pingIntervalSeconds());
    this.pongNanos = TimeUnit.SECONDS.toNanos(settings.pongTimeoutSeconds());
  }

  @Override
  public Envelope envelope() {
    return PushEnvelope.INSTANCE;
  }

  @Override
  public void onOpen(Connection connection) {
    clients.put(connection, new ProtocolClient(connection, System.nanoTime()));
    if (!ticking) {
      ticking = true;
      connection.vertx().setPeriodic(TICK_MILLIS, t -> tick());
    }
  }

  @Override
  public void onMessage(Connection connection, String text) {
    ProtocolClient client = clients.get(connection);
    if (client == null) {
      return;
    }
    StringBuilder replies = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject command;
      try {
        command = new JsonObject(line);
      } catch (DecodeException e) {
        disconnect(client, Disconnect.BAD_REQUEST, "a command that is not a JSON object");
        return;
      }
      try {
        if (!handle(client, command, replies)) {
          break;
        }
      } catch (ClassCastException | IllegalArgumentException e) {
        disconnect(client, Disconnect.BAD_REQUEST, "a malformed command: " + LogText.safe(String.valueOf(e.getMessage())));
        break;
      }
    }
    if (!replies.isEmpty()) {
      connection.write(replies.toString());
    }
  }

  @Override
  public void onMessage(Connection connection, Buffer binary) {
    ProtocolClient client = clients.get(connection);
    if (client != null) {
      disconnect(client, Disconnect.BAD_REQUEST, "a binary frame: this endpoint speaks the JSON protocol");
    }
  }

  @Override
  public void onShutdown(Connection connection) {
    connection.close(Disconnect.SHUTDOWN.code(), Disconnect.SHUTDOWN.reason());
  }

  @Override
  public void onClose(Connection connection) {
    ProtocolClient client = clients.remove(connection);
    if (client != null) {
      leaveAll(client);
    }
  }

  /** One command; false when the connection was ended and the rest of the frame must be dropped. */
  private boolean handle(ProtocolClient client, JsonObject command, StringBuilder replies) {
    if (client.unusable || (!client.connected && !command.containsKey("connect"))) {
      disconnect(client, Disconnect.BAD_REQUEST, client.unusable ? "a command after a failed connect" : "a command before connect");
      return false;
    }
    long id = command.getLong("id", 0L);
    if (id == 0 && !command.containsKey("send")) {
      return pong(client, command);
    }
    if (command.containsKey("connect")) {
      return connect(client, id, command.getJsonObject("connect", new JsonObject()), replies);
    }
    if (command.containsKey("subscribe")) {
      return subscribe(client, id, command.getJsonObject("subscribe"), replies);
    }
    if (command.containsKey("unsubscribe")) {
      String channel = command.getJsonObject("unsubscribe").getString("channel", "");
      if (client.subscriptions.remove(channel) != null) {
        client.connection.unsubscribe(channel);
        announce(client, channel, Published.Kind.LEAVE);
      }
      reply(replies, id, "unsubscribe", new JsonObject());
      return true;
    }
    if (command.containsKey("publish")) {
      publish(client, id, command.getJsonObject("publish"), replies);
      return true;
    }
    for (String method : List.of("presence", "presence_stats", "history")) {
      if (command.containsKey(method)) {
        Object looked = channels.lookup(command.getJsonObject(method).getString("channel"));
        error(replies, id, looked instanceof ProtocolError e ? e : ProtocolError.NOT_AVAILABLE);
        return true;
      }
    }
    if (command.containsKey("refresh")) {
      return refresh(client, id, command.getJsonObject("refresh").getString("token", ""), replies);
    }
    if (command.containsKey("sub_refresh")) {
      return subRefresh(client, id, command.getJsonObject("sub_refresh"), replies);
    }
    if (command.containsKey("rpc")) {
      rpc(client, id, command.getJsonObject("rpc"), replies);
      return true;
    }
    if (command.containsKey("send")) {
      if (handler != null) {
        handler.send(caller(client), command.getJsonObject("send").getValue("data"));
      }
      return true;
    }
    disconnect(client, Disconnect.BAD_REQUEST, "an unknown command: " + LogText.safe(command.fieldNames().toString()));
    return false;
  }

  /** {@code {}}: the answer to our ping; one nobody asked for is a protocol error, as in Centrifugo. */
  private boolean pong(ProtocolClient client, JsonObject command) {
    if (!command.isEmpty() || client.pingSentNanos == 0) {
      disconnect(client, Disconnect.BAD_REQUEST, command.isEmpty() ? "a pong without a ping" : "a command without an id");
      return false;
    }
    client.pingSentNanos = 0;
    return true;
  }

  // ---- connect and tokens

  private boolean connect(ProtocolClient client, long id, JsonObject request, StringBuilder replies) {
    if (client.connected) {
      disconnect(client, Disconnect.BAD_REQUEST, "connect twice");
      return false;
    }
    String token = request.getString("token", "");
    if (token.isEmpty()) {
      if (!settings.allowAnonymousWithoutToken()) {
        disconnect(client, Disconnect.BAD_REQUEST, "connect without a token (protocol.allowAnonymousConnectWithoutToken is off)");
        return false;
      }
      connected(client, id, new Tokens.Claims(new JsonObject().put("sub", "")), replies);
      return true;
    }
    // verification is computation only: the future is complete when verify returns
    Future<Tokens.Claims> verified = tokens.verify(token);
    if (verified.failed() && verified.cause() instanceof Tokens.KeysNotReady) {
      client.unusable = true; // a temporary error: the SDK connects again shortly
      error(replies, id, ProtocolError.INTERNAL);
      return true;
    }
    if (verified.failed()) {
      disconnect(client, Disconnect.INVALID_TOKEN, "connection token refused: " + LogText.safe(verified.cause().getMessage()));
      return false;
    }
    Tokens.Claims claims = verified.result();
    if (claims.expired(nowSeconds())) {
      client.unusable = true;
      error(replies, id, ProtocolError.TOKEN_EXPIRED);
      return true;
    }
    connected(client, id, claims, replies);
    return true;
  }

  private void connected(ProtocolClient client, long id, Tokens.Claims claims, StringBuilder replies) {
    client.connected(claims.subject(), claims.json().getValue("info"), claims.expiresAt(), System.nanoTime(), firstPingNanos());
    JsonObject subs = new JsonObject();
    for (String channel : serverSideChannels(claims.json())) {
      if (client.connection.subscribe(channel)) {
        client.subscriptions.put(channel, 0L);
        subs.put(channel, new JsonObject());
        announce(client, channel, Published.Kind.JOIN);
      } else {
        LOG.log(WARNING, () -> client.connection.id() + " server-side subscription refused (name or channel limit): "
            + LogText.safe(channel));
      }
    }
    JsonObject result = new JsonObject().put("client", client.id).put("version", VERSION)
        .put("ping", settings.pingIntervalSeconds()).put("pong", true);
    if (!subs.isEmpty()) {
      result.put("subs", subs);
    }
    expiry(result, client.expiresAt);
    reply(replies, id, "connect", result);
    LOG.log(DEBUG, () -> client.connection.id() + " connected as user '" + LogText.safe(client.user) + "'");
  }

  /** The token's {@code channels} (a list) and {@code subs} (a map whose keys are channels). */
  private static List<String> serverSideChannels(JsonObject claims) {
    List<String> names = new ArrayList<>();
    if (claims.getValue("channels") instanceof JsonArray list) {
      for (Object name : list) {
        if (name instanceof String s) {
          names.add(s);
        }
      }
    }
    if (claims.getValue("subs") instanceof JsonObject map) {
      names.addAll(map.fieldNames());
    }
    return names;
  }

  private boolean refresh(ProtocolClient client, long id, String token, StringBuilder replies) {
    Future<Tokens.Claims> verified = tokens.verify(token);
    if (verified.failed() && verified.cause() instanceof Tokens.KeysNotReady) {
      error(replies, id, ProtocolError.INTERNAL);
      return true;
    }
    if (verified.failed() || !verified.result().subject().equals(client.user)) {
      disconnect(client, Disconnect.INVALID_TOKEN, "refresh token refused: "
          + (verified.failed() ? LogText.safe(verified.cause().getMessage()) : "another user"));
      return false;
    }
    if (verified.result().expired(nowSeconds())) {
      error(replies, id, ProtocolError.TOKEN_EXPIRED);
      return true;
    }
    client.expiresAt = verified.result().expiresAt();
    JsonObject result = new JsonObject().put("client", client.id).put("version", VERSION);
    expiry(result, client.expiresAt);
    reply(replies, id, "refresh", result);
    return true;
  }

  // ---- channels

  private boolean subscribe(ProtocolClient client, long id, JsonObject request, StringBuilder replies) {
    String channel = request.getString("channel");
    Object looked = channels.lookup(channel);
    if (looked instanceof ProtocolError e) {
      error(replies, id, e);
      return true;
    }
    if (client.subscriptions.containsKey(channel)) {
      error(replies, id, ProtocolError.ALREADY_SUBSCRIBED);
      return true;
    }
    if (request.getBoolean("join_leave", false) && !((NamespaceOptions) looked).pushesJoinLeave()) {
      error(replies, id, ProtocolError.PERMISSION_DENIED); // asking for them needs presence permission, not here yet
      return true;
    }
    String token = request.getString("token", "");
    long expiresAt = 0;
    if (!token.isEmpty()) {
      expiresAt = subscriptionToken(client, id, channel, token, replies);
      if (expiresAt < 0) {
        return expiresAt == ANSWERED;
      }
    } else {
      ProtocolError denied = channels.subscribe((NamespaceOptions) looked, channel, client.user);
      if (denied != null) {
        error(replies, id, denied);
        return true;
      }
    }
    if (!client.connection.subscribe(channel)) {
      error(replies, id, ProtocolError.LIMIT_EXCEEDED);
      return true;
    }
    client.subscriptions.put(channel, expiresAt);
    JsonObject result = new JsonObject();
    expiry(result, expiresAt);
    reply(replies, id, "subscribe", result);
    announce(client, channel, Published.Kind.JOIN);
    return true;
  }

  private boolean subRefresh(ProtocolClient client, long id, JsonObject request, StringBuilder replies) {
    String channel = request.getString("channel", "");
    if (!client.subscriptions.containsKey(channel)) {
      error(replies, id, ProtocolError.PERMISSION_DENIED);
      return true;
    }
    long expiresAt = subscriptionToken(client, id, channel, request.getString("token", ""), replies);
    if (expiresAt < 0) {
      return expiresAt == ANSWERED;
    }
    client.subscriptions.put(channel, expiresAt);
    JsonObject result = new JsonObject();
    expiry(result, expiresAt);
    reply(replies, id, "sub_refresh", result);
    return true;
  }

  /** What {@link #subscriptionToken} returns when it answered with an error, or ended the connection. */
  private static final long ANSWERED = -1;
  private static final long ENDED = -2;

  /**
   * Checks a subscription token for {@code channel}: its expiry (epoch seconds, 0 for never), or
   * {@link #ANSWERED} after an error reply (another user's or channel's token 103, expired 109, keys not loaded
   * yet 100), or {@link #ENDED} after disconnecting a client whose token is invalid (3500).
   */
  private long subscriptionToken(ProtocolClient client, long id, String channel, String token, StringBuilder replies) {
    Future<Tokens.Claims> verified = tokens.verify(token);
    if (verified.failed() && verified.cause() instanceof Tokens.KeysNotReady) {
      error(replies, id, ProtocolError.INTERNAL); // temporary: the SDK tries again shortly
      return ANSWERED;
    }
    if (verified.failed()) {
      disconnect(client, Disconnect.INVALID_TOKEN, "subscription token refused: " + LogText.safe(verified.cause().getMessage()));
      return ENDED;
    }
    Tokens.Claims claims = verified.result();
    if (!claims.subject().equals(client.user) || !channel.equals(claims.json().getString("channel"))) {
      error(replies, id, ProtocolError.PERMISSION_DENIED);
      return ANSWERED;
    }
    if (claims.expired(nowSeconds())) {
      error(replies, id, ProtocolError.TOKEN_EXPIRED);
      return ANSWERED;
    }
    return claims.expiresAt();
  }

  private void publish(ProtocolClient client, long id, JsonObject request, StringBuilder replies) {
    String channel = request.getString("channel");
    Object looked = channels.lookup(channel);
    if (looked instanceof ProtocolError e) {
      error(replies, id, e);
      return;
    }
    ProtocolError denied = channels.publish((NamespaceOptions) looked, client.user, client.subscriptions.containsKey(channel));
    if (denied != null) {
      error(replies, id, denied);
      return;
    }
    // data is a JSON value; every audience gets its JSON text (the protocol's envelope embeds it as is)
    String data = Json.encode(request.getValue("data"));
    client.connection.publish(channel, data, client.clientInfo().encode()).onComplete(ar -> {
      StringBuilder answer = new StringBuilder();
      if (ar.succeeded()) {
        reply(answer, id, "publish", new JsonObject());
      } else if (ar.cause() instanceof Refusal refusal) {
        error(answer, id, switch (refusal.reason()) {
          case RATE_LIMITED -> ProtocolError.TOO_MANY_REQUESTS;
          case TOO_LARGE -> ProtocolError.BAD_REQUEST;
          case INVALID_CHANNEL -> ProtocolError.UNKNOWN_CHANNEL;
          case BROKER_FAILED -> ProtocolError.INTERNAL;
        });
      } else {
        error(answer, id, ProtocolError.INTERNAL);
      }
      client.connection.write(answer.toString());
    });
  }

  private void rpc(ProtocolClient client, long id, JsonObject request, StringBuilder replies) {
    Future<Object> result = handler == null ? null
        : handler.rpc(caller(client), request.getString("method", ""), request.getValue("data"));
    if (result == null) {
      error(replies, id, ProtocolError.METHOD_NOT_FOUND);
      return;
    }
    result.onComplete(ar -> {
      StringBuilder answer = new StringBuilder();
      if (ar.succeeded()) {
        reply(answer, id, "rpc", new JsonObject().put("data", ar.result()));
      } else if (ar.cause() instanceof ProtocolHandler.RpcError e) {
        error(answer, id, new ProtocolError(e.code(), e.getMessage(), false));
      } else {
        LOG.log(WARNING, client.connection.id() + " rpc failed", ar.cause());
        error(answer, id, ProtocolError.INTERNAL);
      }
      client.connection.write(answer.toString());
    });
  }

  private static ProtocolHandler.Caller caller(ProtocolClient client) {
    return new ProtocolHandler.Caller(client.id, client.user, client.info, data -> client.connection.write(
        new JsonObject().put("push", new JsonObject().put("message", new JsonObject().put("data", data))).encode()));
  }

  // ---- the server API's commands for a user's connections, from any host

  /**
   * {@code {"op": "subscribe"|"unsubscribe"|"disconnect"|"refresh", "user": …, "client": optional,
   * "channel": …, "code": …, "reason": …, "expired": …, "expire_at": …, "info": …}}, published by
   * {@code ServerApi}: applied to this instance's connections of that user (and client, when given).
   */
  private void control(Delivery delivery) {
    JsonObject command;
    try {
      command = new JsonObject(delivery.message().textValue());
    } catch (DecodeException e) {
      LOG.log(WARNING, "a control message that is not JSON was dropped");
      return;
    }
    String user = command.getString("user", "");
    String only = command.getString("client");
    for (ProtocolClient client : clients.values().toArray(new ProtocolClient[0])) {
      if (client.connected && client.user.equals(user) && (only == null || only.equals(client.id))) {
        apply(client, command);
      }
    }
  }

  private void apply(ProtocolClient client, JsonObject command) {
    String channel = command.getString("channel", "");
    switch (command.getString("op", "")) {
      case "subscribe" -> {
        if (!client.subscriptions.containsKey(channel) && client.connection.subscribe(channel)) {
          client.subscriptions.put(channel, 0L);
          client.connection.write(push(channel, "subscribe", new JsonObject()));
          announce(client, channel, Published.Kind.JOIN);
        }
      }
      case "unsubscribe" -> {
        if (client.subscriptions.remove(channel) != null) {
          client.connection.unsubscribe(channel);
          client.connection.write(push(channel, "unsubscribe", new JsonObject().put("code", 2000).put("reason", "server unsubscribe")));
          announce(client, channel, Published.Kind.LEAVE);
        }
      }
      case "disconnect" -> disconnect(client, new Disconnect((short) command.getInteger("code", 3503).intValue(),
          command.getString("reason", "force disconnect")), "disconnected through the server API");
      case "refresh" -> {
        if (command.getBoolean("expired", false)) {
          disconnect(client, Disconnect.EXPIRED, "marked expired through the server API");
          return;
        }
        client.expiresAt = command.getLong("expire_at", 0L);
        if (command.containsKey("info")) {
          client.info = command.getValue("info");
        }
        JsonObject refresh = new JsonObject().put("expires", client.expiresAt > 0);
        if (client.expiresAt > 0) {
          refresh.put("ttl", Math.max(1, client.expiresAt - nowSeconds()));
        }
        client.connection.write(new JsonObject().put("push", new JsonObject().put("refresh", refresh)).encode());
      }
      default -> LOG.log(WARNING, () -> "an unknown control operation was dropped: " + LogText.safe(command.getString("op", "")));
    }
  }

  private static String push(String channel, String type, JsonObject body) {
    return new JsonObject().put("push", new JsonObject().put("channel", channel).put(type, body)).encode();
  }

  // ---- heartbeat and expiry, once a second for all of this instance's clients

  private void tick() {
    long now = System.nanoTime();
    long nowSeconds = nowSeconds();
    long grace = settings.refreshGraceSeconds();
    for (ProtocolClient client : clients.values().toArray(new ProtocolClient[0])) {
      if (!client.connected) {
        if (now - client.openedNanos > pingNanos) {
          disconnect(client, Disconnect.STALE, "no connect command within " + settings.pingIntervalSeconds() + " s");
        }
      } else if (client.pingSentNanos != 0 && now - client.pingSentNanos > pongNanos) {
        disconnect(client, Disconnect.NO_PONG, "no pong within " + settings.pongTimeoutSeconds() + " s");
      } else if (client.expiresAt > 0 && nowSeconds >= client.expiresAt + grace) {
        disconnect(client, Disconnect.EXPIRED, "its token expired and was not refreshed");
      } else if (subscriptionExpired(client, nowSeconds - grace)) {
        disconnect(client, Disconnect.SUB_EXPIRED, "a subscription token expired and was not refreshed");
      } else if (now - client.nextPingNanos >= 0) {
        client.connection.write("{}");
        client.pingSentNanos = now;
        client.nextPingNanos = now + pingNanos;
      }
    }
  }

  /**
   * How long after its connect a client gets its first ping: a random point of the interval, not before the
   * next tick. Every later ping follows one interval after the last, so clients that connected together (a
   * crowd reconnecting after a restart) would otherwise be pinged in the same tick for as long as they stay,
   * and answer in the same instant (the WebSocket heartbeat's round did that: see {@code Heartbeat}). The
   * SDKs expect a ping within the interval and take an early one as any other.
   */
  private long firstPingNanos() {
    long tick = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    return tick >= pingNanos ? pingNanos : ThreadLocalRandom.current().nextLong(tick, pingNanos + 1);
  }

  private static boolean subscriptionExpired(ProtocolClient client, long deadline) {
    for (long expiresAt : client.subscriptions.values()) {
      if (expiresAt > 0 && expiresAt <= deadline) {
        return true;
      }
    }
    return false;
  }

  // ---- replies

  private void disconnect(ProtocolClient client, Disconnect disconnect, String why) {
    LOG.log(INFO, () -> client.connection.id() + " disconnected with " + disconnect.code() + " (" + disconnect.reason() + "): " + why);
    client.unusable = true;
    if (clients.remove(client.connection) != null) {
      leaveAll(client);
    }
    client.connection.close(disconnect.code(), disconnect.reason());
  }

  // ---- joins and leaves, in namespaces that push them (join_leave with force_push_join_leave)

  private void announce(ProtocolClient client, String channel, Published.Kind kind) {
    NamespaceOptions options = settings.optionsFor(channel);
    if (options == null || !options.pushesJoinLeave()) {
      return;
    }
    client.connection.announce(channel, kind, client.clientInfo().encode()).onFailure(failure ->
        LOG.log(WARNING, () -> client.connection.id() + " " + kind.name().toLowerCase() + " on " + LogText.safe(channel)
            + " not announced: " + failure.getMessage()));
  }

  /** A client that goes leaves every channel it was in. */
  private void leaveAll(ProtocolClient client) {
    if (client.connected) {
      for (String channel : client.subscriptions.keySet()) {
        announce(client, channel, Published.Kind.LEAVE);
      }
    }
    client.subscriptions.clear();
  }

  private static void reply(StringBuilder replies, long id, String method, JsonObject result) {
    append(replies, new JsonObject().put("id", id).put(method, result));
  }

  private static void error(StringBuilder replies, long id, ProtocolError error) {
    JsonObject body = new JsonObject().put("code", error.code()).put("message", error.message());
    if (error.temporary()) {
      body.put("temporary", true);
    }
    append(replies, new JsonObject().put("id", id).put("error", body));
  }

  private static void append(StringBuilder replies, JsonObject reply) {
    if (!replies.isEmpty()) {
      replies.append('\n');
    }
    replies.append(reply.encode());
  }

  /** A token's expiry in a result: {@code expires} and {@code ttl} (seconds left), or nothing. */
  private static void expiry(JsonObject result, long expiresAt) {
    if (expiresAt > 0) {
      result.put("expires", true).put("ttl", Math.max(1, expiresAt - nowSeconds()));
    }
  }

  /** Token times are wall-clock seconds (JWT {@code exp}). */
  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
