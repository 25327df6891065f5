package switchboard.pubsub;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Pub/sub across the verticle instances of one JVM through the Vert.x event bus: one local consumer per
 * channel per listener (the {@link Hub} keeps that to one per instance), messages passed by reference.
 *
 * <p>Publishing holds a lock while the event bus enqueues the message to every consumer (it does so
 * synchronously), so concurrent publishers on different event loops still produce one order per channel.
 */
public final class LocalBroker implements Broker {

  private static final Future<Reach> REACHED = Future.succeededFuture(Reach.THIS_HOST);
  private final EventBus bus;
  private final DeliveryOptions delivery = new DeliveryOptions().setCodecName(LocalMessageCodec.NAME).setLocalOnly(true);

  public LocalBroker(Vertx vertx) {
    this.bus = vertx.eventBus();
    try {
      bus.registerCodec(new LocalMessageCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another broker on the same Vert.x registered it: the codec is stateless, one is enough
    }
  }

  @Override
  public Future<Reach> publish(Message message) {
    deliver(message);
    return REACHED;
  }

  /** Hands a message to every listener of its channel in this JVM. */
  void deliver(Message message) {
    String address = Channels.address(message.channel());
    synchronized (this) {
      bus.publish(address, message, delivery);
    }
  }

  @Override
  public Subscription subscribe(String channel, Handler<Message> listener) {
    MessageConsumer<Message> consumer = bus.localConsumer(Channels.address(channel), m -> listener.handle(m.body()));
    return consumer::unregister;
  }

  @Override
  public String describe() {
    return "local (event bus, this JVM only)";
  }
}
