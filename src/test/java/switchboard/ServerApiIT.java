package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.Http;
import switchboard.support.RawRedis;
import switchboard.support.RedisServer;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Centrifugo's server API at /api/&lt;method&gt;, and one channel reaching every audience: a message from the
 * chat, from {@code redis-cli PUBLISH}, from the server API and from a protocol client reaches chat clients
 * as text and protocol clients as a pub push, across two hosts sharing a real Redis.
 */
@ExtendWith(VertxExtension.class)
class ServerApiIT {

  private static final String KEY = "server-api-key-0123456789abcdef";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static JsonObject config(RedisServer redis) {
    JsonObject config = new JsonObject().put("instances", 2)
        .put("protocol", new JsonObject().put("apiKey", KEY)
            .put("token", new JsonObject().put("hmacSecret", ProtocolIT.SECRET))
            .put("withoutNamespace", new JsonObject().put("allow_subscribe_for_client", true).put("allow_publish_for_subscriber", true)
                .put("join_leave", true).put("force_push_join_leave", true)));
    return redis == null ? config : config.put("redis", new JsonObject().put("uri", redis.uri()));
  }

  private static HttpResponse<String> api(int port, String method, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/" + method))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theKeyIsRequiredAndMethodsAnswerInCentrifugosShapes(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, config(null));
    int port = server.port;
    assertEquals(401, api(port, "publish", "{}").statusCode());
    assertEquals(401, api(port, "publish", "{}", "X-API-Key", "wrong").statusCode());
    assertEquals(new JsonObject().put("result", new JsonObject()),
        new JsonObject(api(port, "publish", "{\"channel\":\"news\",\"data\":{\"a\":1}}", "X-API-Key", KEY).body()));
    assertEquals(new JsonObject().put("result", new JsonObject()),
        new JsonObject(api(port, "publish", "{\"channel\":\"news\",\"data\":1}", "Authorization", "apikey " + KEY).body()));
    assertEquals(200, api(port, "publish?api_key=" + KEY, "{\"channel\":\"news\",\"data\":1}").statusCode());
    assertEquals(107, new JsonObject(api(port, "publish", "{\"channel\":\"bad name\",\"data\":1}", "X-API-Key", KEY).body())
        .getJsonObject("error").getInteger("code"));
    assertEquals(102, new JsonObject(api(port, "publish", "{\"channel\":\"nope:x\",\"data\":1}", "X-API-Key", KEY).body())
        .getJsonObject("error").getInteger("code"));
    JsonArray responses = new JsonObject(api(port, "broadcast", "{\"channels\":[\"a\",\"nope:b\"],\"data\":\"x\"}", "X-API-Key", KEY)
        .body()).getJsonObject("result").getJsonArray("responses");
    assertEquals(new JsonArray().add(new JsonObject().put("result", new JsonObject()))
        .add(new JsonObject().put("error", new JsonObject().put("code", 102).put("message", "unknown channel"))), responses);
    for (String method : Set.of("presence", "presence_stats", "history", "history_remove")) { // until history lands
      assertEquals(108, new JsonObject(api(port, method, "{\"channel\":\"news\"}", "X-API-Key", KEY).body())
          .getJsonObject("error").getInteger("code"), method);
    }
    assertEquals(404, api(port, "dance", "{}", "X-API-Key", KEY).statusCode());
    assertEquals(new JsonObject().put("replies", new JsonArray()
            .add(new JsonObject().put("publish", new JsonObject()))
            .add(new JsonObject().put("error", new JsonObject().put("code", 102).put("message", "unknown channel")))
            .add(new JsonObject().put("error", new JsonObject().put("code", 104).put("message", "method not found")))),
        new JsonObject(api(port, "batch", "{\"commands\": [{\"publish\": {\"channel\": \"t1\", \"data\": {}}}, "
            + "{\"publish\": {\"channel\": \"x:t2\", \"data\": {}}}, {\"dance\": {}}]}", "X-API-Key", KEY).body()),
        "Centrifugo's batch example, plus an unknown method");
    assertEquals(400, api(port, "publish", "not json", "X-API-Key", KEY).statusCode());
    JsonObject info = new JsonObject(api(port, "info", "{}", "X-API-Key", KEY).body()).getJsonObject("result");
    assertEquals(1, info.getJsonArray("nodes").size());
    // the bearer-token publish route still stands beside the API (it is off here: no api.publishToken)
    assertEquals(404, Http.post(port, "/api/publish/news", "x", new byte[0]).statusCode());
  }

