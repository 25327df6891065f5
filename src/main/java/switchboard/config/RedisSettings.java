package switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The {@code redis} config section. Absent (or an empty {@code uri}) means single-host mode.
 *
 * @param uri    {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://} for TLS
 * @param prefix prepended to every channel name in Redis (default none: Redis channel {@code chat} is
 *               Switchboard channel {@code chat}); lets several deployments share one Redis
 */
public record RedisSettings(String uri, String prefix) {

  public static final String ENV_URI = "SWITCHBOARD_REDIS_URI";
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:/{}-]{0,64}");

  /** The section, or null when Redis is not configured. */
  static RedisSettings read(ConfigReader section, String envUri) {
    String uri = section.string("uri", null);
    String prefix = section.string("prefix", "");
    section.rejectUnknownKeys();
    String key = section.path("uri");
    if (envUri != null) {
      uri = envUri.trim();
      key = ENV_URI + " (environment)";
    }
    if (uri == null || uri.isEmpty()) {
      return null;
    }
    check(key, uri);
    if (!PREFIX.matcher(prefix).matches()) {
      throw new ConfigException(section.path("prefix"), prefix, "use up to 64 characters from A-Z a-z 0-9 _ . : / { } -");
    }
    return new RedisSettings(uri, prefix);
  }

  private static void check(String key, String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, masked(uri), "not a URI: " + e.getReason());
    }
    if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme())) {
      throw new ConfigException(key, masked(uri), "must start with redis:// or rediss://");
    }
    if (parsed.getHost() == null) {
      throw new ConfigException(key, masked(uri), "names no host");
    }
  }

  /** The URI with any password replaced by ****, for logs and health. */
  public String maskedUri() {
    return masked(uri);
  }

  static String masked(String uri) {
    return uri.replaceFirst("^(rediss?://)([^@/]*:)?[^@/]*@", "$1$2****@");
  }
}
