package switchboard.pubsub;

/** How far a successful publish went. */
public enum Reach {
  /** Handed to Redis: every host subscribed to the channel gets it. */
  ALL_HOSTS,
  /**
   * Handed to Redis, but fewer hosts were listening on the channel than a moment ago (one is likely
   * reconnecting after an outage): some hosts may have missed it.
   */
  SOME_HOSTS,
  /** No Redis is configured: this host is everything, so this is full delivery. */
  THIS_HOST,
  /** Redis is configured but unreachable: delivered on this host only; other hosts miss it. */
  THIS_HOST_ONLY_DEGRADED
}
