package switchboard.transport;

/**
 * A per-connection publish rate limit: {@code rate} tokens a second, at most {@code burst} saved up.
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
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
