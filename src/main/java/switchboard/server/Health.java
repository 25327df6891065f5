package switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: listening and not draining, and with
 * Redis, the link is up and the canary published through Redis came back within its deadline (a node
 * whose subscription went deaf is not ready). 200 or 503 with a JSON body that says which check failed
 * and why. {@code /health}: a one-object summary for people (status, connections, broker mode and state).
 * Where Redis is (host, port, user) and the link's history are shown only to a request carrying the admin
 * token ({@code admin.token}); without a configured token, never.
 */
final class Health {

  private Health() {
  }

  static void mount(Router router, Vertx vertx, Node node) {
    router.get("/health/live").handler(HealthCheckHandler.create(vertx).register("process", p -> p.complete(Status.OK())));
    HealthChecks ready = HealthChecks.create(vertx).register("server", p -> p.complete(node.port() > 0 && !node.draining()
        ? Status.OK() : Status.KO(new JsonObject().put("reason", node.draining() ? "shutting down" : "not listening yet"))));
    if (node.broker().health().distributed()) {
      ready.register("redis", p -> {
        String notReady = node.broker().health().notReadyReason();
        p.complete(notReady == null ? Status.OK() : Status.KO(new JsonObject().put("reason", notReady)));
      });
    }
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    TokenGate admin = new TokenGate(node.config().observability().adminToken());
    router.get("/health").handler(ctx -> summary(ctx, node, admin.presented(ctx)));
  }

  private static void summary(RoutingContext ctx, Node node, boolean details) {
    node.broker().status().onComplete(ar -> {
      JsonObject status = ar.succeeded() ? ar.result() : new JsonObject().put("state", "unknown");
      boolean degraded = "reconnecting".equals(status.getString("state"));
      JsonObject broker = details ? status : new JsonObject().put("mode", status.getString("mode"))
          .put("state", status.getString("state"));
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("status", degraded ? "degraded" : "up")
          .put("connections", node.connections().sessions())
        .put("sseConnections", node.connections().sseSessions())
        .put("httpConnections", node.connections().current() - node.connections().sessions() - node.connections().sseSessions())
          .put("broker", broker).encode());
    });
  }
}
