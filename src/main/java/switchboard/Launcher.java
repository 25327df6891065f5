package switchboard;

import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.launcher.application.VertxApplicationHooks;
import switchboard.config.Config;
import switchboard.config.ConfigException;
import switchboard.internal.NettyDefaults;
import switchboard.metrics.GaugeReRegistrationFilter;
import switchboard.metrics.JsonLogFormatter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Vert.x launcher with Switchboard's defaults: {@code conf/config.json} when no {@code --conf} is
 * given, the native transport preferred, and a bad config reported in one line (naming the key) with exit
 * code 78 before Vert.x starts. On SIGTERM/SIGINT the launcher's shutdown hook closes Vert.x, which
 * undeploys the servers gracefully.
 */
public final class Launcher extends VertxApplication implements VertxApplicationHooks {

  /** Exit code for a configuration error (sysexits.h EX_CONFIG). */
  static final int EXIT_BAD_CONFIG = 78;
  /** Exit code for a command line Switchboard does not take (sysexits.h EX_USAGE). */
  static final int EXIT_USAGE = 64;
  private static final Path DEFAULT_CONFIG = Path.of("conf", "config.json");
  private final Integer commandLineInstances;
  private final String commandLineAppsPath;
  private Config config;

  public Launcher(String[] args) {
    this(args, null, null);
  }

  private Launcher(String[] args, Integer commandLineInstances, String commandLineAppsPath) {
    super(args);
    this.commandLineInstances = commandLineInstances;
    this.commandLineAppsPath = commandLineAppsPath;
  }

  public static void main(String[] args) {
    NettyDefaults.apply(); // before any Netty class initializes: it reads them then
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %3$s - %5$s%6$s%n");
    }
    CommandLine line;
    try {
      line = CommandLine.parse(args);
    } catch (CommandLine.Refused e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(e.exitCode);
      return;
    }
    if (line.help()) {
      System.out.println(CommandLine.USAGE);
    }
    // a port in use is reported in one line by afterFailureToDeployVerticle: not also as the launcher's stack trace
    // and a config error found at deploy time (an app class) by one line too
    java.util.logging.Logger.getLogger(VertxApplication.class.getName()).setFilter(record ->
        !isPortInUse(record.getThrown()) && !(record.getThrown() instanceof ConfigException));
    int code = new Launcher(line.vertxArgs(), line.instances(), line.appsPath()).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject conf) {
    // the hook gets null when --conf is absent
    JsonObject json = conf == null || conf.isEmpty() ? readDefaultConfig() : conf;
    if (commandLineInstances != null) {
      // -instances means server instances (event loops), as the config key does, not copies of the server
      json.put("instances", commandLineInstances);
    }
    if (commandLineAppsPath != null) {
      json.put("appsPath", commandLineAppsPath);
    }
    try {
      config = Config.from(json, System.getenv());
    } catch (ConfigException e) {
      System.err.println("switchboard: bad config: " + e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
    }
    if (config.observability().jsonLogs()) {
      JsonLogFormatter.install();
    }
    return json;
  }

  /** A port in use (or any other failure to listen) is one line naming the port and how to change it. */
  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable cause) {
    if (cause instanceof ConfigException bad) {
      // the app classes are loaded at deploy time: a missing or wrong class is still a config error
      System.err.println("switchboard: bad config: " + bad.getMessage());
      System.exit(EXIT_BAD_CONFIG);
    }
    if (isPortInUse(cause) && config != null) {
      String key = System.getenv(Config.ENV_PORT) != null ? Config.ENV_PORT + " (environment)" : "'port' in the config";
      System.err.println("switchboard: cannot listen on " + config.host() + ":" + config.port()
          + ": the address is already in use; choose another port with " + key + " or stop the process that holds it");
      System.exit(EXIT_BAD_CONFIG);
    }
  }

  /** Java's BindException, or the epoll transport's native error for EADDRINUSE, anywhere in the causes. */
  private static boolean isPortInUse(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** Vert.x's own meters (HTTP server, event bus, pools, JVM) join ours on /metrics unless metrics are off. */
  @Override
  public void beforeStartingVertx(HookContext context) {
    MetricsOptions current = context.vertxOptions().getMetricsOptions();
    boolean alreadyOn = current != null && current.isEnabled();
    if (config != null && config.observability().metrics() && !alreadyOn) {
      GaugeReRegistrationFilter.install();
      context.vertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    }
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject options) {
    JsonObject result = options == null ? new JsonObject() : options;
    if (!result.containsKey("preferNativeTransport")) {
      result.put("preferNativeTransport", true);
    }
    return result;
  }

  private static JsonObject readDefaultConfig() {
    if (!Files.exists(DEFAULT_CONFIG)) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(DEFAULT_CONFIG));
    } catch (IOException | RuntimeException e) {
      System.err.println("switchboard: cannot read " + DEFAULT_CONFIG + ": " + e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return null;
    }
  }
}
