package switchboard;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import switchboard.support.ChildServer;
import switchboard.support.WsClient;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app written in its own project against the switchboard API, built into its own jar outside this
 * project, served by the unchanged server with --apps-path (or SWITCHBOARD_APPS_PATH).
 */
@ExtendWith(VertxExtension.class)
class AppsPathIT {

  private static final String SOURCE = """
      package acme;

      import switchboard.app.App;
      import switchboard.app.Connection;

      /** Answers every line in capitals. */
      public class Shout implements App {
        @Override
        public void onMessage(Connection connection, String text) {
          connection.write(text.toUpperCase());
        }
      }
      """;

  /** Compiles the app against Switchboard's classes (as a project with the dependency would) and jars it. */
  private static Path buildAppJar(Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/acme"));
    Files.writeString(src.resolve("Shout.java"), SOURCE);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.resolve("Shout.java").toString());
    assertEquals(0, status, "the app compiles against the switchboard API");
    Path jar = dir.resolve("acme-apps.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("acme/Shout.class"));
      out.write(Files.readAllBytes(classes.resolve("acme/Shout.class")));
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void anAppFromItsOwnJarIsServedWithAppsPath(Vertx vertx, @TempDir Path dir) throws Exception {
    Path jar = buildAppJar(dir);
    int port = ChildServer.freePort();
    String conf = "{\"port\": " + port + ", \"host\": \"127.0.0.1\", \"instances\": 1, "
        + "\"apps\": {\"/\": \"switchboard.chat.ChatRoom\", \"/shout\": \"acme.Shout\"}}";

    ChildServer without = new ChildServer(List.of("--conf", conf), Map.of());
    assertEquals(Launcher.EXIT_BAD_CONFIG, without.awaitExit(), without.output());
    assertTrue(without.output().contains("config key 'apps./shout' = \"acme.Shout\": no such class"), without.output());

    shouts(vertx, port, new ChildServer(List.of("--conf", conf, "--apps-path", jar.toString()), Map.of()));
    shouts(vertx, port, new ChildServer(List.of("--conf", conf), Map.of("SWITCHBOARD_APPS_PATH", jar.toString())));
  }

  /** The child serves acme.Shout at /shout; then it is stopped. */
  private static void shouts(Vertx vertx, int port, ChildServer child) throws Exception {
    try {
      child.awaitLine("Switchboard listening");
      WsClient c = WsClient.connect(vertx, port, "/shout");
      c.send("hello from acme");
      c.expect("HELLO FROM ACME");
      c.close();
    } finally {
      child.process.destroy();
      child.awaitExit();
    }
  }
}
