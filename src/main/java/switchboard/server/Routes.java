package switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import switchboard.config.Config;

/** The HTTP routes of an instance (plain requests; WebSocket upgrades never get here). Wiring only. */
final class Routes {

  /** Where the built-in chat page lives on the classpath (src/main/resources/webroot). */
  static final String BUILT_IN_WEB_ROOT = "webroot";

  private Routes() {
  }

  static Router router(Vertx vertx, Config config) {
    Router router = Router.router(vertx);
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
}
