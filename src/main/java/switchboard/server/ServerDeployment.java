package switchboard.server;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import switchboard.config.Config;

import java.util.Map;
import java.util.stream.Collectors;

/** Deploys the configured number of {@link ServerVerticle} instances on one port and describes them. */
public final class ServerDeployment {

  private ServerDeployment() {
  }

  /** The server instances, after the node directory when the server API is on (its info and channels need it). */
  public static Future<String> deploy(Vertx vertx, Node node) {
    int instances = node.config().effectiveInstances();
    Future<?> directory = Future.succeededFuture();
    if (node.config().protocol().apiKey() != null) {
      NodeDirectory nodes = new NodeDirectory(node, Map.of("channels", params -> ServerApi.localChannels(node, params)));
      node.directory(nodes);
      directory = vertx.deployVerticle(nodes);
    }
    return directory.compose(d -> vertx.deployVerticle(() -> new ServerVerticle(node), new DeploymentOptions().setInstances(instances)));
  }

  /** The startup line: URL, instances, transport, app routes and broker mode. */
  public static String describe(Vertx vertx, Node node) {
    Config config = node.config();
    String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
    Throwable why = vertx.unavailableNativeTransportCause();
    String transport = vertx.isNativeTransportEnabled() ? "epoll (native)" + sends(config)
        : why == null ? "nio (native transport not requested)" : "nio (native transport unavailable: " + why + ")";
    String apps = config.apps().entrySet().stream()
        .map(e -> e.getKey() + " -> " + e.getValue())
        .collect(Collectors.joining(", "));
    return "Switchboard listening on http://" + host + ":" + node.port()
        + (node.tlsPort() > 0 ? " and https://" + host + ":" + node.tlsPort() : "")
        + " | instances: " + config.effectiveInstances()
        + " | transport: " + transport
        + " | apps: " + apps
        + " | " + protocol(config.protocol())
        + " | broker: " + node.broker().describe();
  }

  /** How the fast path's corked writes leave at the end of a pass: one io_uring_enter, or one writev per socket. */
  private static String sends(Config config) {
    if (!config.fastPath()) {
      return "";
    }
    Throwable why = switchboard.internal.SendRing.unavailabilityCause();
    return !config.ioUring() ? ", sends: a writev per socket (transport.ioUring false)"
        : why == null ? ", sends: batched in io_uring"
        : ", sends: a writev per socket (io_uring unavailable: " + why + ")";
  }

  /** Where the client protocol is, and whether anyone can connect to it as configured. */
  private static String protocol(switchboard.config.ProtocolSettings p) {
    if (!p.enabled()) {
      return "client protocol: off";
    }
    String who = p.verifiesTokens() ? "tokens" + (p.allowAnonymousWithoutToken() ? " or anonymous" : "")
        : p.allowAnonymousWithoutToken() ? "anonymous only" : "nobody (set protocol.token keys)";
    return "client protocol: " + p.path() + " (connect: " + who + ")" + (p.apiKey() != null ? ", server API: /api/<method>" : "");
  }
}
