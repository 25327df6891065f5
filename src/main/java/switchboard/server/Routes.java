package switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import switchboard.config.Config;
import switchboard.config.Observability;

/** The HTTP routes of an instance (plain requests; WebSocket upgrades never get here). Wiring only. */
final class Routes {

  /** Where the built-in chat page lives on the classpath (src/main/resources/webroot). */
  static final String BUILT_IN_WEB_ROOT = "webroot";

  private Routes() {
  }

  /** {@code /name} redirects to {@code /name/} (query kept), so a page's relative links work. */
  private static void toFolder(io.vertx.ext.web.RoutingContext ctx, String path) {
    if (ctx.request().path().equals(path)) { // Vert.x matches /name/ with this route too
      ctx.redirect(path + "/" + (ctx.request().query() == null ? "" : "?" + ctx.request().query()));
    } else {
      ctx.next();
    }
  }

  static Router router(Vertx vertx, Node node) {
    Config config = node.config();
    Router router = Router.router(vertx);
    Health.mount(router, vertx, node);
    Observability ops = config.observability();
    if (ops.metrics() && node.meters().prometheus() != null) {
      router.get("/metrics").handler(new TokenGate(ops.metricsToken()))
          .handler(PrometheusScrapingHandler.create(node.meters().prometheus()));
    }
    if (ops.admin()) {
      router.get("/admin").handler(ctx -> toFolder(ctx, "/admin"));
      router.route("/admin/*").handler(new TokenGate(ops.adminToken()));
      router.get("/admin/feed").handler(ctx -> AdminFeed.stream(ctx, node));
      // the admin page always comes from the built-in web root, whatever webRoot says
      // StaticHandler resolves below the route prefix, so its root is the admin folder itself
      router.get("/admin/*").handler(StaticHandler.create(BUILT_IN_WEB_ROOT + "/admin").setCachingEnabled(true).setMaxAgeSeconds(300));
    } else {
      router.route("/admin/*").handler(ctx -> ctx.response().setStatusCode(404).end());
    }
    if (config.publishToken() != null) {
      PublishApi api = new PublishApi(config.publishToken(), node.publisher());
      // two routes: Vert.x Web wants body handlers first in a route, and the token is checked first
      router.post("/api/publish/:channel").handler(api::authorize);
      router.post("/api/publish/:channel")
          // 413 as soon as the body passes the limit, without buffering the rest
          .handler(BodyHandler.create(false).setBodyLimit(config.limits().maxMessageBytes()))
          .handler(api::publish);
    }
    if (config.protocol().apiKey() != null) {
      ServerApi api = new ServerApi(config.protocol(), node);
      router.post("/api/:method").handler(api::authorize);
      router.post("/api/:method")
          .handler(BodyHandler.create(false).setBodyLimit(2L * config.limits().maxMessageBytes()))
          .handler(api::handle);
    }
    if (config.protocol().enabled()) {
      // the client protocol's demo: a page from the built-in web root, with the SDK from its WebJar
      router.get("/demo/centrifuge.js").handler(new DemoSdk(node.appClasses()));
      router.get("/demo").handler(ctx -> toFolder(ctx, "/demo"));
      router.get("/demo/*").handler(StaticHandler.create(BUILT_IN_WEB_ROOT + "/demo").setCachingEnabled(true).setMaxAgeSeconds(300));
    } else {
      router.route("/demo/*").handler(ctx -> ctx.response().setStatusCode(404).end());
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
}
