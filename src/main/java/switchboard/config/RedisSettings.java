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
 * @param caPath   {@code redis.tls.caPath}: PEM file of the CA(s) that sign Redis's certificate, or null for
 *                 the JVM's trust store; only with {@code rediss://}. The host name (or IP) in the URI must
 *                 match the certificate: hostname verification is always on
 * @param certPath {@code redis.tls.certPath}: PEM client certificate, for a Redis with
 *                 {@code tls-auth-clients yes}; null for none; needs {@code keyPath}
 * @param keyPath  {@code redis.tls.keyPath}: the PEM private key (PKCS#8 or PKCS#1) of {@code certPath}
 */
public record RedisSettings(String uri, String prefix, String caPath, String certPath, String keyPath) {

  public static final String ENV_URI = "SWITCHBOARD_REDIS_URI";
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:/{}-]{0,64}");

  /** The section, or null when Redis is not configured. */
  static RedisSettings read(ConfigReader section, String envUri) {
    String uri = section.string("uri", null);
    String prefix = section.string("prefix", "");
    ConfigReader tls = section.object("tls");
    String ca = tls.string("caPath", null);
    String cert = tls.string("certPath", null);
    String key = tls.string("keyPath", null);
    tls.rejectUnknownKeys();
    section.rejectUnknownKeys();
    String uriKey = section.path("uri");
    if (envUri != null) {
      uri = envUri.trim();
      uriKey = ENV_URI + " (environment)";
    }
    if (uri == null || uri.isEmpty()) {
      return null;
    }
    check(uriKey, uri);
    if (!PREFIX.matcher(prefix).matches()) {
      throw new ConfigException(section.path("prefix"), prefix, "use up to 64 characters from A-Z a-z 0-9 _ . : / { } -");
    }
    boolean anyTls = ca != null || cert != null || key != null;
    if (anyTls && !uri.startsWith("rediss://")) {
      throw new ConfigException(tls.path(ca != null ? "caPath" : cert != null ? "certPath" : "keyPath"),
          ca != null ? ca : cert != null ? cert : key, "TLS settings need a rediss:// URI in " + uriKey);
    }
    if ((cert == null) != (key == null)) {
      throw new ConfigException(tls.path(cert == null ? "certPath" : "keyPath"), null,
          "a client certificate needs both redis.tls.certPath and redis.tls.keyPath");
    }
    return new RedisSettings(uri, prefix, readable(tls, "caPath", ca), readable(tls, "certPath", cert),
        readable(tls, "keyPath", key));
  }

  private static String readable(ConfigReader section, String name, String path) {
    if (path != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
      throw new ConfigException(section.path(name), path, "no readable file there");
    }
    return path;
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
