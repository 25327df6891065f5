package switchboard.config;

import io.vertx.core.json.JsonObject;
import switchboard.app.AppMounts;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * @param apps                 URL path prefix → App class name; the longest matching prefix wins
 * @param shutdownGraceSeconds how long a graceful shutdown waits for clients before closing them hard
 * @param limits               per-connection limits
 * @param redis                Redis for multi-host pub/sub, or null for single-host mode
 * @param publishToken         bearer token of {@code POST /api/publish/{channel}}, or null: the API is off
 * @param observability        metrics, admin page and log format
 */
public record Config(String host, int port, int instances, Path webRoot, Map<String, String> apps,
                     int shutdownGraceSeconds, Limits limits, RedisSettings redis, String publishToken,
                     Observability observability) {

  public static final String ENV_PORT = "SWITCHBOARD_PORT";
  public static final String ENV_INSTANCES = "SWITCHBOARD_INSTANCES";
  public static final String ENV_PUBLISH_TOKEN = "SWITCHBOARD_PUBLISH_TOKEN";
  public static final int DEFAULT_PORT = 3000;
  public static final Map<String, String> DEFAULT_APPS = Map.of("/", "switchboard.chat.ChatRoom");

  /** Reads and validates {@code json}, applying overrides from {@code env}. */
  public static Config from(JsonObject json, Map<String, String> env) {
    ConfigReader root = new ConfigReader(json, "");
    String host = root.string("host", "0.0.0.0");
    int port = root.integer("port", DEFAULT_PORT, 0, 65535);
    int instances = root.integer("instances", 0, 0, 1024);
    String webRoot = root.string("webRoot", null);
    Map<String, String> apps = root.stringMap("apps", DEFAULT_APPS);
    int grace = root.integer("shutdownGraceSeconds", 10, 1, 600);
    Limits limits = Limits.read(root.object("limits"));
    RedisSettings redis = RedisSettings.read(root.object("redis"), env.get(RedisSettings.ENV_URI));
    String token = publishToken(root.object("api"), env.get(ENV_PUBLISH_TOKEN));
    Observability observability = Observability.read(root.object("metrics"), root.object("admin"), root.object("logging"));
    root.rejectUnknownKeys();

    port = envInteger(env, ENV_PORT, port, 0, 65535);
    instances = envInteger(env, ENV_INSTANCES, instances, 0, 1024);
    AppMounts.validate(apps);
    return new Config(host, port, instances, checkWebRoot(webRoot), Map.copyOf(apps), grace, limits, redis, token,
        observability);
  }

  /** {@link #instances} with 0 resolved to the number of cores. */
  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }

  private static String publishToken(ConfigReader api, String envToken) {
    String fileToken = api.string("publishToken", null);
    api.rejectUnknownKeys();
    String token = envToken != null && !envToken.isBlank() ? envToken.trim() : fileToken;
    if (token != null && token.length() < 16) {
      // never echo a secret: name the key, not the value
      throw new ConfigException(api.path("publishToken"), "(hidden)", "use at least 16 characters");
    }
    return token;
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
