package switchboard.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code tls} config section: https:// and wss:// on a port of their own beside the plain one. Absent
 * (no {@code certPath}) means no TLS listener.
 *
 * <p>Why a second port rather than TLS on the plain one: one port cannot serve both without sniffing the
 * first bytes of every connection, which Vert.x does not offer; keeping the plain port lets health checks,
 * a local proxy that terminates TLS itself, and the plain-HTTP redirect of a load balancer keep working,
 * while a deployment that wants TLS only sets {@code port} to loopback ({@code host}) or firewalls it.
 *
 * @param certPath      PEM certificate chain (leaf first)
 * @param keyPath       PEM private key of the certificate (PKCS#8 or PKCS#1)
 * @param port          the TLS port; 0 picks a free one shared by all instances. Env: SWITCHBOARD_TLS_PORT
 * @param reloadSeconds how often the two files are checked for changes; a change is loaded into the
 *                      live server (new connections get the new certificate; open ones keep theirs)
 */
public record TlsSettings(String certPath, String keyPath, int port, int reloadSeconds) {

  public static final String ENV_PORT = "SWITCHBOARD_TLS_PORT";
  public static final int DEFAULT_PORT = 3443;

  /** The section, or null when no certificate is configured. */
  static TlsSettings read(ConfigReader section, String envPort) {
    String cert = section.string("certPath", null);
    String key = section.string("keyPath", null);
    int port = section.integer("port", DEFAULT_PORT, 0, 65535);
    int reload = section.integer("reloadSeconds", 10, 1, 86_400);
    section.rejectUnknownKeys();
    if (cert == null && key == null) {
      return null;
    }
    if (cert == null || key == null) {
      throw new ConfigException(section.path(cert == null ? "certPath" : "keyPath"), null,
          "TLS needs both tls.certPath and tls.keyPath (PEM files)");
    }
    readable(section.path("certPath"), cert);
    readable(section.path("keyPath"), key);
    if (envPort != null && !envPort.isBlank()) {
      try {
        port = Integer.parseInt(envPort.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(ENV_PORT + " (environment)", envPort, "must be a whole number");
      }
      if (port < 0 || port > 65535) {
        throw new ConfigException(ENV_PORT + " (environment)", envPort, "must be between 0 and 65535");
      }
    }
    return new TlsSettings(cert, key, port, reload);
  }

  private static void readable(String key, String path) {
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException(key, path, "no readable file there");
    }
  }
}
