package switchboard;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher's command line, checked before Vert.x sees it, where the Vert.x launcher would surprise a
 * Switchboard user: a {@code --conf} that cannot be read or parsed stops startup (Vert.x would warn and
 * serve with the defaults, without the config's tokens and limits); {@code -instances N} means N server
 * instances, the same as the config key (Vert.x would deploy N copies of the whole server); {@code -cluster}
 * is refused, since hosts join through Redis. Everything else passes through unchanged.
 */
final class CommandLine {

  /** Why the command line was refused, with the exit code to use. */
  static final class Refused extends Exception {
    final int exitCode;

    Refused(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  static final String USAGE = """
      Switchboard: a real-time WebSocket and pub/sub server.

      Commands (./run.sh COMMAND):
        (none)                   serve with conf/config.json on http://localhost:3000
        test                     run the whole test suite
        bench MODE [options]     the load generator (./run.sh bench for its modes)
        compare [rounds]         Switchboard beside Node and the wire floor, medians
        fuzz [seed]              random malformed frames against a real server
        faults                   shutdown at scale and Redis restarts
        check-config [file]      validate a config and print the effective values

      Serving options:
        --conf FILE|JSON         the config (default conf/config.json); unreadable or invalid: exit 78
        -instances N             server instances (event loops); same as the config key "instances"
        --apps-path A.jar[:B]    jars or folders with your App classes (or SWITCHBOARD_APPS_PATH)

      Config keys most people change (README, "Configuration", lists them all):
        port (SWITCHBOARD_PORT)                  3000
        instances (SWITCHBOARD_INSTANCES)        0 = one per core
        apps                                     {"/": "switchboard.chat.ChatRoom"}
        redis.uri (SWITCHBOARD_REDIS_URI)        none: single host
        api.publishToken (SWITCHBOARD_PUBLISH_TOKEN)  none: publish API off
        limits.maxMessageBytes                   65536
        limits.writeQueueBytes                   1048576
        limits.maxConnections                    50000

      The Vert.x launcher's own options follow.
      """;

  private final String[] vertxArgs;
  private final Integer instances;
  private final String appsPath;
  private final boolean help;

  private CommandLine(String[] vertxArgs, Integer instances, String appsPath, boolean help) {
    this.vertxArgs = vertxArgs;
    this.instances = instances;
    this.appsPath = appsPath;
    this.help = help;
  }

  static CommandLine parse(String[] args) throws Refused {
    List<String> rest = new ArrayList<>();
    Integer instances = null;
    String appsPath = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
      switch (name) {
        case "-h", "-help", "--help" -> {
          help = true;
          rest.add(arg);
        }
        case "-cluster", "--cluster", "-cluster-host", "--cluster-host", "-cluster-port", "--cluster-port",
             "-cluster-public-host", "--cluster-public-host", "-cluster-public-port", "--cluster-public-port" ->
            throw new Refused(name + " is not used: Switchboard hosts join through Redis. Set redis.uri in the config "
                + "(or SWITCHBOARD_REDIS_URI) on every host", Launcher.EXIT_USAGE);
        case "-instances", "--instances" -> {
          String value = inline != null ? inline : i + 1 < args.length ? args[++i] : null;
          instances = instances(value);
        }
        case "-apps-path", "--apps-path" -> {
          appsPath = inline != null ? inline : i + 1 < args.length ? args[++i] : null;
          if (appsPath == null || appsPath.isBlank()) {
            throw new Refused("--apps-path needs jar files or folders, separated by ':'", Launcher.EXIT_BAD_CONFIG);
          }
        }
        case "-conf", "--conf" -> {
          String value = inline != null ? inline : i + 1 < args.length ? args[++i] : null;
          checkConf(value);
          rest.add(name);
          rest.add(value);
        }
        default -> rest.add(arg);
      }
    }
    return new CommandLine(rest.toArray(new String[0]), instances, appsPath, help);
  }

  private static Integer instances(String value) throws Refused {
    try {
      int n = Integer.parseInt(value == null ? "" : value.trim());
      if (n >= 0 && n <= 1024) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new Refused("-instances takes a whole number of server instances from 0 (one per core) to 1024, got "
        + (value == null ? "nothing" : "\"" + value + "\""), Launcher.EXIT_BAD_CONFIG);
  }

  /** JSON text must parse; anything else is a path that must be a readable file of JSON. */
  private static void checkConf(String value) throws Refused {
    if (value == null || value.isBlank()) {
      throw new Refused("--conf needs a file or JSON text", Launcher.EXIT_BAD_CONFIG);
    }
    String text = value;
    String what = "--conf JSON text";
    if (!value.trim().startsWith("{")) {
      Path path = Path.of(value);
      what = "--conf " + path.toAbsolutePath();
      try {
        text = Files.readString(path);
      } catch (IOException | RuntimeException e) {
        throw new Refused("cannot read " + what + ": " + (Files.exists(path) ? e.getMessage() : "no such file"),
            Launcher.EXIT_BAD_CONFIG);
      }
    }
    try {
      new JsonObject(text);
    } catch (DecodeException e) {
      throw new Refused(what + " is not a JSON object: " + e.getMessage(), Launcher.EXIT_BAD_CONFIG);
    }
  }

  String[] vertxArgs() {
    return vertxArgs;
  }

  /** {@code -instances N}, or null when not given. */
  Integer instances() {
    return instances;
  }

  /** {@code --apps-path A.jar:B.jar}, or null when not given (the config's appsPath key). */
  String appsPath() {
    return appsPath;
  }

  boolean help() {
    return help;
  }
}
