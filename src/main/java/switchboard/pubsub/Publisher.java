package switchboard.pubsub;

import io.vertx.core.Future;
import switchboard.metrics.Meters;

/**
 * The one way into the broker for clients and APIs: refuses a message with an invalid channel name or over
 * the size limit before it can reach the broker (an oversize message must never reach Redis, where it
 * would cut every host's subscriber connection). Thread-safe.
 */
public final class Publisher {

  /**
   * Why a publish was not sent. Every failed publish future holds one; its message is fit to show the
   * client and never carries internal error text (hosts, stack traces): those go to the log.
   */
  public static final class Refused extends IllegalArgumentException {
    /** The rule that refused it, or the broker that could not take it. */
    public enum Reason {
      INVALID_CHANNEL,
      TOO_LARGE,
      /** Over the connection's message or byte rate: try again later. */
      RATE_LIMITED,
      /** The broker failed it in flight (e.g. Redis lost): not delivered anywhere, safe to try again. */
      BROKER_FAILED
    }

    private final Reason reason;

    public Refused(String message, Reason reason) {
      super(message);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /** What a client is told when the broker failed its message. */
  public static final String NOT_SENT = "not sent, try again";
  private static final System.Logger LOG = System.getLogger(Publisher.class.getName());
  private final Broker broker;
  private final int maxMessageBytes;
  private final Meters meters;

  public Publisher(Broker broker, int maxMessageBytes, Meters meters) {
    this.broker = broker;
    this.maxMessageBytes = maxMessageBytes;
    this.meters = meters;
  }

  /**
   * A message on one of Switchboard's own channels ({@link Channels#RESERVED_PREFIX}), which {@link #publish}
   * refuses: the same broker, so it reaches every host as any message does.
   */
  public Future<Reach> publishReserved(Message message) {
    if (!Channels.isReserved(message.channel())) {
      throw new IllegalArgumentException("not a reserved channel: " + message.channel());
    }
    return broker.publish(message);
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
    return broker.publish(message).transform(ar -> {
      if (ar.succeeded()) {
        meters.published(ar.result().name().toLowerCase().replace('_', '-'));
        return Future.succeededFuture(ar.result());
      }
      meters.refused("broker-failed");
      LOG.log(System.Logger.Level.INFO, () -> "publish to " + message.channel() + " failed in the broker: " + ar.cause().getMessage());
      return Future.failedFuture(new Refused(NOT_SENT, Refused.Reason.BROKER_FAILED));
    });
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }
}
