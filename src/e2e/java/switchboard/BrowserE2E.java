package switchboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.chat.ChatRoom;
import switchboard.support.TestServer;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The chat and admin pages in real headless Chromium (Debian's, at -De2e.chromium), driven by Playwright,
 * against a real server. Screenshots land in target/screenshots/.
 */
@Tag("e2e")
@ExtendWith(VertxExtension.class)
class BrowserE2E {

  private static final Path SHOTS = Path.of("target", "screenshots");
  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void launchChromium() throws Exception {
    Path chromium = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      fail("the browser suite needs Chromium at " + chromium + ": apt-get install chromium (or -De2e.chromium=PATH)");
    }
    Files.createDirectories(SHOTS);
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
        .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--no-first-run")));
  }

  @AfterAll
  static void closeChromium() {
    if (playwright != null) {
      playwright.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Page join(int port, String nickname) {
    Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(900, 640));
    page.navigate("http://127.0.0.1:" + port + "/");
    page.fill("#nickname", nickname);
    page.click("#join-form button");
    assertThat(page.locator("#status")).hasAttribute("data-state", "online");
    return page;
  }

  private static void say(Page page, String text) {
    page.fill("#text", text);
    page.press("#text", "Enter");
  }

  @Test
  void twoPagesChatAndHtmlIsShownAsText(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2));
    Page ada = join(server.port, "Ada");
    Page bob = join(server.port, "Bob");
    say(ada, "Hello <b>world</b> & <img src=x onerror=alert(1)>");
    var line = bob.locator("#messages li", new Page.LocatorOptions().setHasText("Hello"));
    assertThat(line).containsText("Hello <b>world</b> & <img src=x onerror=alert(1)>",
        new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(2000));
    assertEquals(0, bob.locator("#messages b, #messages img").count(), "no markup from a message reaches the page");
    say(bob, "Salut Ada");
    assertThat(ada.locator("#messages li", new Page.LocatorOptions().setHasText("Salut Ada"))).hasCount(1);
    ada.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("chat.png")));
  }

  @Test
  void stoppingTheServerShowsTheGoodbyeThe1001CloseAndTheReconnect(Vertx vertx) throws Exception {
    int port = freePort();
    JsonObject config = new JsonObject().put("port", port).put("instances", 1);
    TestServer server = TestServer.start(vertx, config);
    Page page = join(port, "Ada");
    server.stop();
    assertThat(page.locator("#messages")).containsText(ChatRoom.GOODBYE);
    assertThat(page.locator("#messages")).containsText("Disconnected (1001 server shutting down)");
    page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("chat-goodbye.png")));
    TestServer.start(vertx, config);
    assertThat(page.locator("#status")).hasAttribute("data-state", "online",
        new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
    assertThat(page.locator("#messages li").last()).containsText("You joined as Ada");
  }

  @Test
  void theAdminPageShowsLiveFiguresWhileAChatRuns(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2));
    Page ada = join(server.port, "Ada");
    Page bob = join(server.port, "Bob");
    Page admin = browser.newPage(new Browser.NewPageOptions().setViewportSize(1000, 700));
    admin.navigate("http://127.0.0.1:" + server.port + "/admin/");
    assertThat(admin.locator("#status")).hasAttribute("data-state", "live");
    for (int i = 0; i < 20; i++) {
      say(i % 2 == 0 ? ada : bob, "line " + i);
    }
    assertThat(admin.locator("#connections")).hasText("2");
    assertThat(admin.locator("#channels")).hasText("1");
    admin.waitForFunction("() => Number(document.getElementById('deliveredTotal').textContent.replace(/,/g, '')) >= 40");
    assertTrue(Integer.parseInt(admin.locator("#receivedTotal").textContent().replace(",", "")) >= 20);
    admin.waitForTimeout(2500); // let the charts draw a few points for the screenshot
    admin.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("admin.png")));
  }
}
