package switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import switchboard.config.Config;

/** The HTTP routes of an instance (plain requests; WebSocket upgrades never get here). Wiring only. */
final class Routes {

  /** Where the built-in chat page lives on the classpath (src/main/resources/webroot). */
  static final String BUILT_IN_WEB_ROOT = "webroot";

  private Routes() {
  }

  static Router router(Vertx vertx, Node node) {
    Config config = node.config();
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> health(ctx, node));
    if (config.publishToken() != null) {
      PublishApi api = new PublishApi(config.publishToken(), node.publisher());
      // two routes: Vert.x Web wants body handlers first in a route, and the token is checked first
      router.post("/api/publish/:channel").handler(api::authorize);
      router.post("/api/publish/:channel")
          // 413 as soon as the body passes the limit, without buffering the rest
          .handler(BodyHandler.create(false).setBodyLimit(config.limits().maxMessageBytes()))
          .handler(api::publish);
    }
    router.route().handler(StaticPathGuard::check);
    StaticHandler files;
    if (config.webRoot() == null) {
      files = StaticHandler.create(BUILT_IN_WEB_ROOT);
    } else {
      router.route().handler(new SymlinkGuard(config.webRoot()));
      files = StaticHandler.create(FileSystemAccess.ROOT, config.webRoot().toString());
    }
    router.route().handler(files
        .setCachingEnabled(true)        // ETag, Last-Modified, 304 on revalidation
        .setMaxAgeSeconds(300)          // short: a new deploy shows within minutes
        .setIncludeHidden(false)        // never serve dotfiles
        .setDirectoryListing(false));
    return router;
  }

  /** {@code GET /health}: up, the broker mode and, with Redis, the link state. */
  private static void health(RoutingContext ctx, Node node) {
    node.broker().status().onComplete(ar -> {
      JsonObject broker = ar.succeeded() ? ar.result() : new JsonObject().put("error", ar.cause().getMessage());
      boolean degraded = "reconnecting".equals(broker.getString("state"));
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("status", degraded ? "degraded" : "up")
          .put("connections", node.connections().current())
          .put("broker", broker).encode());
    });
  }
}
