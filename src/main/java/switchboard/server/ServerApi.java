package switchboard.server;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import switchboard.app.LogText;
import switchboard.config.ProtocolSettings;
import switchboard.pubsub.Channels;
import switchboard.pubsub.Message;
import switchboard.pubsub.Publisher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Centrifugo's HTTP server API: {@code POST /api/<method>} with a JSON body, authorized by
 * {@code X-API-Key: <key>} (or {@code Authorization: apikey <key>}, or {@code ?api_key=}). Like Centrifugo, a
 * method's failure is HTTP 200 with {@code {"error":{"code","message"}}} (102 unknown channel, 107 bad
 * request, 108 not available, 100 internal); HTTP statuses are for the request itself (401 key, 400 not
 * JSON, 404 no such method, 413 too large).
 *
 * <p>Methods: {@code publish} and {@code broadcast} (through the same publisher as every client, so one
 * channel reaches the chat, SSE and protocol clients alike), {@code subscribe}, {@code unsubscribe} and
 * {@code disconnect} and {@code refresh} for a user's protocol connections on every host, {@code info} and {@code channels} for
 * every host ({@link NodeDirectory}), and {@code batch} of those, run in order. {@code presence},
 * {@code presence_stats}, {@code history} and {@code history_remove} answer 108 until history and presence
 * land. Thread-safe (stateless past construction); handlers run on the route's event loop.
 */
final class ServerApi {

  private static final System.Logger LOG = System.getLogger(ServerApi.class.getName());
  static final List<String> NOT_YET = List.of("presence", "presence_stats", "history", "history_remove");

  private final byte[] key;
  private final Publisher publisher;
  private final ProtocolSettings protocol;
  private final Node node;

  ServerApi(ProtocolSettings protocol, Node node) {
    this.key = protocol.apiKey().getBytes(StandardCharsets.UTF_8);
    this.publisher = node.publisher();
    this.protocol = protocol;
    this.node = node;
  }

