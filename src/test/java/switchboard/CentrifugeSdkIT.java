package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import switchboard.support.Http;
import switchboard.support.NodeSdk;
import switchboard.support.ProcessLines;
import switchboard.support.TestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Centrifugo's JavaScript SDK, {@code centrifuge} from npm (the exact version in src/test/node/package-lock.json),
 * unchanged, under Node, against a real server: {@code src/test/node/sdk-scenarios.js} holds the scenarios and
 * their assertions; this test installs the SDK (npm ci into target/node-sdk), runs each scenario, and for
 * one of them restarts the server midway.
 */
class CentrifugeSdkIT {

  private static final Path WORK = NodeSdk.WORK;
  private Vertx vertx;
  private TestServer server;

  @BeforeAll
  static void installTheSdk() throws Exception {
    NodeSdk.install();
  }

  private static JsonObject config(int port) {
    return new JsonObject().put("instances", 2).put("port", port)
        .put("api", new JsonObject().put("publishToken", "sdk-test-publish-token-0123456789"))
        .put("protocol", new JsonObject()
            .put("token", new JsonObject().put("hmacSecret", ProtocolIT.SECRET))
            .put("withoutNamespace", new JsonObject().put("allow_subscribe_for_client", true)
                .put("allow_publish_for_subscriber", true))
            .put("namespaces", new JsonArray().add(new JsonObject().put("name", "private"))
                .add(new JsonObject().put("name", "room").put("allow_subscribe_for_client", true)
                    .put("join_leave", true).put("force_push_join_leave", true))));
  }

  private void startServer(int port) throws Exception {
    server = TestServer.start(vertx, config(port));
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  /** A scenario of sdk-scenarios.js, as a child process whose output lines are collected. */
  private static final class Scenario {
    final Process process;
    final ProcessLines lines;

    Scenario(int port, String name) throws IOException {
      process = new ProcessBuilder("node", "sdk-scenarios.js", "ws://127.0.0.1:" + port + "/connection/websocket",
          ProtocolIT.SECRET, name).directory(WORK.toFile()).redirectErrorStream(true).start();
      lines = new ProcessLines(process);
    }

    void await(String containing) throws InterruptedException {
      lines.await(containing, "\"failed\"");
    }

    void tell(String line) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    void passes(String name) throws Exception {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("the scenario did not finish; output:\n" + output());
      }
      assertEquals(0, process.exitValue(), "the SDK scenario failed; output:\n" + output());
      assertTrue(output().contains("{\"ok\":\"" + name + "\"}"), output());
    }

    String output() {
      return lines.all();
    }
  }

  private void scenario(String name) throws Exception {
    vertx = Vertx.vertx();
    startServer(0);
    new Scenario(server.port, name).passes(name);
  }

  @Test
  void connectSubscribePublishAndTheDocumentedErrors() throws Exception {
    scenario("basics");
  }

  @Test
  void anExpiringTokenIsRefreshedThroughGetToken() throws Exception {
    scenario("refresh");
  }

  @Test
  void joinsAndLeavesReachTheSdksEvents() throws Exception {
    scenario("joinLeave");
  }

  @Test
  void theTokensChannelsAreServerSideSubscriptions() throws Exception {
    scenario("serverSide");
  }

  @Test
  void afterAServerRestartTheSdkReconnectsAndResubscribes() throws Exception {
    vertx = Vertx.vertx();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    startServer(port);
    Scenario sdk = new Scenario(port, "restart");
    sdk.await("\"times\":1");
    server.stop();
    startServer(port);
    sdk.tell("restarted");
    sdk.await("resubscribed");
    var published = Http.post(port, "/api/publish/chat", "sdk-test-publish-token-0123456789",
        "after the restart".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, published.statusCode(), published.body());
    sdk.tell("published");
    sdk.passes("restart");
  }
}
