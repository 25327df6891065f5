package switchboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import switchboard.app.AppMounts;
import switchboard.config.Config;
import switchboard.config.ConfigException;
import switchboard.config.Limits;
import switchboard.config.Observability;
import switchboard.config.RedisSettings;
import switchboard.config.TlsSettings;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./run.sh check-config [file]}: validates a config file (default conf/config.json) with the
 * environment overrides applied (the app classes loaded as the server would), and prints the effective values, defaults included, secrets hidden.
 * Exit 0 when valid, 78 with a line naming the key when not.
 */
public final class CheckConfig {

  private CheckConfig() {
  }

  public static void main(String[] args) {
    Path file = Path.of(args.length > 0 ? args[0] : "conf/config.json");
    Config config;
    try {
      config = Config.from(new JsonObject(Files.readString(file)), System.getenv());
      AppMounts.validate(config.apps(), AppMounts.loader(config.appsPath())); // as the server does at deploy time
    } catch (ConfigException e) {
      System.err.println("switchboard: bad config in " + file + ": " + e.getMessage());
      System.exit(78);
      return;
    } catch (Exception e) {
      System.err.println("switchboard: cannot read " + file + ": " + e.getMessage());
      System.exit(78);
      return;
    }
    System.out.println("# " + file + " is valid; effective configuration (file + environment + defaults):");
    System.out.println(effective(config).encodePrettily());
  }

  static JsonObject effective(Config c) {
    JsonObject apps = new JsonObject();
    c.apps().forEach(apps::put);
    Observability o = c.observability();
    return new JsonObject()
        .put("host", c.host())
        .put("port", c.port())
        .put("instances", c.instances())
        .put("instances (effective)", c.effectiveInstances())
        .put("webRoot", c.webRoot() == null ? "(built-in chat page)" : c.webRoot().toString())
        .put("apps", apps)
        .put("shutdownGraceSeconds", c.shutdownGraceSeconds())
        .put("limits", limits(c.limits()))
        .put("redis", c.redis() == null ? null
            : new JsonObject().put("uri", c.redis().maskedUri()).put("prefix", c.redis().prefix()))
        .put("api", new JsonObject().put("publishToken", hidden(c.publishToken())))
        .put("metrics", new JsonObject().put("enabled", o.metrics()).put("token", hidden(o.metricsToken())))
        .put("admin", new JsonObject().put("enabled", o.admin()).put("token", hidden(o.adminToken())))
        .put("logging", new JsonObject().put("json", o.jsonLogs()))
        .put("appsPath", new JsonArray(c.appsPath().stream().map(Object::toString).toList()))
        .put("tls", c.tls() == null ? null : new JsonObject().put("certPath", c.tls().certPath())
            .put("keyPath", c.tls().keyPath()).put("port", c.tls().port()).put("reloadSeconds", c.tls().reloadSeconds()))
        .put("transport", new JsonObject().put("fastPath", c.fastPath()).put("ioUring", c.ioUring()))
        .put("protocol", protocol(c.protocol()))
        .put("environment overrides", new JsonArray().add(Config.ENV_PORT).add(Config.ENV_INSTANCES)
            .add(RedisSettings.ENV_URI).add(Config.ENV_PUBLISH_TOKEN).add(Config.ENV_APPS_PATH).add(TlsSettings.ENV_PORT)
            .add(switchboard.config.ProtocolSettings.ENV_HMAC_SECRET).add(switchboard.config.ProtocolSettings.ENV_RSA_PUBLIC_KEY)
            .add(switchboard.config.ProtocolSettings.ENV_API_KEY));
  }

  private static JsonObject protocol(switchboard.config.ProtocolSettings p) {
    JsonArray namespaces = new JsonArray();
    p.namespaces().values().forEach(n -> namespaces.add(n.toString()));
    return new JsonObject().put("enabled", p.enabled()).put("path", p.path())
        .put("token", new JsonObject().put("hmacSecret", hidden(p.hmacSecret()))
            .put("rsaPublicKey", p.rsaPublicKeyPem() == null ? null : "(PEM)")
            .put("ecdsaPublicKey", p.ecdsaPublicKeyPem() == null ? null : "(PEM)")
            .put("jwksKeys", p.jwks().size()).put("jwksUrl", p.jwksUrl()).put("jwksRefreshSeconds", p.jwksRefreshSeconds())
            .put("audience", p.audience()).put("issuer", p.issuer()))
        .put("allowAnonymousConnectWithoutToken", p.allowAnonymousWithoutToken())
        .put("apiKey", hidden(p.apiKey())).put("pingIntervalSeconds", p.pingIntervalSeconds())
        .put("pongTimeoutSeconds", p.pongTimeoutSeconds()).put("refreshGraceSeconds", p.refreshGraceSeconds())
        .put("channelMaxLength", p.channelMaxLength()).put("withoutNamespace", p.withoutNamespace().toString())
        .put("namespaces", namespaces).put("handler", p.handlerClass());
  }

  private static JsonObject limits(Limits l) {
    return new JsonObject().put("maxFrameBytes", l.maxFrameBytes()).put("maxMessageBytes", l.maxMessageBytes())
        .put("writeQueueBytes", l.writeQueueBytes()).put("maxConnections", l.maxConnections())
        .put("maxConnectionsPerIp", l.maxConnectionsPerIp()).put("maxChannelsPerConnection", l.maxChannelsPerConnection())
        .put("publishPerSecond", l.publishPerSecond()).put("publishBurst", l.publishBurst())
        .put("pingIntervalSeconds", l.pingIntervalSeconds()).put("missedPongs", l.missedPongs())
        .put("allowedOrigins", new JsonArray(l.allowedOrigins()))
        .put("handshakeTimeoutSeconds", l.handshakeTimeoutSeconds()).put("maxHeaderBytes", l.maxHeaderBytes())
        .put("socketSendBufferBytes", l.socketSendBufferBytes())
        .put("publishBytesPerSecond", l.publishBytesPerSecond()).put("publishBurstBytes", l.publishBurstBytes())
        .put("httpIdleTimeoutSeconds", l.httpIdleTimeoutSeconds());
  }

  private static String hidden(String secret) {
    return secret == null ? null : "(set, hidden)";
  }
}