  /** Before the body is read: an unauthorized caller cannot make the server buffer anything. */
  void authorize(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-API-Key");
    String authorization = ctx.request().getHeader("Authorization");
    if (given == null && authorization != null && authorization.regionMatches(true, 0, "apikey ", 0, 7)) {
      given = authorization.substring(7).trim();
    }
    if (given == null) {
      given = ctx.request().getParam("api_key");
    }
    if (given == null || !MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
      String what = given == null ? "no" : "wrong";
      LOG.log(WARNING, () -> "server API: " + what + " API key from " + ctx.request().remoteAddress());
      ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "send X-API-Key: <protocol.apiKey>").encode());
      return;
    }
    ctx.next();
  }

  void handle(RoutingContext ctx) {
    String method = ctx.pathParam("method");
    JsonObject body;
    try {
      body = ctx.body().buffer() == null || ctx.body().buffer().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "the body must be a JSON object").encode());
      return;
    }
    Future<JsonObject> answer = method.equals("batch") ? batch(body) : call(method, body);
    if (answer == null) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end(error(104, "method not found").encode());
      return;
    }
    answer.onComplete(ar -> ctx.response().putHeader("Content-Type", "application/json")
        .end((ar.succeeded() ? ar.result() : error(100, "internal server error")).encode()));
  }

  /** One method's answer ({@code {"result": …}} or {@code {"error": …}}), or null when there is no such method. */
  private Future<JsonObject> call(String method, JsonObject body) {
    return switch (method) {
      case "publish" -> publish(body.getString("channel"), body);
      case "broadcast" -> broadcast(body);
      case "info" -> Future.succeededFuture(result(new JsonObject().put("nodes", new JsonArray(node.directory().nodes()))));
      case "channels" -> channels(body);
      case "subscribe", "unsubscribe", "disconnect", "refresh" -> control(method, body);
      default -> NOT_YET.contains(method) ? Future.succeededFuture(error(108, "not available")) : null;
    };
  }

  /**
   * {@code {"commands": [{"<method>": {…}}, …]}}, run one after the other: {@code {"replies": [{"<method>":
   * {…}} or {"error": …}, …]}}, in order (a batch is nested no deeper).
   */
  private Future<JsonObject> batch(JsonObject body) {
    if (!(body.getValue("commands") instanceof JsonArray commands)) {
      return Future.succeededFuture(error(107, "bad request: commands must be a list"));
    }
    JsonArray replies = new JsonArray();
    Future<Void> done = Future.succeededFuture();
    for (Object item : commands) {
      done = done.compose(v -> {
        if (!(item instanceof JsonObject command) || command.size() != 1
            || !(command.getValue(command.fieldNames().iterator().next()) instanceof JsonObject params)) {
          replies.add(error(107, "bad request: a command is {\"<method>\": {…}}"));
          return Future.succeededFuture();
        }
        String method = command.fieldNames().iterator().next();
        Future<JsonObject> answer = method.equals("batch") ? null : call(method, params);
        if (answer == null) {
          replies.add(error(104, "method not found"));
          return Future.succeededFuture();
        }
        return answer.map(reply -> {
          replies.add(reply.containsKey("error") ? reply : new JsonObject().put(method, reply.getJsonObject("result")));
          return null;
        });
      });
    }
    return done.map(v -> new JsonObject().put("replies", replies));
  }

  /** One publication: {@code data} (any JSON value) as its JSON text, or {@code b64data} as bytes. */
  private Future<JsonObject> publish(String channel, JsonObject body) {
    if (channel == null || !Channels.isValid(channel) || channel.length() > protocol.channelMaxLength()) {
      return Future.succeededFuture(error(107, "bad request: " + Channels.INVALID_NAME));
    }
    if (protocol.optionsFor(channel) == null) {
      return Future.succeededFuture(error(102, "unknown channel"));
    }
    Message message;
    if (body.containsKey("b64data")) {
      try {
        message = Message.binary(channel, Base64.getDecoder().decode(body.getString("b64data")));
      } catch (IllegalArgumentException | ClassCastException e) {
        return Future.succeededFuture(error(107, "bad request: b64data is not base64"));
      }
    } else if (body.containsKey("data")) {
      message = Message.text(channel, Json.encode(body.getValue("data")));
    } else {
      return Future.succeededFuture(error(107, "bad request: data is required"));
    }
    return publisher.publish(message).map(reach -> result(new JsonObject())).recover(failure -> {
      if (failure instanceof Publisher.Refused refused && refused.reason() == Publisher.Refused.Reason.TOO_LARGE) {
        return Future.succeededFuture(error(107, "bad request: " + refused.getMessage()));
      }
      LOG.log(WARNING, () -> "server API: publish to " + LogText.safe(channel) + " failed: " + failure);
      return Future.succeededFuture(error(100, "internal server error"));
    });
  }

  /**
   * A command for a user's connections wherever they are: published on Switchboard's own control channel,
   * which every host's protocol instances listen to. {@code subscribe} and {@code unsubscribe} need a
   * channel; {@code disconnect} takes an optional {@code disconnect: {code, reason}} (3000-4999; 3503, force
   * disconnect, by default); {@code refresh} takes {@code expired} (disconnect with 3005), or {@code expire_at}
   * (epoch seconds; 0 or absent: never) and {@code info}; {@code client} narrows it to one connection.
   */
  private Future<JsonObject> control(String op, JsonObject body) {
    if (!(body.getValue("user") instanceof String user)) {
      return Future.succeededFuture(error(107, "bad request: user is required"));
    }
    JsonObject command = new JsonObject().put("op", op).put("user", user);
    if (body.getValue("client") instanceof String client) {
      command.put("client", client);
    }
    if (op.equals("refresh")) {
      if (body.containsKey("expired") && !(body.getValue("expired") instanceof Boolean)
          || body.containsKey("expire_at") && !(body.getValue("expire_at") instanceof Number)) {
        return Future.succeededFuture(error(107, "bad request: expired is a boolean, expire_at a number of seconds"));
      }
      command.put("expired", body.getBoolean("expired", false)).put("expire_at", body.getLong("expire_at", 0L));
      if (body.containsKey("info")) {
        command.put("info", body.getValue("info"));
      }
    } else if (!op.equals("disconnect")) {
      String channel = body.getString("channel");
      if (channel == null || !Channels.isValid(channel) || channel.length() > protocol.channelMaxLength()) {
        return Future.succeededFuture(error(107, "bad request: " + Channels.INVALID_NAME));
      }
      command.put("channel", channel);
    } else if (body.getValue("disconnect") instanceof JsonObject custom) {
      int code = custom.getInteger("code", 3503);
      if (code < 3000 || code > 4999) {
        return Future.succeededFuture(error(107, "bad request: a disconnect code is 3000-4999"));
      }
      command.put("code", code).put("reason", custom.getString("reason", ""));
    }
    return publisher.publishReserved(Message.text(Channels.PROTOCOL_CONTROL, command.encode()))
        .map(reach -> result(new JsonObject()))
        .recover(failure -> {
          LOG.log(WARNING, () -> "server API: " + op + " not sent: " + failure);
          return Future.succeededFuture(error(100, "internal server error"));
        });
  }

  /** The same data to many channels: one publish response per channel, in order. */
  private Future<JsonObject> broadcast(JsonObject body) {
    if (!(body.getValue("channels") instanceof JsonArray channels)) {
      return Future.succeededFuture(error(107, "bad request: channels must be a list"));
    }
    List<Future<JsonObject>> each = new ArrayList<>();
    for (Object channel : channels) {
      each.add(publish(channel instanceof String s ? s : null, body));
    }
    return Future.all(each).map(all -> {
      JsonArray responses = new JsonArray();
      each.forEach(f -> responses.add(f.result()));
      return result(new JsonObject().put("responses", responses));
    });
  }

  /**
   * Channels with subscribers on any host, optionally matching {@code pattern} ({@link ChannelPattern}):
   * {@code {"channels": {"<channel>": {"num_clients": n}}}}, summed over every node's answer to a survey.
   */
  private Future<JsonObject> channels(JsonObject body) {
    Object pattern = body.getValue("pattern");
    if (pattern != null) {
      if (!(pattern instanceof String glob)) {
        return Future.succeededFuture(error(107, "bad request: pattern must be a string"));
      }
      try {
        ChannelPattern.of(glob);
      } catch (IllegalArgumentException e) {
        return Future.succeededFuture(error(107, "bad request: pattern: " + e.getMessage()));
      }
    }
    return node.directory().survey("channels", body).map(answers -> {
      JsonObject channels = new JsonObject();
      for (JsonObject answer : answers) {
        answer.getJsonObject("channels", new JsonObject()).forEach(entry -> {
          int clients = ((JsonObject) entry.getValue()).getInteger("num_clients", 0);
          JsonObject sum = channels.getJsonObject(entry.getKey());
          channels.put(entry.getKey(), new JsonObject().put("num_clients", clients + (sum == null ? 0 : sum.getInteger("num_clients"))));
        });
      }
      return result(new JsonObject().put("channels", channels));
    }).recover(failure -> {
      LOG.log(WARNING, () -> "server API: channels failed: " + failure.getMessage());
      return Future.succeededFuture(error(100, "internal server error"));
    });
  }

  /** This host's part of {@code channels}: its channels with their subscriber counts (any thread). */
  static JsonObject localChannels(Node node, JsonObject params) {
    String glob = params.getString("pattern");
    ChannelPattern pattern = glob == null ? null : ChannelPattern.of(glob);
    JsonObject channels = new JsonObject();
    node.meters().channelSubscribers().forEach((channel, clients) -> {
      if (pattern == null || pattern.matches(channel)) {
        channels.put(channel, new JsonObject().put("num_clients", clients));
      }
    });
    return new JsonObject().put("channels", channels);
  }

  private static JsonObject result(JsonObject result) {
    return new JsonObject().put("result", result);
  }

  private static JsonObject error(int code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }
}
