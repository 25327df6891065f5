package switchboard.pubsub;

/**
 * What the Redis bridge last asked Redis about one channel, and how many answers are still to come. Redis
 * answers every SUBSCRIBE and UNSUBSCRIBE once per channel, in order, so the channel is subscribed for sure
 * only when the last command was a SUBSCRIBE and no answer is outstanding. Confined to the bridge's context.
 */
final class RedisInterest {

  private boolean subscribing;
  private int outstanding;
  private boolean forbidden;

  /** A SUBSCRIBE ({@code true}) or UNSUBSCRIBE went out. */
  void sent(boolean subscribe) {
    subscribing = subscribe;
    outstanding++;
  }

  /** Redis confirmed one of the commands, in the order they were sent. */
  void answered() {
    if (outstanding > 0) {
      outstanding--;
    }
  }

  /** A command failed: with {@code noPermission} (an ACL's NOPERM) the channel is not asked for again. */
  void failed(boolean noPermission) {
    answered();
    if (noPermission) {
      forbidden = true;
    } else {
      subscribing = false;
    }
  }

  /** Forget what was asked: the next reconcile asks again. */
  void resetForRetry() {
    subscribing = false;
    outstanding = 0;
  }

  /** The last command was a SUBSCRIBE (answered or not). */
  boolean subscribing() {
    return subscribing;
  }

  boolean confirmedSubscribed() {
    return subscribing && outstanding == 0 && !forbidden;
  }

  /** No answer is outstanding. */
  boolean settled() {
    return outstanding == 0;
  }

  boolean forbidden() {
    return forbidden;
  }
}
