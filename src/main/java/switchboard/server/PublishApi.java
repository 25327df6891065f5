package switchboard.server;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import switchboard.pubsub.Message;
import switchboard.pubsub.Publisher;
import switchboard.pubsub.Reach;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static java.lang.System.Logger.Level.WARNING;

/**
 * {@code POST /api/publish/{channel}}: the request body, as is, becomes one message on the channel (text when
 * it is valid UTF-8, binary otherwise), the same path a WebSocket publish takes. Bearer-token protected.
 *
 * <p>Answers: 200 {@code {"reach":"all-hosts"}} (handed to Redis) or {@code "this-host"} (no Redis
 * configured); 202 {@code "this-host-only"} when Redis is configured but down, or {@code "some-hosts"} when
 * fewer hosts listened than a moment ago, so the caller knows other hosts may have missed it; 400 bad channel, 401 no token, 403 wrong token, 413 too large, 503 publish failed.
 */
final class PublishApi {

  private static final System.Logger LOG = System.getLogger(PublishApi.class.getName());

  private final byte[] token;
  private final Publisher publisher;

  PublishApi(String token, Publisher publisher) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.publisher = publisher;
  }

  /** Runs before the body is read, so an unauthorised caller cannot make the server buffer anything. */
  void authorize(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
      answer(ctx, 401, new JsonObject().put("error", "send Authorization: Bearer <token>"));
    } else if (!MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
      LOG.log(WARNING, "publish API: wrong token from " + ctx.request().remoteAddress());
      answer(ctx, 403, new JsonObject().put("error", "wrong token"));
    } else {
      ctx.next();
    }
  }

  void publish(RoutingContext ctx) {
    String channel = ctx.pathParam("channel");
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    publisher.publish(Message.detect(channel, body)).onComplete(ar -> {
      JsonObject answer = new JsonObject().put("channel", channel).put("bytes", body.length);
      if (ar.succeeded()) {
        Reach reach = ar.result();
        answer.put("reach", switch (reach) {
          case ALL_HOSTS -> "all-hosts";
          case SOME_HOSTS -> "some-hosts";
          case THIS_HOST -> "this-host";
          case THIS_HOST_ONLY_DEGRADED -> "this-host-only";
        });
        boolean partial = reach == Reach.THIS_HOST_ONLY_DEGRADED || reach == Reach.SOME_HOSTS;
        if (reach == Reach.THIS_HOST_ONLY_DEGRADED) {
          answer.put("warning", "Redis is unreachable: delivered on this host only");
        } else if (reach == Reach.SOME_HOSTS) {
          answer.put("warning", "fewer hosts were listening than a moment ago: some may have missed it");
        }
        answer(ctx, partial ? 202 : 200, answer);
      } else if (ar.cause() instanceof Publisher.Refused refused) {
        int status = switch (refused.reason()) {
          case TOO_LARGE -> 413;
          case BROKER_FAILED -> 503;
          case RATE_LIMITED -> 429;
          case INVALID_CHANNEL -> 400;
        };
        answer(ctx, status, answer.put("error", refused.getMessage()));
      } else {
        LOG.log(WARNING, "publish API: unexpected failure", ar.cause());
        answer(ctx, 503, answer.put("error", Publisher.NOT_SENT));
      }
    });
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
