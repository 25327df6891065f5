package switchboard.pubsub;

/**
 * A broker's state as health checks, meters and the admin page read it, without knowing which broker it is.
 *
 * @param distributed true when the broker spans hosts (Redis); false for one JVM
 * @param connected   the link to the other hosts is up (always true for a local broker)
 * @param ready       connected, and proven end to end lately (Redis: the canary came back in time)
 * @param reconnects  reconnect attempts since start
 */
public record BrokerHealth(boolean distributed, boolean connected, boolean ready, long reconnects) {

  /** A broker within one JVM: nothing to connect to, always ready. */
  public static final BrokerHealth LOCAL = new BrokerHealth(false, true, true, 0);

  /** One word for people: connected, deaf (link up, canary late), reconnecting, or not configured. */
  public String state() {
    if (!distributed) {
      return "not configured";
    }
    return ready ? "connected" : connected ? "deaf" : "reconnecting";
  }

  /** Why the broker is not ready, for the readiness check; null when it is. */
  public String notReadyReason() {
    if (ready) {
      return null;
    }
    return connected ? "the canary published through Redis did not come back in time (subscription deaf)"
        : "Redis unreachable; reconnecting";
  }
}
