package switchboard.server;

import switchboard.config.Config;
import switchboard.metrics.Meters;
import switchboard.pubsub.Broker;
import switchboard.pubsub.Publisher;
import switchboard.transport.ConnectionCount;

/**
 * What all server verticle instances of this JVM share: the config, the broker, the connection count and
 * the lifecycle flags. Thread-safe.
 */
public final class Node {

  private final Config config;
  private final Broker broker;
  private final Publisher publisher;
  private final ConnectionCount connections = new ConnectionCount();
  private final Meters meters;
  private final long startedAt = System.currentTimeMillis();
  /** This process's id in the server API's {@code info} (a new one per start, as Centrifugo's node uid). */
  private final String id = java.util.UUID.randomUUID().toString();
  private volatile boolean draining;
  private final ClassLoader apps;
  private volatile NodeDirectory directory;
  private volatile int port;
  private volatile int tlsPort;

  public Node(Config config, Broker broker, Meters meters) {
    this(config, broker, meters, Node.class.getClassLoader());
  }

  /** With the class loader that holds the app classes (Switchboard's own plus {@code appsPath}). */
  public Node(Config config, Broker broker, Meters meters, ClassLoader apps) {
    this.apps = apps;
    this.config = config;
    this.broker = broker;
    this.meters = meters;
    this.publisher = new Publisher(broker, config.limits().maxMessageBytes(), meters);
    meters.gauge("switchboard.connections", "open client connections", connections::sessions, "transport", "websocket");
    meters.gauge("switchboard.connections", "open client connections", connections::sseSessions, "transport", "sse");
    meters.gauge("switchboard.connections", "open client connections",
        () -> connections.current() - connections.sessions() - connections.sseSessions(), "transport", "http");
    if (broker.health().distributed()) {
      meters.gauge("switchboard.redis.connected", "1 while the Redis link is up", () -> broker.health().connected() ? 1 : 0);
      meters.gauge("switchboard.redis.reconnects", "Redis reconnect attempts since start", () -> broker.health().reconnects());
    }
  }

  /** A new id per process start. */
  public String id() {
    return id;
  }

  /** The host's name as the environment gives it (no DNS lookup), for the server API's {@code info}. */
  public String name() {
    String host = System.getenv("HOSTNAME");
    return host != null && !host.isBlank() ? host : "switchboard-" + ProcessHandle.current().pid();
  }

  /** Where the app classes load from. */
  public ClassLoader appClasses() {
    return apps;
  }

  public Meters meters() {
    return meters;
  }

  /** Milliseconds since this node started. */
  public long uptimeMillis() {
    return System.currentTimeMillis() - startedAt;
  }

  public Config config() {
    return config;
  }

  public Broker broker() {
    return broker;
  }

  /** The checked way to publish (channel rules, size limit). */
  public Publisher publisher() {
    return publisher;
  }

  public ConnectionCount connections() {
    return connections;
  }

  /** True once a graceful shutdown began: new WebSocket upgrades are refused with 503. */
  public boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }

  /** The nodes sharing this broker, once deployed (null before). */
  NodeDirectory directory() {
    return directory;
  }

  void directory(NodeDirectory directory) {
    this.directory = directory;
  }

  /** The port actually bound (differs from the config when it asked for 0). */
  public int port() {
    return port;
  }

  void port(int port) {
    this.port = port;
  }

  /** The TLS port actually bound, or 0 without TLS. */
  public int tlsPort() {
    return tlsPort;
  }

  void tlsPort(int port) {
    this.tlsPort = port;
  }
}
