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
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * EventSource in real Chromium: a page on the server's origin listens to the chat over SSE, gets the lines
 * WebSocket clients send, and, after a server restart, reconnects by itself (the retry: hint) and hears the
 * chat again.
 */
@Tag("e2e")
@ExtendWith(VertxExtension.class)
class SseBrowserE2E {

  @Test
  void anEventSourceGetsChatLinesAndReconnectsAfterARestart(Vertx vertx) throws Exception {
    Path executable = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(executable)) {
      fail("the browser suite needs Chromium at " + executable + ": apt-get install chromium");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    JsonObject config = new JsonObject().put("port", port).put("instances", 1);
    TestServer server = TestServer.start(vertx, config);
    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(executable)
          .setHeadless(true).setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));
      Page page = browser.newPage();
      page.navigate("http://127.0.0.1:" + port + "/health/live"); // any page of the origin: EventSource is same-origin
      page.evaluate("() => { window.lines = []; window.opens = 0;"
          + " const source = new EventSource('/listener');"
          + " source.onopen = () => window.opens++;"
          + " source.onmessage = e => window.lines.push(e.data); }");
      page.waitForFunction("() => window.opens === 1");
      WsClient bob = WsClient.connect(vertx, port, "/bob");
      bob.send("hello listeners");
      page.waitForFunction("() => window.lines.includes('bob: hello listeners')");
      bob.close();

      server.stop();
      page.waitForFunction("() => window.lines.includes('The server is shutting down, goodbye.')");
      TestServer.start(vertx, config);
      page.waitForFunction("() => window.opens === 2", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
      WsClient carol = WsClient.connect(vertx, port, "/carol");
      carol.send("back again");
      page.waitForFunction("() => window.lines.includes('carol: back again')");
      carol.close();
      assertEquals(2, ((Number) page.evaluate("() => window.opens")).intValue(), "one reconnect");
    }
  }
}
