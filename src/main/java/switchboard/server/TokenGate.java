package switchboard.server;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a request through when it carries the token, as {@code Authorization: Bearer <token>} (scrapers,
 * scripts) or {@code ?token=} (a browser page and its feed); 401 without one, 403 for a wrong one.
 * A null token lets everything through. Constant-time comparison.
 */
final class TokenGate implements Handler<RoutingContext> {

  private final byte[] token;

  TokenGate(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** True when a token is configured and this request carries it (a quiet check: no answer is sent). */
  boolean presented(RoutingContext ctx) {
    if (token == null) {
      return false;
    }
    String given = ctx.request().getParam("token");
    String header = ctx.request().getHeader("Authorization");
    if (given == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).trim();
    }
    return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (token == null) {
      ctx.next();
      return;
    }
    String given = ctx.request().getParam("token");
    String header = ctx.request().getHeader("Authorization");
    if (given == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).trim();
    }
    if (given == null) {
      ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"").end("token required\n");
    } else if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      ctx.response().setStatusCode(403).end("wrong token\n");
    } else {
      ctx.next();
    }
  }
}
