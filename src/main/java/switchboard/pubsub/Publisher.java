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
    /** The rule that refused it. */
    public enum Reason { INVALID_CHANNEL, TOO_LARGE, RATE_LIMITED }

    private final Reason reason;

    public Refused(String message, Reason reason) {
      super(message);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
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
      return Future.failedFuture(new Refused(Channels.INVALID_NAME, Refused.Reason.INVALID_CHANNEL));
    }
    if (message.size() > maxMessageBytes) {
      meters.refused("too-large");
      return Future.failedFuture(new Refused(
          "message of " + message.size() + " bytes is over the limit of " + maxMessageBytes, Refused.Reason.TOO_LARGE));
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
