package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.chat.ChatRoom;
import switchboard.support.RawHttp;
import switchboard.support.ChatOrder;
import switchboard.support.Clients;
import switchboard.support.NativeTransport;
import switchboard.support.TestServer;
import switchboard.support.WsClient;
import switchboard.app.CloseCodes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's chat room on a real server with 4 instances, through real WebSocket clients. */
@ExtendWith(VertxExtension.class)
class ChatIT {

  private static final int INSTANCES = 4;
  private Clients clients;
  private TestServer server;

  /** {@code transport.fastPath} of the server under test ({@link PublicApiChatIT} runs all this on false). */
  boolean fastPath() {
    return true;
  }

  private JsonObject config() {
    return new JsonObject().put("instances", INSTANCES).put("transport", new JsonObject().put("fastPath", fastPath()));
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServer.start(vertx, config()
        .put("apps", new JsonObject().put("/", ChatRoom.class.getName()).put("/info", "switchboard.testapps.InfoApp")));
    clients = new Clients(server);
  }

  @AfterEach
  void closeClients() throws Exception {
    clients.close();
  }

  private WsClient connect(String uri) throws Exception {
    return clients.connect(uri);
  }

  @Test
  void connectionsAreSpreadOverTheInstances() throws Exception {
    Set<String> eventLoops = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      WsClient c = connect("/info");
      c.send("?");
      eventLoops.add(new JsonObject(c.next()).getString("thread"));
    }
    assertTrue(eventLoops.size() >= 3, "8 connections should use at least 3 of 4 event loops: " + eventLoops);
  }

  @Test
  void everyLineReachesEveryClientOnEveryInstanceOnceInOneOrder() throws Exception {
    ChatOrder.check(clients, 6, 25);
  }

  /** Production runs on epoll, where a delivery may skip Netty's queue (DirectSend): the same promises hold. */
  @Test
  void theSameOnTheNativeTransport() throws Exception {
    NativeTransport.run(epoll -> {
      TestServer onEpoll = TestServer.start(epoll, config()
          .put("apps", new JsonObject().put("/", ChatRoom.class.getName())));
      try (Clients epollClients = new Clients(onEpoll)) {
        ChatOrder.check(epollClients, 8, 60);
      }
    });
  }

  @Test
  void theNicknameIsThePercentDecodedUtf8Path() throws Exception {
    WsClient eleve = connect("/%C3%A9l%C3%A8ve");
    WsClient other = connect("/bob");
    eleve.send("bonjour <b>tout</b> le monde");
    eleve.expect("élève: bonjour <b>tout</b> le monde");
    other.expect("élève: bonjour <b>tout</b> le monde");
  }

  @Test
  void theSenderHearsItsOwnLine() throws Exception {
    WsClient alone = connect("/solo");
    alone.send("echo?");
    alone.expect("solo: echo?");
  }

  @Test
  void theSeedHandshakeGets101WithTheRfcAcceptKey() throws Exception {
    String key = "SGVsbG8sIHdvcmxkIQ==";
    String response = RawHttp.exchange(server.port, "GET / HTTP/1.1\r\nHost: localhost:3000\r\nUser-Agent: curl/7.88.1\r\n"
        + "Accept: */*\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n");
    byte[] sha1 = MessageDigest.getInstance("SHA-1")
        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
    String accept = Base64.getEncoder().encodeToString(sha1);
    assertEquals("qGEgH3En71di5rrssAZTmtRTyFk=", accept, "RFC 6455 accept value of the seed's key");
    assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
    assertTrue(response.toLowerCase().contains("sec-websocket-accept: " + accept.toLowerCase()), response);
  }

  @Test
  void binaryMessagesAreRefusedWith1003() throws Exception {
    WsClient c = connect("/bin");
    c.sendBinary(new byte[] {1, 2, 3});
    assertEquals(CloseCodes.UNSUPPORTED_DATA, c.awaitClose());
  }

  @Test
  void anUpgradePathThatIsNotUtf8IsRefusedWith400() throws Exception {
    String response = RawHttp.exchange(server.port, RawHttp.upgradeRequest("x", "/%C3%28"));
    assertEquals(400, RawHttp.status(response), response);
    // and the server keeps serving others
    WsClient c = connect("/after");
    c.send("still here");
    c.expect("after: still here");
  }
}
