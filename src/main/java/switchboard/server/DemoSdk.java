package switchboard.server;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;

import static java.lang.System.Logger.Level.WARNING;

/**
 * {@code GET /demo/centrifuge.js}: Centrifugo's browser SDK for the demo page, from the WebJar
 * {@code org.webjars.npm:centrifuge} when it is on the classpath or in {@code appsPath}. The SDK is never
 * copied into this repository: without the WebJar the answer is 404 and one log line saying what to add,
 * and the page says so too. Read once, on the first request; thread-safe.
 */
final class DemoSdk implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger(DemoSdk.class.getName());
  /** The SDK version the demo is written and tested against (also src/test/node/package-lock.json). */
  static final String VERSION = "5.7.4";
  static final String RESOURCE = "META-INF/resources/webjars/centrifuge/" + VERSION + "/dist/centrifuge.js";

  private final ClassLoader classes;
  private volatile Buffer script;
  private volatile boolean missingLogged;

  DemoSdk(ClassLoader classes) {
    this.classes = classes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Buffer sdk = script;
    if (sdk == null) {
      // a small classpath read, once; later requests are served from memory
      ctx.vertx().<Buffer>executeBlocking(this::load).onComplete(ar -> answer(ctx, ar.succeeded() ? ar.result() : null));
      return;
    }
    answer(ctx, sdk);
  }

  private void answer(RoutingContext ctx, Buffer sdk) {
    if (sdk == null) {
      if (!missingLogged) {
        missingLogged = true;
        LOG.log(WARNING, "/demo/ has no SDK: put the WebJar org.webjars.npm:centrifuge:" + VERSION
            + " on the classpath or in appsPath");
      }
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("Centrifugo's SDK is not installed: put the WebJar org.webjars.npm:centrifuge:" + VERSION
              + " on the classpath or in appsPath\n");
      return;
    }
    ctx.response().putHeader("Content-Type", "text/javascript; charset=utf-8")
        .putHeader("Cache-Control", "public, max-age=300").end(sdk);
  }

  private Buffer load() throws IOException {
    try (InputStream in = classes.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return null;
      }
      Buffer loaded = Buffer.buffer(in.readAllBytes());
      script = loaded;
      return loaded;
    }
  }
}
