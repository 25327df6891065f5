package switchboard;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import switchboard.app.AppMounts;
import switchboard.config.Config;
import switchboard.config.RedisSettings;
import switchboard.metrics.Meters;
import switchboard.pubsub.Broker;
import switchboard.pubsub.RedisClientOptions;
import switchboard.pubsub.RedisBroker;
import switchboard.pubsub.LocalBroker;
import switchboard.server.Node;
import switchboard.server.ServerDeployment;

import java.util.Map;

import static java.lang.System.Logger.Level.INFO;

/**
 * Reads and validates the config (off the event loop), builds what all instances share, and deploys the
 * server verticle instances. A bad config fails the deployment with a message naming the key.
 */
public final class MainVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(MainVerticle.class.getName());

  private final Map<String, String> env;
  private volatile Node node;

  public MainVerticle() {
    this(System.getenv());
  }

  /** With explicit environment overrides (tests). */
  public MainVerticle(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Future<?> start() {
    // off the event loop: reading the config touches the disk, and app classes may load from jars
    return vertx.executeBlocking(() -> {
          Config config = Config.from(config(), env);
          ClassLoader apps = AppMounts.loader(config.appsPath());
          AppMounts.validate(config.apps(), apps);
          AppMounts.instantiate(config.apps(), config.appOptions(), apps); // options checked once, here
          return new Object[] {config, apps};
        })
        .compose(loaded -> {
          Config config = (Config) loaded[0];
          Meters meters = Meters.forServer();
          node = new Node(config, broker(config, meters), meters, (ClassLoader) loaded[1]);
          return ServerDeployment.deploy(vertx, node);
        })
        .onSuccess(id -> LOG.log(INFO, ServerDeployment.describe(vertx, node)));
  }

  @Override
  public Future<?> stop() {
    return node != null ? node.broker().close() : Future.succeededFuture();
  }

  private Broker broker(Config config, Meters meters) {
    LocalBroker local = new LocalBroker(vertx);
    RedisSettings redis = config.redis();
    return redis == null ? local : new RedisBroker(vertx, local, RedisClientOptions.of(redis), redis.prefix(),
        redis.maskedUri(), config.limits().maxMessageBytes(), meters::dropped);
  }

  /** The port the server listens on, once started. */
  public int port() {
    return node.port();
  }

  /** The TLS port, once started; 0 without TLS. */
  public int tlsPort() {
    return node.tlsPort();
  }
}
