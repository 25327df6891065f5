package switchboard.pubsub;

/** Something on an instance that receives the messages of the channels it subscribed to via the {@link Hub}. */
@FunctionalInterface
public interface Subscriber {

  /** Called on the subscriber's event loop, once per message, in channel order. Must not block. */
  void deliver(Delivery delivery);
}
