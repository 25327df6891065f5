package switchboard.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole server configuration, validated. Built from the {@code --conf} JSON plus environment overrides
 * ({@link #ENV_PORT}, {@link #ENV_INSTANCES}); any unknown key, wrong type or out-of-range value stops
 * startup with a {@link ConfigException} naming the key and the value. Reading may touch the disk
 * (web root) and load classes (apps): call it off the event loop.
 *
 * @param host                 interface to bind; 0.0.0.0 = all
 * @param port                 TCP port for HTTP and WebSocket; 0 = any free port, shared by all instances
 * @param instances            server verticle instances (event loops used); 0 = one per CPU core
 * @param webRoot              folder of static files, or null for the built-in chat page
 * @param apps                 URL path prefix → App class name; the longest matching prefix wins (the
 *                             classes are loaded at deploy time, from the jar and {@code appsPath})
 * @param appsPath             jars or class folders holding app classes outside Switchboard's own jar
 * @param appOptions           mount → options for an app that is {@code switchboard.app.Configurable}
 * @param shutdownGraceSeconds how long a graceful shutdown waits for clients before closing them hard
 * @param limits               per-connection limits
 * @param redis                Redis for multi-host pub/sub, or null for single-host mode
 * @param publishToken         bearer token of {@code POST /api/publish/{channel}}, or null: the API is off
 * @param observability        metrics, admin page and log format
 * @param tls                  https:// and wss:// on their own port, or null
 * @param fastPath             {@code transport.fastPath}: WebSockets on Switchboard's own frame handler and
 *                             direct sends (true, the default), or on Vert.x's public ServerWebSocket API
 *                             (false: slower, but nothing of Vert.x's internals is used after the handshake)
 * @param ioUring              {@code transport.ioUring}: on the fast path, a pass's sends leave together in one
 *                             {@code io_uring_enter} when the kernel allows it (true, the default), or one
 *                             writev each (false)
 * @param protocol             Centrifugo's client protocol and server API
 */
public record Config(String host, int port, int instances, Path webRoot, Map<String, String> apps, List<Path> appsPath,
                     Map<String, JsonObject> appOptions,
                     int shutdownGraceSeconds, Limits limits, RedisSettings redis, String publishToken,
                     Observability observability, TlsSettings tls, boolean fastPath,
                     boolean ioUring, ProtocolSettings protocol) {

  public static final String ENV_PORT = "SWITCHBOARD_PORT";
  public static final String ENV_INSTANCES = "SWITCHBOARD_INSTANCES";
  public static final String ENV_PUBLISH_TOKEN = "SWITCHBOARD_PUBLISH_TOKEN";
  public static final String ENV_APPS_PATH = "SWITCHBOARD_APPS_PATH";
  public static final int DEFAULT_PORT = 3000;
  /** Tokens copied from an example rather than chosen: refused, so no deployment runs with a known secret. */
  private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile(
      "(?i)change.?me|placeholder|your.?(token|secret)|example|replace.?me");
  /** The seed chat at the root and the second seed's push demo at /stream. */
  public static final Map<String, String> DEFAULT_APPS = Map.of("/", "switchboard.chat.ChatRoom", "/stream", "switchboard.apps.Stream");

  /** Reads and validates {@code json}, applying overrides from {@code env}. */
  public static Config from(JsonObject json, Map<String, String> env) {
    ConfigReader root = new ConfigReader(json, "");
    String host = checkHost(root.path("host"), root.string("host", "0.0.0.0"));
    int port = root.integer("port", DEFAULT_PORT, 0, 65535);
    int instances = root.integer("instances", 0, 0, 1024);
    String webRoot = root.string("webRoot", null);
    Map<String, String> apps = root.stringMap("apps", DEFAULT_APPS);
    ConfigReader appOptionsSection = root.object("appOptions");
    List<Path> appsPath = appsPath(root.path("appsPath"), root.string("appsPath", null), env.get(ENV_APPS_PATH));
    int grace = root.integer("shutdownGraceSeconds", 10, 1, 600);
    Limits limits = Limits.read(root.object("limits"));
    RedisSettings redis = RedisSettings.read(root.object("redis"), env.get(RedisSettings.ENV_URI));
    String token = publishToken(root.object("api"), env.get(ENV_PUBLISH_TOKEN));
    Observability observability = Observability.read(root.object("metrics"), root.object("admin"), root.object("logging"));
    TlsSettings tls = TlsSettings.read(root.object("tls"), env.get(TlsSettings.ENV_PORT));
    ConfigReader transport = root.object("transport");
    boolean fastPath = transport.bool("fastPath", true);
    boolean ioUring = transport.bool("ioUring", true);
    transport.rejectUnknownKeys();
    ProtocolSettings protocol = ProtocolSettings.read(root.object("protocol"), env);
    root.rejectUnknownKeys();

    port = envInteger(env, ENV_PORT, port, 0, 65535);
    instances = envInteger(env, ENV_INSTANCES, instances, 0, 1024);
    checkMounts(apps);
    if (protocol.enabled() && apps.containsKey(protocol.path())) {
      throw new ConfigException("apps." + protocol.path(), apps.get(protocol.path()),
          "the client protocol is served there (protocol.path); mount the app elsewhere or move the protocol");
    }
    Map<String, JsonObject> appOptions = appOptions(appOptionsSection, apps);
    return new Config(host, port, instances, checkWebRoot(webRoot), Map.copyOf(apps), appsPath, appOptions, grace, limits, redis, token,
        observability, tls, fastPath, ioUring, protocol);
  }

  /** True for a secret copied from an example rather than chosen. */
  static boolean looksLikePlaceholder(String secret) {
    return PLACEHOLDER.matcher(secret).find();
  }

  /** {@link #instances} with 0 resolved to the number of cores. */
  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }

  private static String publishToken(ConfigReader api, String envToken) {
    String fileToken = api.string("publishToken", null);
    api.rejectUnknownKeys();
    String token = envToken != null && !envToken.isBlank() ? envToken.trim() : fileToken;
    String key = envToken != null && !envToken.isBlank() ? ENV_PUBLISH_TOKEN + " (environment)" : api.path("publishToken");
    if (token != null && token.length() < 16) {
      // never echo a secret: name the key, not the value
      throw new ConfigException(key, "(hidden)", "use at least 16 characters");
    }
    if (token != null && PLACEHOLDER.matcher(token).find()) {
      throw new ConfigException(key, "(hidden)", "looks like a placeholder from an example; set a long random secret "
          + "(e.g. openssl rand -hex 24), or leave it out to turn the publish API off");
    }
    return token;
  }

  private static final java.util.regex.Pattern HOSTNAME =
      java.util.regex.Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  /** An interface to bind: an IPv4 or IPv6 literal or a host name (checked for syntax only: no lookup here). */
  private static String checkHost(String key, String host) {
    java.util.regex.Matcher v4 = IPV4.matcher(host);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          throw new ConfigException(key, host, "not an IPv4 address");
        }
      }
      return host;
    }
    if (host.contains(":")) {
      try {
        if (io.netty.util.NetUtil.isValidIpV6Address(host)) {
          return host;
        }
      } catch (RuntimeException ignored) {
        // falls through to the error below
      }
      throw new ConfigException(key, host, "not an IPv6 address");
    }
    if (!HOSTNAME.matcher(host).matches() || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
      throw new ConfigException(key, host, "must be an IP address (0.0.0.0 = all interfaces) or a host name");
    }
    return host;
  }

  /** Mount paths and class names are well formed; the classes themselves are loaded at deploy time. */
  private static void checkMounts(Map<String, String> apps) {
    if (apps.isEmpty()) {
      throw new ConfigException("apps", "{}", "mount at least one app, e.g. {\"/\": \"switchboard.chat.ChatRoom\"}");
    }
    apps.forEach((prefix, className) -> {
      if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
        throw new ConfigException("apps." + prefix, className, "a mount path starts with '/' and does not end with '/'");
      }
      if (className == null || className.isBlank()) {
        throw new ConfigException("apps." + prefix, className, "name an App class");
      }
    });
  }

  /** {@code appOptions}: one JSON object per mount that exists in {@code apps}. */
  private static Map<String, JsonObject> appOptions(ConfigReader section, Map<String, String> apps) {
    Map<String, JsonObject> options = new java.util.LinkedHashMap<>();
    for (String mount : section.fieldNames()) {
      if (!apps.containsKey(mount)) {
        throw new ConfigException(section.path(mount), section.raw(mount), "no app is mounted there (see apps)");
      }
      Object value = section.raw(mount);
      if (!(value instanceof JsonObject object)) {
        throw new ConfigException(section.path(mount), value, "must be a JSON object");
      }
      options.put(mount, object.copy());
    }
    return Map.copyOf(options);
  }

  /** {@code appsPath}: entries separated by ':' (the environment variable wins); each must be a readable jar or folder. */
  private static List<Path> appsPath(String key, String fromFile, String fromEnv) {
    String text = fromEnv != null && !fromEnv.isBlank() ? fromEnv : fromFile;
    if (fromEnv != null && !fromEnv.isBlank()) {
      key = ENV_APPS_PATH + " (environment)";
    }
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<Path> paths = new java.util.ArrayList<>();
    for (String entry : text.split(":")) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry.trim()).toAbsolutePath().normalize();
      if (!Files.isReadable(path) || !(Files.isDirectory(path) || entry.trim().endsWith(".jar"))) {
        throw new ConfigException(key, entry, "not a readable .jar file or folder (" + path + ")");
      }
      paths.add(path);
    }
    return List.copyOf(paths);
  }

  private static Path checkWebRoot(String webRoot) {
    if (webRoot == null) {
      return null;
    }
    Path path = Path.of(webRoot).toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) {
      throw new ConfigException("webRoot", webRoot, "no such directory (" + path + ")");
    }
    return path;
  }

  private static int envInteger(Map<String, String> env, String name, int fallback, int min, int max) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " (environment)", text, "must be a whole number");
    }
    if (value < min || value > max) {
      throw new ConfigException(name + " (environment)", text, "must be between " + min + " and " + max);
    }
    return value;
  }
}
