package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

/** The app printed in the README (copied verbatim into src/test/java/example) mounts and works. */
@ExtendWith(VertxExtension.class)
class ReadmeExampleIT {

  @Test
  void theReadmeRoomsAppWorksWhenMountedBesideTheChat(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2)
        .put("apps", new JsonObject().put("/", "switchboard.chat.ChatRoom").put("/rooms", "example.Rooms")));
    try (Clients clients = new Clients(server)) {
      WsClient first = clients.connect("/rooms/kitchen");
      first.expect("someone joined (1 online)");
      WsClient second = clients.connect("/rooms/kitchen");
      first.expect("someone joined (2 online)");
      second.expect("someone joined (2 online)");
      WsClient elsewhere = clients.connect("/rooms/garden");
      elsewhere.expect("someone joined (3 online)");
      second.send("soup is ready");
      first.expect("soup is ready");
      second.expect("soup is ready");
      elsewhere.send("only the garden hears this");
      elsewhere.expect("only the garden hears this");
      server.stop();
      first.expect("bye");
    }
  }
}
