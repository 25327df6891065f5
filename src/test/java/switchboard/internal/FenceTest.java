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
 * Vert.x and Netty internals stay behind the fence: no source file outside switchboard.internal imports
 * an internal package or calls Netty's unsafe API, so an upgrade has one package to re-check.
 */
class FenceTest {

  /** Packages and calls that Vert.x and Netty do not promise to keep. */
  private static final Pattern INTERNAL = Pattern.compile(
      "import (static )?io\\.vertx\\.[a-z.]*\\.(impl|internal)\\.|import (static )?io\\.netty\\.channel\\.unix\\."
          + "|\\.unsafe\\(\\)|SingleThreadEventExecutor|ContextInternal|WebSocketInternal");

  @Test
  void noInternalApiIsUsedOutsideTheFence() throws IOException {
    List<String> leaks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (file.startsWith(Path.of("src/main/java/switchboard/internal"))) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (INTERNAL.matcher(lines.get(i)).find()) {
            leaks.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    assertEquals(List.of(), leaks, "move these behind switchboard.internal");
  }

  @Test
  void theFenceItselfIsWhereTheInternalsAre() throws IOException {
    // the check above must not pass by accident (a pattern that matches nothing)
    String handover = Files.readString(Path.of("src/main/java/switchboard/internal/VertxHandover.java"));
    String internals = Files.readString(Path.of("src/main/java/switchboard/internal/VertxInternals.java"));
    assertTrue(INTERNAL.matcher(handover).find() && INTERNAL.matcher(internals).find());
  }
}
