package switchboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import switchboard.support.TestCerts;
import switchboard.support.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The chat page over https:// and wss:// in real Chromium that trusts the test's CA through its NSS database
 * (certutil, in a HOME of the test's), beside a page on the plain port: one channel reaches both. A
 * Chromium without the CA refuses the page, so the trust comes from the CA and nothing else.
 */
@Tag("e2e")
@ExtendWith(VertxExtension.class)
class TlsBrowserE2E {

  private static Browser chromium(Playwright playwright, Path home) {
    Path executable = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(executable)) {
      fail("the browser suite needs Chromium at " + executable + ": apt-get install chromium");
    }
    return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(executable).setHeadless(true)
        .setEnv(Map.of("HOME", home.toString()))
        .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run")));
  }

  /** An NSS database under {@code home} that trusts {@code ca} for servers, as Chromium on Linux reads it. */
  private static void trust(Path home, Path ca) throws Exception {
    Path db = Files.createDirectories(home.resolve(".pki/nssdb"));
    certutil("-N", "-d", "sql:" + db, "--empty-password");
    certutil("-A", "-d", "sql:" + db, "-n", "switchboard-test-ca", "-t", "C,,", "-i", ca.toString());
  }

  private static void certutil(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("certutil"));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("this test adds its CA to Chromium's NSS database: apt-get install libnss3-tools", e);
    }
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "certutil failed: " + output);
  }

  private static Page join(Browser browser, String url, String nickname) {
    Page page = browser.newPage();
    page.navigate(url);
    page.fill("#nickname", nickname);
    page.click("#join-form button");
    assertThat(page.locator("#status")).hasAttribute("data-state", "online");
    return page;
  }

  @Test
  void theChatPageWorksOverHttpsAndWssInChromiumTrustingTheTestCa(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = new TestCerts(dir);
    Path ca = certs.ca("ca");
    Path cert = certs.signed("ca", "server", "IP:127.0.0.1,DNS:localhost");
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2).put("tls", new JsonObject()
        .put("certPath", cert.toString()).put("keyPath", certs.key("server").toString()).put("port", 0)));
    Path trusting = Files.createDirectories(dir.resolve("home-trusting"));
    trust(trusting, ca);
    Path plainHome = Files.createDirectories(dir.resolve("home-plain"));
    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Browser secure = chromium(playwright, trusting);
      Page ada = join(secure, "https://127.0.0.1:" + server.tlsPort + "/", "Ada");
      Page bob = join(secure, "http://127.0.0.1:" + server.port + "/", "Bob");
      ada.fill("#text", "sent over wss");
      ada.press("#text", "Enter");
      assertThat(bob.locator("#messages li", new Page.LocatorOptions().setHasText("sent over wss"))).hasCount(1);
      ada.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "chat-tls.png")));

      Browser untrusting = chromium(playwright, plainHome);
      Page refused = untrusting.newPage();
      assertThrows(PlaywrightException.class, () -> refused.navigate("https://127.0.0.1:" + server.tlsPort + "/"),
          "without the CA Chromium refuses the certificate");
    }
  }
}
