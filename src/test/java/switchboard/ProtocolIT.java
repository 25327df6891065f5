package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Centrifugo's client protocol at /connection/websocket over real sockets: commands and replies, pushes,
 * batching, tokens, permissions, errors and disconnect codes, and one channel shared with the chat.
 */
@ExtendWith(VertxExtension.class)
class ProtocolIT {

  static final String SECRET = "protocol-it-secret-0123456789abcdef";
  private TestServer server;
  private Clients clients;
  private JWTAuth jwt;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServer.start(vertx, new JsonObject().put("instances", 2)
        .put("protocol", new JsonObject()
            .put("token", new JsonObject().put("hmacSecret", SECRET))
            .put("pingIntervalSeconds", 2).put("pongTimeoutSeconds", 1).put("refreshGraceSeconds", 1)
            .put("withoutNamespace", new JsonObject().put("allow_subscribe_for_client", true)
                .put("allow_publish_for_subscriber", true))
            .put("namespaces", new JsonArray()
                .add(new JsonObject().put("name", "private"))
                .add(new JsonObject().put("name", "dialog").put("allow_user_limited_channels", true))
                .add(new JsonObject().put("name", "news").put("allow_subscribe_for_client", true)
                    .put("allow_subscribe_for_anonymous", true))
                .add(new JsonObject().put("name", "room").put("allow_subscribe_for_client", true)
                    .put("allow_publish_for_subscriber", true).put("join_leave", true).put("force_push_join_leave", true))
                .add(new JsonObject().put("name", "lobby").put("allow_subscribe_for_client", true).put("join_leave", true)))));
    clients = new Clients(server);
    jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
  }

  @AfterEach
  void closeClients() throws Exception {
    clients.close();
  }

  private String token(JsonObject claims) {
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
  }

  private String token(String user) {
    return token(new JsonObject().put("sub", user));
  }

  private WsClient protocol() throws Exception {
    return clients.connect("/connection/websocket");
  }

  /** A connected client of {@code user}; its connect reply is checked and consumed. */
  private WsClient connected(String user) throws Exception {
    WsClient c = protocol();
    c.send(command(1, "connect", new JsonObject().put("token", token(user))));
    JsonObject reply = new JsonObject(c.next());
    assertEquals(1, reply.getInteger("id"), reply.encode());
    assertFalse(reply.getJsonObject("connect").getString("client").isEmpty());
    return c;
  }

  private static String command(int id, String method, JsonObject params) {
    return new JsonObject().put("id", id).put(method, params).encode();
  }

  private static JsonObject reply(WsClient c) throws InterruptedException {
    String next = c.next();
    while (next.equals("{}")) { // the server's ping may come between any two frames
      next = c.next();
    }
    return new JsonObject(next);
  }

  @Test
  void connectSubscribeAndPublishReachProtocolAndChatClientsAlike() throws Exception {
    WsClient client = connected("42");
    client.send(command(2, "subscribe", new JsonObject().put("channel", "chat")));
    assertEquals(new JsonObject().put("id", 2).put("subscribe", new JsonObject()), reply(client));

    WsClient chat = clients.connect("/ann");
    chat.send("hello");
    assertEquals("ann: hello", chat.next());
    // the chat's plain line arrives as a JSON string in a pub push
    assertEquals(new JsonObject().put("push", new JsonObject().put("channel", "chat")
        .put("pub", new JsonObject().put("data", "ann: hello"))), reply(client));

    client.send(command(3, "publish", new JsonObject().put("channel", "chat").put("data", new JsonObject().put("text", "hi"))));
    // the JSON value arrives as is in the push, and as its JSON text in the chat
    List<JsonObject> two = List.of(reply(client), reply(client));
    assertTrue(two.contains(new JsonObject().put("id", 3).put("publish", new JsonObject())), two.toString());
    JsonObject pub = two.stream().filter(r -> r.containsKey("push")).findFirst().orElseThrow()
        .getJsonObject("push").getJsonObject("pub");
    assertEquals(new JsonObject().put("text", "hi"), pub.getJsonObject("data"), two.toString());
    assertEquals("42", pub.getJsonObject("info").getString("user"), "the publisher's ClientInfo travels with it: " + pub);
    assertEquals("{\"text\":\"hi\"}", chat.next(), "the chat gets the data alone");
  }

  /** join_leave with force_push_join_leave: every subscriber hears who came and went, with their info claim. */
  @Test
  void joinsAndLeavesReachTheSubscribersOfANamespaceThatPushesThem() throws Exception {
    WsClient bob = connected("bob");
    bob.send(command(2, "subscribe", new JsonObject().put("channel", "room:1")));
    assertEquals(new JsonObject().put("id", 2).put("subscribe", new JsonObject()), reply(bob));
    assertEquals("bob", reply(bob).getJsonObject("push").getJsonObject("join").getJsonObject("info").getString("user"),
        "bob hears his own join");

    WsClient alice = protocol();
    alice.send(command(1, "connect", new JsonObject().put("token",
        token(new JsonObject().put("sub", "alice").put("info", new JsonObject().put("name", "Alice"))))));
    String aliceId = reply(alice).getJsonObject("connect").getString("client");
    JsonObject aliceInfo = new JsonObject().put("user", "alice").put("client", aliceId)
        .put("conn_info", new JsonObject().put("name", "Alice"));
    alice.send(command(2, "subscribe", new JsonObject().put("channel", "room:1")));
    reply(alice);
    assertEquals(new JsonObject().put("push", new JsonObject().put("channel", "room:1")
        .put("join", new JsonObject().put("info", aliceInfo))), reply(bob));

    alice.send(command(3, "publish", new JsonObject().put("channel", "room:1").put("data", "hi")));
    assertEquals(new JsonObject().put("push", new JsonObject().put("channel", "room:1")
        .put("pub", new JsonObject().put("data", "hi").put("info", aliceInfo))), reply(bob));

    alice.send(command(4, "unsubscribe", new JsonObject().put("channel", "room:1")));
    assertEquals(new JsonObject().put("push", new JsonObject().put("channel", "room:1")
        .put("leave", new JsonObject().put("info", aliceInfo))), reply(bob));
    alice.send(command(5, "subscribe", new JsonObject().put("channel", "room:1")));
    assertTrue(reply(bob).getJsonObject("push").containsKey("join"));
    alice.close();
    assertEquals(new JsonObject().put("push", new JsonObject().put("channel", "room:1")
        .put("leave", new JsonObject().put("info", aliceInfo))), reply(bob), "a client that goes leaves");

    // where they are announced but not forced, asking for them needs presence permission (not in this version)
    bob.send(command(6, "subscribe", new JsonObject().put("channel", "lobby:1").put("join_leave", true)));
    assertEquals(103, reply(bob).getJsonObject("error").getInteger("code"));
    bob.send(command(7, "subscribe", new JsonObject().put("channel", "lobby:1")));
    assertEquals(new JsonObject().put("id", 7).put("subscribe", new JsonObject()), reply(bob));
    WsClient carol = connected("carol");
    carol.send(command(2, "subscribe", new JsonObject().put("channel", "lobby:1")));
    reply(carol);
    carol.send(command(3, "subscribe", new JsonObject().put("channel", "room:1")));
    reply(carol);
    assertEquals("carol", reply(bob).getJsonObject("push").getJsonObject("join").getJsonObject("info").getString("user"),
        "bob got no join for lobby:1, only the one for room:1");
  }

  @Test
  void commandsInOneFrameAreAnsweredInOneFrame() throws Exception {
    WsClient client = connected("7");
    client.send(command(2, "subscribe", new JsonObject().put("channel", "a")) + "\n"
        + command(3, "subscribe", new JsonObject().put("channel", "b")) + "\n"
        + command(4, "subscribe", new JsonObject().put("channel", "a")));
    String frame = client.next();
    String[] replies = frame.split("\n");
    assertEquals(3, replies.length, frame);
    assertEquals(new JsonObject().put("id", 2).put("subscribe", new JsonObject()), new JsonObject(replies[0]));
    assertEquals(new JsonObject().put("id", 3).put("subscribe", new JsonObject()), new JsonObject(replies[1]));
    assertEquals(105, new JsonObject(replies[2]).getJsonObject("error").getInteger("code"), "already subscribed");
  }

  @Test
  void permissionsFollowTheNamespaces() throws Exception {
    WsClient client = connected("42");
    client.send(command(2, "subscribe", new JsonObject().put("channel", "private:x")));
    assertEquals(103, reply(client).getJsonObject("error").getInteger("code"), "no token, namespace does not allow it");
    client.send(command(3, "subscribe", new JsonObject().put("channel", "nope:x")));
    assertEquals(102, reply(client).getJsonObject("error").getInteger("code"), "unknown namespace");
    client.send(command(4, "subscribe", new JsonObject().put("channel", "dialog:chat#42,43")));
    assertEquals(new JsonObject().put("id", 4).put("subscribe", new JsonObject()), reply(client), "a listed user");
    client.send(command(5, "subscribe", new JsonObject().put("channel", "dialog:chat#1,2")));
    assertEquals(103, reply(client).getJsonObject("error").getInteger("code"), "not a listed user");
    client.send(command(6, "publish", new JsonObject().put("channel", "news").put("data", 1)));
    assertEquals(103, reply(client).getJsonObject("error").getInteger("code"), "publishing needs the namespace's leave");
    client.send(command(7, "publish", new JsonObject().put("channel", "other").put("data", 1)));
    assertEquals(103, reply(client).getJsonObject("error").getInteger("code"), "a subscriber may publish; this client is not one");
    client.send(command(8, "subscribe", new JsonObject().put("channel", "bad name")));
    assertEquals(107, reply(client).getJsonObject("error").getInteger("code"), "not a channel name");
    client.send(command(9, "subscribe", new JsonObject().put("channel", "$switchboard:protocol")));
    assertEquals(107, reply(client).getJsonObject("error").getInteger("code"), "the server's own control channel");
  }

  @Test
  void aSubscriptionTokenOpensAPrivateChannelForItsUserOnly() throws Exception {
    WsClient client = connected("42");
    String mine = token(new JsonObject().put("sub", "42").put("channel", "private:x"));
    String other = token(new JsonObject().put("sub", "43").put("channel", "private:x"));
    client.send(command(2, "subscribe", new JsonObject().put("channel", "private:x").put("token", other)));
    assertEquals(103, reply(client).getJsonObject("error").getInteger("code"));
    client.send(command(3, "subscribe", new JsonObject().put("channel", "private:x").put("token", mine)));
    assertEquals(new JsonObject().put("id", 3).put("subscribe", new JsonObject()), reply(client));
  }

  @Test
  void presenceAndHistoryAreNotAvailableYetAndRpcHasNoMethods() throws Exception {
    WsClient client = connected("42");
    client.send(command(2, "presence", new JsonObject().put("channel", "chat")) + "\n"
        + command(3, "presence_stats", new JsonObject().put("channel", "chat")) + "\n"
        + command(4, "history", new JsonObject().put("channel", "chat")) + "\n"
        + command(5, "rpc", new JsonObject().put("method", "anything")));
    String[] replies = client.next().split("\n");
    assertEquals(108, new JsonObject(replies[0]).getJsonObject("error").getInteger("code"));
    assertEquals(108, new JsonObject(replies[1]).getJsonObject("error").getInteger("code"));
    assertEquals(108, new JsonObject(replies[2]).getJsonObject("error").getInteger("code"));
    assertEquals(new JsonObject().put("id", 5).put("error", new JsonObject().put("code", 104).put("message", "method not found")),
        new JsonObject(replies[3]));
  }

  @Test
  void badInputEndsTheConnectionWithTheDocumentedCodeAndOthersGoOn() throws Exception {
    WsClient notJson = connected("1");
    notJson.send("{oops");
    assertEquals(3501, notJson.awaitClose());

    WsClient beforeConnect = protocol();
    beforeConnect.send(command(1, "subscribe", new JsonObject().put("channel", "chat")));
    assertEquals(3501, beforeConnect.awaitClose());

    WsClient unknown = connected("2");
    unknown.send(command(2, "dance", new JsonObject()));
    assertEquals(3501, unknown.awaitClose());

    WsClient forged = protocol();
    forged.send(command(1, "connect", new JsonObject().put("token",
        JWTAuth.create(server.vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
            .setBuffer("another-secret-entirely-0123456789"))).generateToken(new JsonObject().put("sub", "x")))));
    assertEquals(3500, forged.awaitClose());
    assertEquals("invalid token", forged.closeReason());

    WsClient noToken = protocol();
    noToken.send(command(1, "connect", new JsonObject()));
    assertEquals(3501, noToken.awaitClose(), "anonymous connect is off by default");

    WsClient still = connected("3");
    still.send(command(2, "subscribe", new JsonObject().put("channel", "chat")));
    assertEquals(new JsonObject().put("id", 2).put("subscribe", new JsonObject()), reply(still));
  }

  @Test
  void anExpiredTokenGets109AndARefreshKeepsTheConnection() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    WsClient expired = protocol();
    expired.send(command(1, "connect", new JsonObject().put("token", token(new JsonObject().put("sub", "5").put("exp", now - 10)))));
    JsonObject error = reply(expired);
    assertEquals(109, error.getJsonObject("error").getInteger("code"), error.encode());

    WsClient client = protocol().answerProtocolPings(); // it must outlive the lapsed one below, as an SDK would
    now = System.currentTimeMillis() / 1000;
    client.send(command(1, "connect", new JsonObject().put("token", token(new JsonObject().put("sub", "5").put("exp", now + 2)))));
    JsonObject connect = reply(client).getJsonObject("connect");
    assertEquals(true, connect.getBoolean("expires"));
    assertTrue(connect.getInteger("ttl") >= 1 && connect.getInteger("ttl") <= 2, connect.encode());
    client.send(command(2, "refresh", new JsonObject().put("token", token(new JsonObject().put("sub", "5").put("exp", now + 600)))));
    JsonObject refresh = reply(client).getJsonObject("refresh");
    assertTrue(refresh.getInteger("ttl") > 500, refresh.encode());

    WsClient lapsed = protocol();
    long soon = System.currentTimeMillis() / 1000 + 2;
    lapsed.send(command(1, "connect", new JsonObject().put("token", token(new JsonObject().put("sub", "6").put("exp", soon)))));
    assertTrue(reply(lapsed).containsKey("connect"));
    assertEquals(3005, lapsed.awaitCloseAnsweringPings(), "expired and not refreshed within the 1 s grace");

    client.send(command(3, "subscribe", new JsonObject().put("channel", "still-here")));
    assertEquals(3, reply(client).getInteger("id"), "the refreshed client outlived its first token");
  }

  @Test
  void theServerPingsWithAnEmptyObjectAndDropsAClientThatDoesNotPong() throws Exception {
    WsClient answering = connected("1");
    WsClient silent = connected("2");
    assertEquals("{}", answering.next(), "a ping within the 2 s interval");
    answering.send("{}");
    assertEquals("{}", silent.next());
    assertEquals(3012, silent.awaitClose(), "no pong within 1 s");
    assertEquals("{}", answering.next(), "the next ping: the answering client is still connected");
  }

  /** RS256 and ES256 tokens checked against PEM public keys (the backend keeps the private keys). */
  @Test
  void rs256AndEs256TokensAreCheckedWithTheirPublicKeys(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    // a Vertx of its own: two servers asking one Vertx for a random port (-1) would share it
    Vertx vertx = Vertx.vertx();
    java.security.KeyPairGenerator rsaKeys = java.security.KeyPairGenerator.getInstance("RSA");
    rsaKeys.initialize(2048);
    java.security.KeyPair rsa = rsaKeys.generateKeyPair();
    java.security.KeyPairGenerator ecKeys = java.security.KeyPairGenerator.getInstance("EC");
    ecKeys.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair ec = ecKeys.generateKeyPair();
    java.nio.file.Files.writeString(dir.resolve("rsa.pem"), pem("PUBLIC KEY", rsa.getPublic().getEncoded()));
    java.nio.file.Files.writeString(dir.resolve("ec.pem"), pem("PUBLIC KEY", ec.getPublic().getEncoded()));
    TestServer keyed = TestServer.start(vertx, new JsonObject().put("instances", 1)
        .put("protocol", new JsonObject().put("token", new JsonObject()
            .put("rsaPublicKeyPath", dir.resolve("rsa.pem").toString())
            .put("ecdsaPublicKeyPath", dir.resolve("ec.pem").toString()))));
    JWTAuth rsaSigner = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256")
        .setBuffer(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))));
    JWTAuth ecSigner = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256")
        .setBuffer(pem("PRIVATE KEY", ec.getPrivate().getEncoded()))));
    try (Clients own = new Clients(keyed)) {
      for (String token : List.of(rsaSigner.generateToken(new JsonObject().put("sub", "r"), new JWTOptions().setAlgorithm("RS256")),
          ecSigner.generateToken(new JsonObject().put("sub", "e"), new JWTOptions().setAlgorithm("ES256")))) {
        WsClient c = own.connect("/connection/websocket");
        c.send(command(1, "connect", new JsonObject().put("token", token)));
        assertTrue(reply(c).containsKey("connect"), "accepted: " + token.substring(0, 20));
      }
      WsClient hmac = own.connect("/connection/websocket");
      hmac.send(command(1, "connect", new JsonObject().put("token", token("h"))));
      assertEquals(3500, hmac.awaitClose(), "no HMAC secret is configured on this server");
    } finally {
      vertx.close().await();
    }
  }

  /** Keys from a JWKS file and from a JWKS URL, including a key that appears there later (rotation). */
  @Test
  void jwksKeysFromAFileAndFromAUrlThatRotates(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Vertx vertx = Vertx.vertx(); // its own Vertx: see above
    try {
      java.util.Map<String, java.security.KeyPair> keys = new java.util.HashMap<>();
      for (String kid : List.of("file-key", "url-key", "rotated-key")) {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys.put(kid, generator.generateKeyPair());
      }
      java.nio.file.Files.writeString(dir.resolve("jwks.json"), new JsonObject().put("keys", new JsonArray()
          .add(jwk("file-key", keys.get("file-key")))).encode());
      JsonArray served = new JsonArray().add(jwk("url-key", keys.get("url-key")));
      io.vertx.core.http.HttpServer jwksServer = vertx.createHttpServer()
          .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("keys", served).encode()))
          .listen(0, "127.0.0.1").await();
      TestServer keyed = TestServer.start(vertx, new JsonObject().put("instances", 1)
          .put("protocol", new JsonObject().put("token", new JsonObject()
              .put("jwksPath", dir.resolve("jwks.json").toString())
              .put("jwksUrl", "http://127.0.0.1:" + jwksServer.actualPort() + "/jwks"))));
      try (Clients own = new Clients(keyed)) {
        JsonObject fromFile = connectWith(own, signed(vertx, "file-key", keys.get("file-key")));
        assertTrue(fromFile.containsKey("connect"), fromFile.encode());
        switchboard.support.Eventually.await("the JWKS URL was fetched", 10, () ->
            connectWith(own, signed(vertx, "url-key", keys.get("url-key"))).containsKey("connect"));
        JsonObject unknown = connectWith(own, signed(vertx, "rotated-key", keys.get("rotated-key")));
        assertEquals(new JsonObject().put("code", 100).put("message", "internal server error").put("temporary", true),
            unknown.getJsonObject("error"), "a key the server does not hold yet is a temporary error, not an invalid token");
        served.add(jwk("rotated-key", keys.get("rotated-key")));
        switchboard.support.Eventually.await("the rotated key is fetched on demand", 15, () ->
            connectWith(own, signed(vertx, "rotated-key", keys.get("rotated-key"))).containsKey("connect"));
      }
    } finally {
      vertx.close().await();
    }
  }

  private static JsonObject connectWith(Clients clients, String token) throws Exception {
    WsClient c = clients.connect("/connection/websocket");
    c.send(command(1, "connect", new JsonObject().put("token", token)));
    return reply(c);
  }

  private static String signed(Vertx vertx, String kid, java.security.KeyPair pair) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setId(kid)
        .setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))))
        .generateToken(new JsonObject().put("sub", kid), new JWTOptions().setAlgorithm("RS256"));
  }

  /** The public half of an RSA key as a JWK (RFC 7517). */
  private static JsonObject jwk(String kid, java.security.KeyPair pair) {
    java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) pair.getPublic();
    java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
    return new JsonObject().put("kty", "RSA").put("kid", kid).put("alg", "RS256").put("use", "sig")
        .put("n", url.encodeToString(unsigned(key.getModulus())))
        .put("e", url.encodeToString(unsigned(key.getPublicExponent())));
  }

  private static byte[] unsigned(java.math.BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  @Test
  void serverSideSubscriptionsFromTheTokenAreListedInTheConnectReply() throws Exception {
    WsClient client = protocol();
    client.send(command(1, "connect", new JsonObject().put("token", token(new JsonObject().put("sub", "9")
        .put("channels", new JsonArray().add("personal:#9").add("alerts"))))));
    JsonObject subs = reply(client).getJsonObject("connect").getJsonObject("subs");
    assertEquals(new JsonObject().put("personal:#9", new JsonObject()).put("alerts", new JsonObject()), subs);
    WsClient chat = clients.connect("/x");
    chat.send("warm");
    chat.next();
    WsClient publisher = connected("10");
    publisher.send(command(2, "subscribe", new JsonObject().put("channel", "alerts")));
    reply(publisher);
    publisher.send(command(3, "publish", new JsonObject().put("channel", "alerts").put("data", "fire")));
    JsonObject push = reply(client);
    assertEquals("fire", push.getJsonObject("push").getJsonObject("pub").getString("data"), push.encode());
    assertEquals("alerts", push.getJsonObject("push").getString("channel"));
  }
}
