package switchboard.pubsub;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import switchboard.metrics.Meters;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The channels of one verticle instance: which local subscribers hear what. The hub listens to a channel
 * on the {@link Broker} only while it has at least one local subscriber there, so the broker sees one
 * listener per instance per channel however many connections subscribe.
 *
 * <p>Confined to its instance's event loop (no locks): call every method there.
 */
public final class Hub {

  private static final System.Logger LOG = System.getLogger(Hub.class.getName());

  private final Broker broker;
  private final ByteBufAllocator alloc;
  private final Meters meters;
  private final Map<String, LocalChannel> channels = new HashMap<>();

  /**
   * Frames come from the pooled allocator: its retainedDuplicate() views are recycled, so a delivery
   * allocates nothing per subscriber (Netty 4.2's default adaptive allocator makes a new view object for
   * each, about 60% of the server's garbage under fan-out, measured with JFR).
   */
  public Hub(Broker broker, Meters meters) {
    this.broker = broker;
    this.alloc = PooledByteBufAllocator.DEFAULT;
    this.meters = meters;
  }

  /** Adds a subscriber to a (valid) channel; false when it was subscribed already. */
  public boolean subscribe(String channel, Subscriber subscriber) {
    LocalChannel local = channels.get(channel);
    boolean counted = !Channels.isReserved(channel); // the server's own channels are not the users' channels
    if (local == null) {
      local = new LocalChannel(channel);
      channels.put(channel, local);
    }
    boolean added = local.add(subscriber);
    if (added && counted) {
      meters.subscribed(channel);
    }
    return added;
  }

  /** Removes a subscriber; false when it was not subscribed. The last one leaving stops the listening. */
  public boolean unsubscribe(String channel, Subscriber subscriber) {
    LocalChannel local = channels.get(channel);
    if (local == null || !local.remove(subscriber)) {
      return false;
    }
    boolean counted = !Channels.isReserved(channel);
    if (counted) {
      meters.unsubscribed(channel);
    }
    if (local.isEmpty()) {
      channels.remove(channel);
      local.subscription.cancel();
    }
    return true;
  }

  /** Channels with at least one local subscriber. */
  public int channelCount() {
    return channels.size();
  }

  /** Local subscribers of a channel. */
  public int subscriberCount(String channel) {
    LocalChannel local = channels.get(channel);
    return local == null ? 0 : local.members.size();
  }

  /**
   * One channel's local subscribers. Delivery walks an array snapshot that is rebuilt only after the set
   * changed, so subscribing and leaving stay O(1) and a subscriber may leave while a message is delivered.
   */
  private final class LocalChannel {
    private final Set<Subscriber> members = new LinkedHashSet<>();
    private final Broker.Subscription subscription;
    private Subscriber[] snapshot = new Subscriber[0];
    private boolean changed;

    LocalChannel(String channel) {
      this.subscription = broker.subscribe(channel, this::deliver);
    }

    boolean add(Subscriber subscriber) {
      boolean added = members.add(subscriber);
      changed |= added;
      return added;
    }

    boolean remove(Subscriber subscriber) {
      boolean removed = members.remove(subscriber);
      changed |= removed;
      return removed;
    }

    boolean isEmpty() {
      return members.isEmpty();
    }

    private void deliver(Message message) {
      if (changed) {
        snapshot = members.toArray(new Subscriber[0]);
        changed = false;
      }
      Delivery delivery = new Delivery(message, alloc);
      try {
        for (Subscriber subscriber : snapshot) {
          try {
            subscriber.deliver(delivery);
          } catch (RuntimeException e) {
            // one broken subscriber must not cost the others their message
            LOG.log(System.Logger.Level.ERROR, "delivery to a subscriber of " + message.channel() + " failed", e);
          }
        }
      } finally {
        delivery.release();
      }
      meters.delivered(message.enteredNanos(), snapshot.length);
    }
  }
}