  @Test
  void oneChannelReachesEveryAudienceFromEverySource(Vertx vertx) throws Exception {
    onTwoHosts(vertx, (redis, a, b) -> {
      try (Clients onA = new Clients(a); Clients onB = new Clients(b)) {
        WsClient chat = onA.connect("/ann");
        WsClient watcher = protocolClient(onA, "w");
        watcher.send(new JsonObject().put("id", 2).put("subscribe", new JsonObject().put("channel", "chat")).encode());
        watcher.next();
        assertTrue(watcher.next().contains("\"join\""), "its own join");
        WsClient protocol = protocolClient(onB, "p");
        protocol.send(new JsonObject().put("id", 2).put("subscribe", new JsonObject().put("channel", "chat")).encode());
        protocol.next();
        assertTrue(protocol.next().contains("\"join\""), "its own join");
        JsonObject joinOnA = new JsonObject(watcher.next()).getJsonObject("push");
        assertEquals("p", joinOnA.getJsonObject("join").getJsonObject("info").getString("user"),
            "a join crosses hosts through Redis, with the client's info: " + joinOnA);
        redis.awaitSubscribers("chat", 2);

        chat.send("from the chat");
        assertEquals("ann: from the chat", chat.next(), "the chat never sees joins (they came first on this channel)");
        assertEquals(push("\"ann: from the chat\""), watcher.next());
        assertEquals(push("\"ann: from the chat\""), protocol.next());

        try (RawRedis cli = RawRedis.connect(Integer.parseInt(redis.uri().replaceAll(".*:", "")))) {
          cli.publish("chat", "from redis-cli".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("from redis-cli", chat.next());
        assertEquals(push("\"from redis-cli\""), protocol.next());
        assertEquals(push("\"from redis-cli\""), watcher.next());

        api(a.port, "publish", "{\"channel\":\"chat\",\"data\":{\"from\":\"api\"}}", "X-API-Key", KEY);
        assertEquals("{\"from\":\"api\"}", chat.next());
        assertEquals(push("{\"from\":\"api\"}"), protocol.next());
        assertEquals(push("{\"from\":\"api\"}"), watcher.next());

        protocol.send(new JsonObject().put("id", 3).put("publish", new JsonObject().put("channel", "chat")
            .put("data", new JsonArray().add("sdk"))).encode());
        assertEquals("[\"sdk\"]", chat.next());
        String first = protocol.next();
        String second = protocol.next();
        assertTrue(Set.of(first, second).contains("{\"id\":3,\"publish\":{}}"), first + " " + second);
        // on the other host, through Redis: the data and who published it
        JsonObject pub = new JsonObject(watcher.next()).getJsonObject("push").getJsonObject("pub");
        assertEquals(new JsonArray().add("sdk"), pub.getJsonArray("data"));
        assertEquals("p", pub.getJsonObject("info").getString("user"), pub.encode());
      }
    });
  }

  /** subscribe, unsubscribe and disconnect reach a user's connections on another host, and nobody else's. */
  @Test
  void userCommandsReachTheUsersConnectionsOnEveryHost(Vertx vertx) throws Exception {
    onTwoHosts(vertx, (redis, a, b) -> {
      try (Clients onB = new Clients(b)) {
        WsClient alice = protocolClient(onB, "alice");
        WsClient bob = protocolClient(onB, "bob");
        redis.awaitSubscribers("$switchboard:protocol", 2); // one Redis link per host

        assertEquals("{\"result\":{}}", api(a.port, "subscribe", "{\"user\":\"alice\",\"channel\":\"news\"}", "X-API-Key", KEY).body());
        assertEquals("{\"push\":{\"channel\":\"news\",\"subscribe\":{}}}", alice.next());
        assertTrue(alice.next().contains("\"join\""), "her own join (join_leave is pushed here)");
        redis.awaitSubscribers("news", 1);
        api(a.port, "publish", "{\"channel\":\"news\",\"data\":1}", "X-API-Key", KEY);
        assertEquals("{\"push\":{\"channel\":\"news\",\"pub\":{\"data\":1}}}", alice.next());

        api(a.port, "unsubscribe", "{\"user\":\"alice\",\"channel\":\"news\"}", "X-API-Key", KEY);
        assertEquals("{\"push\":{\"channel\":\"news\",\"unsubscribe\":{\"code\":2000,\"reason\":\"server unsubscribe\"}}}",
            alice.next());

        long expireAt = System.currentTimeMillis() / 1000 + 600;
        assertEquals("{\"result\":{}}", api(a.port, "refresh", "{\"user\":\"alice\",\"expire_at\":" + expireAt + "}", "X-API-Key", KEY).body());
        JsonObject refresh = new JsonObject(alice.next()).getJsonObject("push").getJsonObject("refresh");
        assertEquals(true, refresh.getBoolean("expires"));
        assertTrue(refresh.getInteger("ttl") > 590 && refresh.getInteger("ttl") <= 600, refresh.encode());
        assertEquals(107, new JsonObject(api(a.port, "refresh", "{\"user\":\"bob\",\"expired\":\"yes\"}", "X-API-Key", KEY).body())
            .getJsonObject("error").getInteger("code"));

        api(a.port, "disconnect", "{\"user\":\"alice\",\"disconnect\":{\"code\":4501,\"reason\":\"banned\"}}", "X-API-Key", KEY);
        assertEquals(4501, alice.awaitClose());
        assertEquals("banned", alice.closeReason());
        WsClient carol = protocolClient(onB, "carol");
        api(a.port, "refresh", "{\"user\":\"carol\",\"expired\":true}", "X-API-Key", KEY);
        assertEquals(3005, carol.awaitClose(), "marked expired: the SDK refreshes its token and reconnects");
        api(a.port, "disconnect", "{\"user\":\"bob\"}", "X-API-Key", KEY);
        assertEquals(3503, bob.awaitClose(), "force disconnect by default");
        assertEquals(107, new JsonObject(api(a.port, "disconnect", "{}", "X-API-Key", KEY).body()).getJsonObject("error").getInteger("code"));
      }
    });
  }

  /** info lists every node, and channels sums each channel's subscribers over every node, filtered by a glob. */
  @Test
  void infoAndChannelsCoverEveryHost(Vertx vertx) throws Exception {
    onTwoHosts(vertx, (redis, a, b) -> {
      try (Clients onA = new Clients(a); Clients onB = new Clients(b)) {
        onA.connect("/ann"); // the chat: channel "chat"
        WsClient p1 = protocolClient(onB, "p1");
        WsClient p2 = protocolClient(onA, "p2");
        int id = 10;
        for (WsClient client : List.of(p1, p2)) {
          for (String channel : List.of("news", "chat")) {
            client.send(new JsonObject().put("id", ++id).put("subscribe", new JsonObject().put("channel", channel)).encode());
            String reply;
            do { // joins may come first (join_leave is pushed here)
              reply = client.next();
            } while (reply.startsWith("{\"push\""));
            assertEquals("{\"id\":" + id + ",\"subscribe\":{}}", reply);
          }
        }
        p1.send(new JsonObject().put("id", 20).put("subscribe", new JsonObject().put("channel", "notes")).encode());
        p1.next();

        // another host's figures are its last heartbeat's (every 3 s): one sent before p1 connected says 0
        java.util.concurrent.atomic.AtomicReference<JsonArray> last = new java.util.concurrent.atomic.AtomicReference<>();
        switchboard.support.Eventually.await("info listing both hosts, host a with two clients and host b with one", 15, () -> {
          JsonArray seen = new JsonObject(api(a.port, "info", "{}", "X-API-Key", KEY).body()).getJsonObject("result").getJsonArray("nodes");
          last.set(seen);
          return seen.size() == 2 && clientsPerNode(seen).equals(Set.of(1, 2));
        });
        JsonArray nodes = last.get();
        assertEquals(2, nodes.size(), "info lists both hosts: " + nodes);
        assertEquals(Set.of(1, 2), clientsPerNode(nodes), "host a has the chat client and p2, host b has p1: " + nodes);

        JsonObject all = new JsonObject(api(b.port, "channels", "{}", "X-API-Key", KEY).body()).getJsonObject("result");
        assertEquals(new JsonObject().put("channels", new JsonObject()
            .put("chat", new JsonObject().put("num_clients", 3))
            .put("news", new JsonObject().put("num_clients", 2))
            .put("notes", new JsonObject().put("num_clients", 1))), all, "the reserved channels are not listed");
        assertEquals(Set.of("news", "notes"), new JsonObject(api(a.port, "channels", "{\"pattern\":\"n*\"}", "X-API-Key", KEY).body())
            .getJsonObject("result").getJsonObject("channels").fieldNames());
        assertEquals(Set.of("chat", "notes"), new JsonObject(api(a.port, "channels", "{\"pattern\":\"{chat,no?es}\"}", "X-API-Key", KEY).body())
            .getJsonObject("result").getJsonObject("channels").fieldNames());
        assertEquals(107, new JsonObject(api(a.port, "channels", "{\"pattern\":\"[ab\"}", "X-API-Key", KEY).body())
            .getJsonObject("error").getInteger("code"));
      }
    });
  }

  private static Set<Integer> clientsPerNode(JsonArray nodes) {
    Set<Integer> counts = new java.util.HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      counts.add(nodes.getJsonObject(i).getInteger("num_clients"));
    }
    return counts;
  }

  /** What a test does with two hosts sharing one real Redis. */
  private interface TwoHostTest {
    void run(RedisServer redis, TestServer a, TestServer b) throws Exception;
  }

  /** Host a on {@code vertx}, host b on a Vertx of its own (each asks for a random port), both on one Redis. */
  private static void onTwoHosts(Vertx vertx, TwoHostTest test) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      TestServer a = TestServer.start(vertx, config(redis));
      Vertx other = Vertx.vertx();
      try {
        TestServer b = TestServer.start(other, config(redis));
        Http.awaitRedisConnected(a, b);
        test.run(redis, a, b);
      } finally {
        other.close().await();
      }
    }
  }

  /** A protocol client connected as {@code user} (the connect reply taken). */
  private static WsClient protocolClient(Clients clients, String user) throws Exception {
    JWTAuth jwt = JWTAuth.create(clients.vertx(), new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
        .setBuffer(ProtocolIT.SECRET)));
    WsClient client = clients.connect("/connection/websocket");
    client.send(new JsonObject().put("id", 1).put("connect", new JsonObject()
        .put("token", jwt.generateToken(new JsonObject().put("sub", user), new JWTOptions()))).encode());
    assertTrue(new JsonObject(client.next()).containsKey("connect"));
    return client;
  }

  private static String push(String data) {
    return "{\"push\":{\"channel\":\"chat\",\"pub\":{\"data\":" + data + "}}}";
  }
}
