package switchboard.pubsub;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Messages from Redis over {@code limits.maxMessageBytes}: any Redis client can PUBLISH, and one huge
 * message would fill every subscriber's write budget at once. Each is dropped and counted, with one warning
 * per channel per minute. Confined to the Redis bridge's context.
 */
public final class OversizeDrops {

  /** Where drops are counted (the server's meters). */
  public interface Counter {
    void dropped(String reason);
  }

  private static final System.Logger LOG = System.getLogger(OversizeDrops.class.getName());
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int MAX_REMEMBERED_CHANNELS = 10_000;

  private final int maxMessageBytes;
  private final Counter counter;
  private final Map<String, Long> warnedAt = new HashMap<>();

  OversizeDrops(int maxMessageBytes, Counter counter) {
    this.maxMessageBytes = maxMessageBytes;
    this.counter = counter;
  }

  /** True when a message of {@code size} bytes may be delivered; otherwise it is counted and maybe logged. */
  boolean admit(String channel, int size) {
    if (size <= maxMessageBytes) {
      return true;
    }
    counter.dropped("from-redis-too-large");
    long now = System.nanoTime();
    Long last = warnedAt.get(channel);
    if (last == null || now - last >= WARN_EVERY_NANOS) {
      if (warnedAt.size() >= MAX_REMEMBERED_CHANNELS) {
        warnedAt.clear(); // a flood over many channels must not grow this map without bound
      }
      warnedAt.put(channel, now);
      LOG.log(WARNING, "dropped a message of " + size + " bytes from Redis on channel " + channel
          + ": over limits.maxMessageBytes (" + maxMessageBytes + "); further drops on it are counted in "
          + "switchboard_messages_dropped_total{reason=\"from-redis-too-large\"} and logged at most once a minute");
    }
    return false;
  }
}
