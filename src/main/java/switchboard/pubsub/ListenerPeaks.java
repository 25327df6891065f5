package switchboard.pubsub;

import java.util.HashMap;
import java.util.Map;

/**
 * Tells a full Redis delivery from a partial one. PUBLISH answers how many subscriber connections got the
 * message (one per listening host, plus outside clients). When that is below the highest count seen for the
 * channel within the last {@link #WINDOW_MS} ms of link uptime, a listener that was there a moment ago
 * (typically a host still reconnecting after an outage) missed it. Time while the link is down does not
 * count, so a long outage does not make the old peak expire. Confined to the Redis bridge's context.
 */
final class ListenerPeaks {

  static final long WINDOW_MS = 5000;

  private record Peak(long count, long seenAt) {
  }

  private final Map<String, Peak> peaks = new HashMap<>();

  /** Records a PUBLISH result; true when it reached as many listeners as the recent peak. */
  boolean full(String channel, long receivers, long now) {
    Peak peak = peaks.get(channel);
    if (peak == null || receivers >= peak.count() || now - peak.seenAt() > WINDOW_MS) {
      peaks.put(channel, new Peak(receivers, now));
      return true;
    }
    return false;
  }

  /** The link is back after an outage: the peaks from before it are as fresh as when it began. */
  void linkRestored(long downMillis) {
    peaks.replaceAll((channel, peak) -> new Peak(peak.count(), peak.seenAt() + downMillis));
  }

  /** Forgets channels not published to within the window, so the map does not grow without bound. */
  void expire(long now) {
    peaks.values().removeIf(peak -> now - peak.seenAt() > WINDOW_MS);
  }
}
