package switchboard.pubsub;

import io.vertx.core.Future;
import switchboard.metrics.Meters;

/**
 * The one way into the broker for clients and APIs: refuses a message with an invalid channel name or over
 * the size limit before it can reach the broker (an oversize message must never reach Redis, where it
 * would cut every host's subscriber connection). Thread-safe.
 */
public final class Publisher {

  /** Why a publish was refused; the message is fit to show the client. */
  public static final class Refused extends IllegalArgumentException {
    private final boolean tooLarge;

    Refused(String message, boolean tooLarge) {
      super(message);
      this.tooLarge = tooLarge;
    }

    /** True for a message over the size limit, false for a bad channel name. */
    public boolean tooLarge() {
      return tooLarge;
    }
  }

  private final Broker broker;
  private final int maxMessageBytes;
  private final Meters meters;

  public Publisher(Broker broker, int maxMessageBytes, Meters meters) {
    this.broker = broker;
    this.maxMessageBytes = maxMessageBytes;
    this.meters = meters;
  }

  public Future<Reach> publish(Message message) {
    if (!Channels.isValid(message.channel())) {
      meters.refused("invalid-channel");
      return Future.failedFuture(new Refused(Channels.INVALID_NAME, false));
    }
    if (message.size() > maxMessageBytes) {
      meters.refused("too-large");
      return Future.failedFuture(new Refused(
          "message of " + message.size() + " bytes is over the limit of " + maxMessageBytes, true));
    }
    return broker.publish(message).andThen(ar -> {
      if (ar.succeeded()) {
        meters.published(ar.result().name().toLowerCase().replace('_', '-'));
      } else {
        meters.refused("broker-failed");
      }
    });
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }
}
