package switchboard.server;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which browser pages may open a WebSocket here (against cross-site WebSocket hijacking: a page on another
 * site riding on the user's cookies). By default only the page's own host: the Origin's host and port must
 * equal the Host header. A configured list allows exactly those origins; "*" allows any.
 */
final class OriginPolicy {

  private final List<String> allowed;
  private final boolean any;

  OriginPolicy(List<String> allowed) {
    this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    this.any = allowed.contains("*");
  }

  /** True when {@code origin} is named in the configured list ("*" names no one). */
  boolean listed(String origin) {
    return allowed.contains(origin.toLowerCase(Locale.ROOT));
  }

  boolean allows(String origin, String host) {
    if (any) {
      return true;
    }
    if (!allowed.isEmpty()) {
      return allowed.contains(origin.toLowerCase(Locale.ROOT));
    }
    try {
      String authority = URI.create(origin).getRawAuthority();
      return authority != null && host != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false; // "null" (sandboxed pages) and garbage
    }
  }
}
