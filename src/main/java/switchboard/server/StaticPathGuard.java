package switchboard.server;

import io.vertx.ext.web.RoutingContext;
import switchboard.app.LogText;
import switchboard.transport.PathDecoder;

import static java.lang.System.Logger.Level.INFO;

/**
 * Answers 400 to request paths that try to leave the web root or hide what they name: dot segments
 * (raw or percent-encoded), encoded slashes or backslashes, NUL bytes, broken escapes, invalid UTF-8.
 * Vert.x would normalise most of these safely; refusing them outright makes the answer plain.
 */
final class StaticPathGuard {

  private static final System.Logger LOG = System.getLogger(StaticPathGuard.class.getName());

  private StaticPathGuard() {
  }

  static void check(RoutingContext ctx) {
    String raw = ctx.request().path();
    String problem = problem(raw);
    if (problem == null) {
      ctx.next();
      return;
    }
    LOG.log(INFO, () -> "400 for path " + LogText.safe(raw) + ": " + problem);
    ctx.response().setStatusCode(400).putHeader("content-type", "text/plain; charset=utf-8").end("Bad path\n");
  }

  /** Why a raw path is refused, or null when it is fine. */
  static String problem(String raw) {
    if (raw == null || !raw.startsWith("/")) {
      return "not an absolute path";
    }
    String lower = raw.toLowerCase();
    if (lower.contains("%2f") || lower.contains("%5c") || raw.indexOf('\\') >= 0) {
      return "encoded slash or backslash";
    }
    String decoded;
    try {
      decoded = PathDecoder.decode(raw);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (decoded.indexOf('\0') >= 0) {
      return "NUL byte";
    }
    for (String segment : decoded.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return "dot segment";
      }
    }
    return null;
  }
}
