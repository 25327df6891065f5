package switchboard.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vert.x and Netty internals stay behind the fence: no source file outside switchboard.internal (server
 * or load generator) imports an internal package or calls Netty's unsafe API, so an upgrade has one
 * package to re-check. The send path past Netty ({@code DirectSend}, package-private, reached as a
 * {@code DirectSender}) is used by the transport's socket writer alone (WebSockets and event streams); the load generator's wire floor measures it
 * from inside the fence's package.
 */
class FenceTest {

  /**
   * Packages and calls that Vert.x and Netty do not promise to keep. Netty's io_uring package is fenced
   * whole, string mentions too (SendRing reaches its package-private ring by name), but for the public
   * transport the load generator's sockets use: its availability check, event loop and socket channel.
   */
  private static final Pattern INTERNAL = Pattern.compile(
      "import (static )?io\\.vertx\\.[a-z.]*\\.(impl|internal)\\.|import (static )?io\\.netty\\.channel\\.unix\\."
          + "|io\\.netty\\.channel\\.uring(?!\\.(IoUring|IoUringIoHandler|IoUringSocketChannel);)"
          + "|\\.unsafe\\(\\)|SingleThreadEventExecutor|ContextInternal|WebSocketInternal");

  private static final Pattern DIRECT_SEND = Pattern.compile("\\b(DirectSend|DirectSender|directSender)\\b");

  @Test
  void noInternalApiIsUsedOutsideTheFence() throws IOException {
    assertEquals(List.of(), linesOutsideTheFence(INTERNAL), "move these behind switchboard.internal");
  }

  @Test
  void onlyTheSocketWriterSendsPastNetty() throws IOException {
    List<String> users = linesOutsideTheFence(DIRECT_SEND).stream()
        .filter(line -> !line.startsWith(Path.of("src/main/java/switchboard/transport/SocketWriter.java").toString())
            && !line.startsWith(Path.of("src/main/java/switchboard/transport/WriteBudget.java").toString()))
        .toList();
    assertEquals(List.of(), users, "DirectSend writes past the pipeline: only the transport's SocketWriter may use it");
    assertTrue(!linesOutsideTheFence(DIRECT_SEND).isEmpty(), "the check above must see the transport's use");
  }

  /** Lines matching {@code pattern} in the server's and the load generator's sources outside the fence. */
  private static List<String> linesOutsideTheFence(Pattern pattern) throws IOException {
    List<String> found = new ArrayList<>();
    for (String root : List.of("src/main/java", "src/bench/java")) {
      try (Stream<Path> files = Files.walk(Path.of(root))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          if (file.startsWith(Path.of(root, "switchboard/internal"))) {
            continue;
          }
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
              found.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
          }
        }
      }
    }
    return found;
  }

  @Test
  void theFenceItselfIsWhereTheInternalsAre() throws IOException {
    // the check above must not pass by accident (a pattern that matches nothing)
    String handover = Files.readString(Path.of("src/main/java/switchboard/internal/VertxHandover.java"));
    String internals = Files.readString(Path.of("src/main/java/switchboard/internal/VertxInternals.java"));
    assertTrue(INTERNAL.matcher(handover).find() && INTERNAL.matcher(internals).find());
    // the io_uring exception covers the public transport's imports, not the ring's internals by name
    assertTrue(INTERNAL.matcher(Files.readString(Path.of("src/main/java/switchboard/internal/SendRing.java"))).find());
    assertTrue(INTERNAL.matcher("Class.forName(\"io.netty.channel.uring.Native\", true, loader)").find());
    assertTrue(INTERNAL.matcher("import io.netty.channel.uring.RingBuffer;").find());
    assertTrue(!INTERNAL.matcher("import io.netty.channel.uring.IoUringSocketChannel;").find());
  }
}
