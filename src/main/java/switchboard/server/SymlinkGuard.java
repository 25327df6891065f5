package switchboard.server;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import switchboard.transport.PathDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For a web root on disk: answers 404 when the requested file (or a directory's index.html) resolves, through
 * symbolic links, to somewhere outside the root. Resolving touches the disk, so it runs on a worker.
 */
final class SymlinkGuard implements Handler<RoutingContext> {

  private final Path root;
  private final Path realRoot;

  SymlinkGuard(Path root) {
    this.root = root;
    try {
      this.realRoot = root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("web root " + root + " is not readable", e);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    Path target = root.resolve(PathDecoder.decode(ctx.request().path()).substring(1)).normalize();
    ctx.vertx().executeBlocking(() -> insideRoot(target), false).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        ctx.next();
      } else {
        ctx.fail(404);
      }
    });
  }

  private boolean insideRoot(Path target) throws IOException {
    Path candidate = Files.isDirectory(target) ? target.resolve("index.html") : target;
    if (!Files.exists(candidate)) {
      return Files.notExists(target) || target.toRealPath().startsWith(realRoot);
    }
    return candidate.toRealPath().startsWith(realRoot);
  }
}
