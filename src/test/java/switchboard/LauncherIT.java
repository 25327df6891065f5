package switchboard;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import switchboard.chat.ChatRoom;
import switchboard.support.ChildServer;
import switchboard.support.WsClient;
import switchboard.app.CloseCodes;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real launcher in a child JVM: config and env overrides, SIGTERM, and bad config at startup. */
@ExtendWith(VertxExtension.class)
class LauncherIT {

  @Test
  void sigtermSaysGoodbyeThenClosesWith1001AndExitsCleanly(Vertx vertx) throws Exception {
    int filePort = ChildServer.freePort();
    int envPort = ChildServer.freePort();
    ChildServer child = new ChildServer("{\"port\": " + filePort + ", \"host\": \"127.0.0.1\", \"instances\": 1, \"shutdownGraceSeconds\": 5}",
        Map.of("SWITCHBOARD_PORT", String.valueOf(envPort), "SWITCHBOARD_INSTANCES", "3"));
    String startup = child.awaitLine("Switchboard listening");
    assertTrue(startup.contains("http://127.0.0.1:" + envPort), "the env port wins over the file: " + startup);
    assertTrue(startup.contains("instances: 3"), startup);
    assertTrue(startup.contains("/ -> switchboard.chat.ChatRoom") && startup.contains("/stream -> switchboard.apps.Stream"), startup);
    assertTrue(startup.contains("broker: local"), startup);
    assertTrue(startup.contains("transport: "), startup);
    assertTrue(startup.contains("client protocol: /connection/websocket (connect: nobody (set protocol.token keys))"),
        "a protocol nobody can use says so at startup: " + startup);

    WsClient a = WsClient.connect(vertx, envPort, "/ann");
    WsClient b = WsClient.connect(vertx, envPort, "/bo");
    a.send("hello");
    b.expect("ann: hello");
    a.expect("ann: hello");

    long start = System.nanoTime();
    child.process.destroy(); // SIGTERM
    for (WsClient c : List.of(a, b)) {
      c.expect(ChatRoom.GOODBYE);
      assertEquals(CloseCodes.GOING_AWAY, c.awaitClose());
    }
    int code = child.awaitExit();
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(code == 0 || code == 143, "clean exit after SIGTERM, got " + code + "\n" + child.output());
    assertTrue(seconds <= 5, "exit within the grace period, took " + seconds + " s");
    assertTrue(!child.output().contains("Exception"), child.output());
    // an ordinary run warns about nothing: a warning in the log must mean something to an operator
    assertTrue(!child.output().contains("WARNING"), child.output());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"prot\": 3000}                                  | | config key 'prot' = 3000: unknown key",
      "{\"port\": \"3000\"}                              | | config key 'port' = \"3000\": must be a whole number",
      "{\"port\": 70000}                                 | | config key 'port' = 70000: must be between 0 and 65535",
      "{\"instances\": -2}                               | | config key 'instances' = -2",
      "{\"webRoot\": \"/no/such/dir\"}                   | | config key 'webRoot' = \"/no/such/dir\": no such directory",
      "{\"apps\": {\"/\": \"com.example.Nope\"}}         | | config key 'apps./' = \"com.example.Nope\": no such class",
      "{\"apps\": {\"/\": \"java.lang.String\"}}         | | 'apps./' = \"java.lang.String\": does not implement switchboard.app.App",
      "{\"limits\": {\"maxFrameBytes\": true}}           | | config key 'limits.maxFrameBytes' = true",
      "{\"appOptions\": {\"/stream\": {\"channels\": 1}}} | | config key 'appOptions./stream' = {\"channels\":1}: channels must be",
      "{\"limits\": {\"maxFrames\": 1}}                  | | config key 'limits.maxFrames' = 1: unknown key",
      "{}                                                | abc | config key 'SWITCHBOARD_PORT (environment)' = \"abc\"",
  })
  void badConfigStopsStartupNamingTheKeyAndValue(String conf, String envPort, String expected) throws Exception {
    ChildServer child = new ChildServer(conf.trim(), envPort == null ? Map.of() : Map.of("SWITCHBOARD_PORT", envPort.trim()));
    int code = child.awaitExit();
    assertEquals(Launcher.EXIT_BAD_CONFIG, code, child.output());
    String output = child.output();
    assertNotNull(output);
    assertTrue(output.contains("switchboard: bad config: config key '"), output);
    assertTrue(output.contains(expected.trim()), output);
  }

  @Test
  void aConfFileThatCannotBeReadOrParsedStopsStartupNamingThePath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    ChildServer typo = new ChildServer(List.of("--conf", "/no/such/dir/typo.json"), Map.of());
    assertEquals(Launcher.EXIT_BAD_CONFIG, typo.awaitExit(), typo.output());
    assertTrue(typo.output().contains("cannot read --conf /no/such/dir/typo.json: no such file"), typo.output());
    java.nio.file.Path broken = java.nio.file.Files.writeString(dir.resolve("broken.json"), "{\"port\": 3000,");
    ChildServer parse = new ChildServer(List.of("--conf", broken.toString()), Map.of());
    assertEquals(Launcher.EXIT_BAD_CONFIG, parse.awaitExit(), parse.output());
    assertTrue(parse.output().contains("--conf " + broken + " is not a JSON object"), parse.output());
  }

  @Test
  void minusInstancesMeansServerInstancesNotCopiesOfTheServer() throws Exception {
    int port = ChildServer.freePort();
    ChildServer child = new ChildServer(List.of("--conf", "{\"port\": " + port + ", \"host\": \"127.0.0.1\"}",
        "-instances", "3"), Map.of());
    String startup = child.awaitLine("Switchboard listening");
    assertTrue(startup.contains("instances: 3"), startup);
    child.awaitLine("Succeeded in deploying verticle"); // the launcher's line once every copy it deploys is up
    child.process.destroy();
    child.awaitExit();
    assertEquals(1, child.output().lines().filter(l -> l.contains("Switchboard listening")).count(),
        "one server, not three: " + child.output());
  }

  @Test
  void minusClusterIsRefusedPointingAtRedis() throws Exception {
    ChildServer child = new ChildServer(List.of("-cluster"), Map.of());
    assertEquals(Launcher.EXIT_USAGE, child.awaitExit());
    assertTrue(child.output().contains("-cluster is not used: Switchboard hosts join through Redis. Set redis.uri"),
        child.output());
  }

  @Test
  void aPortInUseIsOneLineNamingThePortAndTheKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ChildServer child = new ChildServer("{\"port\": " + port + ", \"host\": \"127.0.0.1\"}", Map.of());
      assertEquals(Launcher.EXIT_BAD_CONFIG, child.awaitExit(), child.output());
      String output = child.output();
      assertTrue(output.contains("switchboard: cannot listen on 127.0.0.1:" + port) && output.contains("'port' in the config"),
          output);
      assertTrue(!output.contains("\tat ") && !output.contains("Exception in"), "no stack trace: " + output);
    }
  }

  @Test
  void helpShowsSwitchboardsCommandsAndKeysFirst() throws Exception {
    ChildServer child = new ChildServer(List.of("--help"), Map.of());
    child.awaitExit();
    String output = child.output();
    int ours = output.indexOf("Commands (./run.sh COMMAND):");
    assertTrue(ours >= 0 && output.contains("check-config") && output.contains("redis.uri (SWITCHBOARD_REDIS_URI)"), output);
    int vertx = output.indexOf("Usage:");
    assertTrue(vertx < 0 || vertx > ours, "Switchboard's part comes first: " + output);
  }
}
