package switchboard.bench;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;

/**
 * One subscriber's view of a run: which sequence numbers arrived, how late, twice or out of order.
 * Latency is measured from the publisher's intended send time (open loop), so a stalled server cannot
 * hide its delay by slowing the publisher down. Used on one event loop: no locks.
 * <p>The run is continuous: the warm-up, the measured window and the tail after it are one stream of
 * messages, numbered on. A message belongs to the window when it was stamped inside it, and is tallied
 * there; every other one is tallied apart, by the same code. The choice between the two tallies is an
 * array index, not a branch: a branch taken one way through the whole warm-up and the other way from the
 * window's first message on is one the JIT compiles for the first way and deoptimizes on the second,
 * which delayed the window's first messages by up to 150 ms (LogCompilation, session 14).
 */
final class DeliveryCheck implements RawWebSocket.Receiver {

  private static final int WINDOW = 0;

  /** The window's tally first, then the one for every other message. */
  private final SequenceTally[] tallies = {new SequenceTally(), new SequenceTally()};
  private final Histogram[] latencies;
  private final Runnable onDelivery;
  /** Messages stamped in [windowStart, windowEnd) are measured. Until {@link #measure}, none is. */
  private long windowStart = Long.MAX_VALUE;
  private long windowEnd = Long.MAX_VALUE;

  /** {@code latency} takes the window's deliveries; {@code outsideLatency} the others, for the same code path. */
  DeliveryCheck(Histogram latency, Histogram outsideLatency, Runnable onDelivery) {
    this.latencies = new Histogram[] {latency, outsideLatency};
    this.onDelivery = onDelivery;
  }

  /** Measures the messages stamped from {@code start} (inclusive) to {@code end} (exclusive), in System.nanoTime(). */
  void measure(long start, long end) {
    windowStart = start;
    windowEnd = end;
  }

  @Override
  public void received(ByteBuf buffer, int from, int to, long now) {
    int at = Payloads.start(buffer, from, to);
    if (at < 0) {
      return;
    }
    long sequence = Payloads.number(buffer, at, to);
    long sentAt = Payloads.number(buffer, Payloads.after(buffer, at, to), to);
    if (sequence < 0 || sentAt < 0 || sequence > Integer.MAX_VALUE) {
      return; // malformed
    }
    // the sign bit of either difference is set exactly when sentAt is outside [windowStart, windowEnd)
    int tally = (int) (((sentAt - windowStart) | (windowEnd - 1 - sentAt)) >>> 63);
    if (tallies[tally].add((int) sequence)) {
      latencies[tally].recordValue(Math.max(0, now - sentAt));
    }
    onDelivery.run();
  }

  /** Window messages received, each counted once. */
  long received() {
    return tallies[WINDOW].received();
  }

  long duplicates() {
    return tallies[WINDOW].duplicates();
  }

  /** Window messages that arrived after one with a higher number. */
  long reordered() {
    return tallies[WINDOW].reordered();
  }

  /** Window messages numbered in [from, to) that never arrived. */
  long lost(long from, long to) {
    return tallies[WINDOW].missing(from, to);
  }
}
