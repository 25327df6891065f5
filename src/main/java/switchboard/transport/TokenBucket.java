package switchboard.transport;

/**
 * A per-connection rate limit: {@code rate} tokens a second, at most {@code burst} saved up (messages, or
 * bytes when each publish takes its size).
 * Event-loop confined; refilled lazily on use, so an idle connection costs nothing.
 */
final class TokenBucket {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long refilledAt = System.nanoTime();

  TokenBucket(int ratePerSecond, int burst) {
    this.perNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
  }

  boolean take() {
    return take(1);
  }

  /** Takes {@code count} tokens if there are that many; takes nothing otherwise. */
  boolean take(int count) {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
    refilledAt = now;
    if (tokens >= count) {
      tokens -= count;
      return true;
    }
    return false;
  }
}
