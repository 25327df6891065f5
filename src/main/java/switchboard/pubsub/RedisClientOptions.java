package switchboard.pubsub;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisOptions;
import switchboard.config.RedisSettings;

/**
 * The Redis client's options from the {@code redis} config section. For {@code rediss://} the connection is
 * TLS from its first byte, verified against {@code redis.tls.caPath} (or the JVM's trust store) with
 * hostname verification on: a certificate that does not chain to the CA or does not name the host fails the
 * connection, which is then retried like any other failure; it never falls back to an unverified link.
 */
public final class RedisClientOptions {

  /** PUBLISHes in flight at once on the publisher connection (a few MB of bookkeeping at most). */
  static final int MAX_IN_FLIGHT = 65_536;

  private RedisClientOptions() {
  }

  public static RedisOptions of(RedisSettings settings) {
    // two connections: one publisher, one subscriber (see RedisLink). PUBLISHes are pipelined on the one
    // publisher connection: a burst of publishes from many clients can have thousands in flight, past the
    // client's default of 2,048 waiting replies, which would fail them with "waiting queue is full"
    RedisOptions options = new RedisOptions().setConnectionString(settings.uri()).setMaxPoolSize(2)
        .setMaxWaitingHandlers(MAX_IN_FLIGHT);
    if (settings.uri().startsWith("rediss://")) {
      NetClientOptions net = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      if (settings.caPath() != null) {
        net.setTrustOptions(new PemTrustOptions().addCertPath(settings.caPath()));
      }
      if (settings.certPath() != null) {
        net.setKeyCertOptions(new PemKeyCertOptions().setCertPath(settings.certPath()).setKeyPath(settings.keyPath()));
      }
      options.setNetClientOptions(net);
    }
    return options;
  }
}
