package switchboard.pubsub;

import io.vertx.core.Vertx;

/** The broker contract for pub/sub across the instances of one JVM. */
class LocalBrokerTest extends BrokerContract {

  @Override
  protected Broker newBroker(Vertx vertx) {
    return new LocalBroker(vertx);
  }
}
