package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import switchboard.support.RawHttp;
import switchboard.support.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Static files from the built-in page and from a web root on disk, and every way out of the root. */
@ExtendWith(VertxExtension.class)
class StaticFilesIT {

  private static final String SECRET = "top-secret-outside-the-root";

  @Test
  void theBuiltInPageIsServedWithTypesAndCachingHeaders(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject());
    String index = RawHttp.get(server.port, "/");
    assertEquals(200, RawHttp.status(index));
    assertTrue(header(index, "content-type").startsWith("text/html"), index);
    assertTrue(index.contains("<script src=\"chat.js\"></script>"), "our page, no CDN script");
    String lastModified = header(index, "last-modified");
    assertFalse(lastModified.isEmpty(), "Last-Modified lets browsers revalidate");
    assertTrue(header(RawHttp.get(server.port, "/chat.js"), "content-type").contains("javascript"));
    assertTrue(header(RawHttp.get(server.port, "/chat.css"), "content-type").startsWith("text/css"));

    String notModified = RawHttp.exchange(server.port, "GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "If-Modified-Since: " + lastModified + "\r\n\r\n");
    assertEquals(304, RawHttp.status(notModified));

    String head = RawHttp.exchange(server.port, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals(200, RawHttp.status(head));
    assertTrue(head.endsWith("\r\n\r\n"), "HEAD has no body");
    assertEquals(404, RawHttp.status(RawHttp.get(server.port, "/missing.html")));
  }

  @Test
  void aWebRootOnDiskIsServedAndNothingOutsideItEver(Vertx vertx, @TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("site"));
    Files.writeString(root.resolve("index.html"), "<h1>custom root</h1>");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/page.txt"), "inside");
    Path outside = Files.createDirectories(dir.resolve("private"));
    Files.writeString(outside.resolve("secret.txt"), SECRET);
    Files.writeString(dir.resolve("secret.txt"), SECRET);
    Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("linkdir"), outside);
    Files.writeString(root.resolve(".hidden"), SECRET);
    Files.createDirectories(root.resolve(".git"));
    Files.writeString(root.resolve(".git/config"), SECRET); // a site deployed with git clone
    Files.createDirectories(root.resolve("sub/.env.d"));
    Files.writeString(root.resolve("sub/.env.d/keys"), SECRET);

    TestServer server = TestServer.start(vertx, new JsonObject().put("webRoot", root.toString()));
    assertTrue(RawHttp.get(server.port, "/").contains("<h1>custom root</h1>"));
    assertTrue(RawHttp.get(server.port, "/sub/page.txt").contains("inside"));

    List<String> attempts = List.of(
        "/../secret.txt", "/../private/secret.txt", "/sub/../../secret.txt", "/..%2fsecret.txt",
        "/%2e%2e/secret.txt", "/%2E%2E/private/secret.txt", "/%2e%2e%2fsecret.txt", "/sub/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt",
        "/..%5csecret.txt", "/secret.txt%00.html", "/index.html%00", "/%c0%ae%c0%ae/secret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt", "/./../secret.txt", "/link.txt", "/linkdir/secret.txt", "/linkdir/",
        "/.hidden", "/.git/config", "/.git/", "/%2egit/config", "/sub/.env.d/keys", "/sub/%2eenv.d/keys",
        "/%2e/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt", "/%2fetc%2fpasswd", "/..", "/%");
    for (String path : attempts) {
      String response = RawHttp.get(server.port, path);
      int status = RawHttp.status(response);
      assertTrue(status == 400 || status == 404, path + " answered " + status);
      assertFalse(response.contains(SECRET), path + " leaked a file from outside the root");
    }
    // the server is still serving normally afterwards
    assertEquals(200, RawHttp.status(RawHttp.get(server.port, "/sub/page.txt")));
  }

  private static String header(String response, String name) {
    for (String line : response.split("\r\n")) {
      if (line.toLowerCase().startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return "";
  }
}
