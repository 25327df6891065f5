package switchboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import switchboard.support.NodeSdk;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The client protocol's demo page at /demo/ in real Chromium, with Centrifugo's real browser SDK: it shows
 * the chat channel live, and what it publishes reaches the chat.
 *
 * <p>The server takes the SDK from the WebJar {@code org.webjars.npm:centrifuge}. Maven Central does not
 * serve that WebJar to this machine (404 for every version), so the test builds a jar in the WebJar's
 * layout from the same SDK installed from npm's registry (the lock file pins 5.7.4) and hands it to the
 * server through {@code appsPath}, as an operator would the WebJar.
 */
@Tag("e2e")
@ExtendWith(VertxExtension.class)
class DemoBrowserE2E {

  @Test
  void theDemoPageShowsTheChannelLiveAndPublishesToIt(Vertx vertx, @TempDir Path dir) throws Exception {
    Path executable = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(executable)) {
      fail("the browser suite needs Chromium at " + executable + ": apt-get install chromium");
    }
    Path sdk = NodeSdk.centrifuge();
    assertEquals("5.7.4", new JsonObject(Files.readString(sdk.resolve("package.json"))).getString("version"));
    Path webJar = dir.resolve("centrifuge-5.7.4.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(webJar))) {
      jar.putNextEntry(new JarEntry("META-INF/resources/webjars/centrifuge/5.7.4/dist/centrifuge.js"));
      try (OutputStream out = jar) {
        Files.copy(sdk.resolve("dist/centrifuge.js"), out);
      }
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    TestServer.start(vertx, new JsonObject().put("port", port).put("instances", 1).put("appsPath", webJar.toString())
        .put("protocol", new JsonObject().put("allowAnonymousConnectWithoutToken", true)
            .put("withoutNamespace", new JsonObject().put("allow_subscribe_for_anonymous", true)
                .put("allow_subscribe_for_client", true).put("allow_publish_for_subscriber", true)
                .put("allow_publish_for_anonymous", true))));
    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(executable)
          .setHeadless(true).setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));
      Page page = browser.newPage();
      page.navigate("http://127.0.0.1:" + port + "/demo/?channel=chat");
      page.waitForFunction("() => document.getElementById('log').textContent.includes('subscribed to chat')");
      assertEquals("Connected", page.textContent("#status-text"));

      WsClient ann = WsClient.connect(vertx, port, "/ann");
      ann.send("hello demo");
      assertEquals("ann: hello demo", ann.next());
      page.waitForFunction("() => document.getElementById('log').textContent.includes('ann: hello demo')");

      page.fill("#text", "from the page");
      page.click("#publish-form button");
      assertEquals("\"from the page\"", ann.next(), "the chat gets the SDK's data as its JSON text");
      page.waitForFunction("() => document.getElementById('log').textContent.includes('from the page')");
      ann.close();
    }
  }
}
