package switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code protocol} config section: Centrifugo's client protocol at {@code path} (so its SDKs connect
 * unchanged) and its HTTP server API at {@code /api/<method>}.
 *
 * @param enabled                  serve the protocol (default true)
 * @param path                     where its WebSocket lives (Centrifugo's {@code /connection/websocket})
 * @param hmacSecret               HS256/384/512 connection and subscription tokens; env
 *                                 {@code SWITCHBOARD_TOKEN_HMAC_SECRET}; never echoed
 * @param rsaPublicKeyPem          the PEM public key for RS256 tokens, read from {@code token.rsaPublicKeyPath}
 *                                 or the file env {@code SWITCHBOARD_TOKEN_RSA_PUBLIC_KEY} names
 * @param ecdsaPublicKeyPem        the PEM public key for ES256 tokens ({@code token.ecdsaPublicKeyPath})
 * @param jwks                     keys from {@code token.jwksPath}, a JWKS file (RFC 7517 {@code {"keys":[…]}}),
 *                                 read at startup; empty when none
 * @param jwksUrl                  a JWKS endpoint, fetched at startup and every {@code jwksRefreshSeconds}
 * @param jwksRefreshSeconds       how often {@code jwksUrl} is fetched again (keys rotate)
 * @param audience                 when set, a token's {@code aud} must name it
 * @param issuer                   when set, a token's {@code iss} must be it
 * @param allowAnonymousWithoutToken a connect without a token is an anonymous user (otherwise refused)
 * @param apiKey                   the server API's key ({@code X-API-Key}); env {@code SWITCHBOARD_API_KEY};
 *                                 null: the API is off
 * @param pingIntervalSeconds      the protocol's own ping ({@code {}}), answered by a pong when negotiated
 * @param pongTimeoutSeconds       how long after a ping a pong may take
 * @param refreshGraceSeconds      after a token's {@code exp}, how long the client has to refresh it before
 *                                 it is disconnected with 3005
 * @param channelMaxLength         the longest channel name a client may use
 * @param withoutNamespace         options of channels without a namespace
 * @param namespaces               options by namespace name
 * @param handlerClass             a {@code switchboard.protocol.ProtocolHandler} for rpc and send, or null (rpc
 *                                 answers 104, method not found); loaded at deploy time like the apps
 */
public record ProtocolSettings(boolean enabled, String path, String hmacSecret, String rsaPublicKeyPem,
                               String ecdsaPublicKeyPem, java.util.List<JsonObject> jwks, String jwksUrl,
                               int jwksRefreshSeconds, String audience, String issuer,
                               boolean allowAnonymousWithoutToken, String apiKey, int pingIntervalSeconds,
                               int pongTimeoutSeconds, int refreshGraceSeconds, int channelMaxLength,
                               NamespaceOptions withoutNamespace, Map<String, NamespaceOptions> namespaces,
                               String handlerClass) {

  public static final String ENV_HMAC_SECRET = "SWITCHBOARD_TOKEN_HMAC_SECRET";
  public static final String ENV_RSA_PUBLIC_KEY = "SWITCHBOARD_TOKEN_RSA_PUBLIC_KEY";
  public static final String ENV_API_KEY = "SWITCHBOARD_API_KEY";
  public static final String DEFAULT_PATH = "/connection/websocket";

  /** The options that apply to {@code channel}: its namespace's, or null when that namespace is not configured. */
  public NamespaceOptions optionsFor(String channel) {
    int colon = channel.indexOf(':');
    return colon < 0 ? withoutNamespace : namespaces.get(channel.substring(0, colon));
  }

  /** Whether any way of checking tokens is configured. */
  public boolean verifiesTokens() {
    return hmacSecret != null || rsaPublicKeyPem != null || ecdsaPublicKeyPem != null || !jwks.isEmpty() || jwksUrl != null;
  }

  static ProtocolSettings read(ConfigReader section, Map<String, String> env) {
    boolean enabled = section.bool("enabled", true);
    String path = section.string("path", DEFAULT_PATH);
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new ConfigException(section.path("path"), path, "a path starts with '/' and does not end with '/'");
    }
    ConfigReader token = section.object("token");
    String hmac = secret(token, "hmacSecret", env.get(ENV_HMAC_SECRET), ENV_HMAC_SECRET);
    String rsa = pemPath(token, "rsaPublicKeyPath", env.get(ENV_RSA_PUBLIC_KEY), ENV_RSA_PUBLIC_KEY);
    String ecdsa = pemPath(token, "ecdsaPublicKeyPath", null, null);
    java.util.List<JsonObject> jwks = jwksFile(token);
    String jwksUrl = token.string("jwksUrl", null);
    if (jwksUrl != null && !jwksUrl.matches("https?://[^\\s]+")) {
      throw new ConfigException(token.path("jwksUrl"), jwksUrl, "an http:// or https:// URL of a JWKS document");
    }
    int jwksRefresh = token.integer("jwksRefreshSeconds", 300, 10, 86_400);
    String audience = token.string("audience", null);
    String issuer = token.string("issuer", null);
    token.rejectUnknownKeys();
    boolean anonymous = section.bool("allowAnonymousConnectWithoutToken", false);
    String apiKey = secret(section, "apiKey", env.get(ENV_API_KEY), ENV_API_KEY);
    int ping = section.integer("pingIntervalSeconds", 25, 1, 3600);
    int pong = section.integer("pongTimeoutSeconds", 8, 1, 3600);
    if (pong >= ping) {
      throw new ConfigException(section.path("pongTimeoutSeconds"), pong, "must be shorter than pingIntervalSeconds (" + ping + ")");
    }
    int grace = section.integer("refreshGraceSeconds", 25, 1, 3600);
    int maxLength = section.integer("channelMaxLength", 255, 1, 255); // 255: Channels.MAX_LENGTH, the bound for every audience
    NamespaceOptions without = NamespaceOptions.read(section.object("withoutNamespace"), "");
    Map<String, NamespaceOptions> namespaces = new LinkedHashMap<>();
    Object list = section.raw("namespaces");
    if (list != null && !(list instanceof JsonArray)) {
      throw new ConfigException(section.path("namespaces"), list, "must be a JSON array of objects");
    }
    if (list != null) {
      JsonArray array = (JsonArray) list;
      for (int i = 0; i < array.size(); i++) {
        String at = section.path("namespaces") + "[" + i + "]";
        if (!(array.getValue(i) instanceof JsonObject object)) {
          throw new ConfigException(at, array.getValue(i), "must be a JSON object with a name");
        }
        ConfigReader item = new ConfigReader(object, at);
        String name = item.string("name", null);
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
          throw new ConfigException(item.path("name"), name, "a namespace is named with 1-64 characters from A-Z a-z 0-9 _ . -");
        }
        if (namespaces.containsKey(name)) {
          throw new ConfigException(item.path("name"), name, "named twice");
        }
        namespaces.put(name, NamespaceOptions.read(item, name));
      }
    }
    String handler = section.string("handler", null);
    section.rejectUnknownKeys();
    return new ProtocolSettings(enabled, path, hmac, rsa, ecdsa, jwks, jwksUrl, jwksRefresh, audience, issuer, anonymous, apiKey, ping, pong, grace,
        maxLength, without, Map.copyOf(namespaces), handler);
  }

  /** A secret from the file or the environment (which wins); at least 16 characters; never echoed. */
  private static String secret(ConfigReader section, String key, String fromEnv, String envName) {
    boolean env = fromEnv != null && !fromEnv.isBlank();
    String value = env ? fromEnv.trim() : section.string(key, null);
    String where = env ? envName + " (environment)" : section.path(key);
    if (value != null && value.length() < 16) {
      throw new ConfigException(where, "(hidden)", "use at least 16 characters");
    }
    if (value != null && Config.looksLikePlaceholder(value)) {
      throw new ConfigException(where, "(hidden)", "looks like a placeholder from an example; set a long random secret "
          + "(e.g. openssl rand -hex 32)");
    }
    return value;
  }

  /** The keys of the JWKS file at {@code jwksPath} (none when the key is absent). */
  private static java.util.List<JsonObject> jwksFile(ConfigReader token) {
    String path = token.string("jwksPath", null);
    if (path == null) {
      return java.util.List.of();
    }
    String key = token.path("jwksPath");
    try {
      Object keys = new JsonObject(Files.readString(Path.of(path))).getValue("keys");
      if (!(keys instanceof JsonArray array) || array.isEmpty()) {
        throw new ConfigException(key, path, "a JWKS document has a non-empty \"keys\" list");
      }
      java.util.List<JsonObject> list = new java.util.ArrayList<>();
      for (Object jwk : array) {
        if (!(jwk instanceof JsonObject object)) {
          throw new ConfigException(key, path, "every entry of \"keys\" is a JSON object (a JWK)");
        }
        list.add(object);
      }
      return java.util.List.copyOf(list);
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      throw new ConfigException(key, path, "no readable file there");
    } catch (io.vertx.core.json.DecodeException e) {
      throw new ConfigException(key, path, "not JSON");
    }
  }

  /** The PEM text of the file named in the file or the environment (which wins), or null. */
  private static String pemPath(ConfigReader section, String key, String fromEnv, String envName) {
    boolean env = fromEnv != null && !fromEnv.isBlank();
    String value = env ? fromEnv.trim() : section.string(key, null);
    if (value == null) {
      return null;
    }
    String where = env ? envName + " (environment)" : section.path(key);
    try {
      String pem = Files.readString(Path.of(value));
      if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
        throw new ConfigException(where, value, "not a PEM public key (-----BEGIN PUBLIC KEY-----)");
      }
      return pem;
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      throw new ConfigException(where, value, "no readable PEM file there");
    }
  }
}
